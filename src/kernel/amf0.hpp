// AMF0 (Adobe "Action Message Format -- AMF 0"): the encoding of RTMP commands, data
// messages and FLV script tags. A decoded value is an amf0::Value; objects and ECMA arrays
// keep their keys in wire order, because peers (and our own metadata rewriting) care about
// order. Decoding is hostile-input safe: nesting is bounded, declared counts never size an
// allocation beyond what the remaining bytes could hold, and a decode call creates a bounded
// number of values, so a small message cannot make us allocate a lot.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace srs {

enum class amf0_errc {
  truncated = 1,          // the input ended inside a value
  unknown_marker,         // a type marker AMF0 does not define
  unsupported_marker,     // defined but not supported here (reference, AMF3 switch, XML...)
  unexpected_object_end,  // an object-end marker where a value was expected
  too_deep,               // objects/arrays nested beyond amf0::kMaxDepth
  too_many_values,        // one decode would create more than amf0::kMaxValues values
  unexpected_type,        // well-formed, but not the type the caller needs
};
const std::error_category& amf0_category() noexcept;
inline std::error_code make_error_code(amf0_errc e) noexcept {
  return {static_cast<int>(e), amf0_category()};
}

namespace amf0 {

// Type markers (AMF0 spec 2.1).
enum class Marker : uint8_t {
  number = 0x00,
  boolean = 0x01,
  string = 0x02,
  object = 0x03,
  movieclip = 0x04,
  null = 0x05,
  undefined = 0x06,
  reference = 0x07,
  ecma_array = 0x08,
  object_end = 0x09,
  strict_array = 0x0a,
  date = 0x0b,
  long_string = 0x0c,
  unsupported = 0x0d,
  recordset = 0x0e,
  xml_document = 0x0f,
  typed_object = 0x10,
  avmplus = 0x11,  // switch to AMF3
};

// Deeper than any real command or metadata; shallow enough that recursion is harmless.
constexpr int kMaxDepth = 64;
// Values one decode call may create: real metadata (even with keyframe index arrays) stays
// far below, and it caps memory at a few MB whatever the message size.
constexpr size_t kMaxValues = 1 << 16;

class Value;
using Property = std::pair<std::string, Value>;

// Keys in insertion (wire) order. Lookups are linear: objects hold a handful of keys.
// Duplicate keys from the wire are kept as they came; find() returns the first.
class Object {
 public:
  Object() = default;
  Object(std::initializer_list<Property> props);

  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Replaces the value of an existing key in place (keeping its position), else appends.
  void set(std::string_view key, Value v);
  // Appends without looking for an existing key (decoding, or building in known order).
  void append(std::string key, Value v);
  // Removes every property named key; true if there was one.
  bool remove(std::string_view key);

  // Defined after Value: they need its complete type, which clang (unlike GCC) requires
  // where an inline member body is, not at the end of the translation unit.
  size_t size() const noexcept;
  bool empty() const noexcept;
  void reserve(size_t n);
  std::vector<Property>::const_iterator begin() const noexcept { return props_.begin(); }
  std::vector<Property>::const_iterator end() const noexcept { return props_.end(); }
  const std::vector<Property>& properties() const noexcept { return props_; }

  bool operator==(const Object& o) const;

 private:
  std::vector<Property> props_;
};

// An associative array: same shape as an object, written with the ECMA array marker and a
// count. Kept as its own type so it round-trips (metadata often comes as one).
class EcmaArray : public Object {
 public:
  using Object::Object;
  EcmaArray() = default;
  explicit EcmaArray(Object o);  // defined after Value, like Object::size()
};

struct StrictArray {
  std::vector<Value> items;
  bool operator==(const StrictArray& o) const;
};

struct Date {
  double ms = 0;         // since the Unix epoch, UTC
  int16_t timezone = 0;  // reserved by the spec: written as 0, kept when read
  bool operator==(const Date&) const = default;
};

struct Null {
  bool operator==(const Null&) const = default;
};
struct Undefined {
  bool operator==(const Undefined&) const = default;
};

enum class Type {
  number,
  boolean,
  string,
  object,
  ecma_array,
  strict_array,
  date,
  null,
  undefined
};

// One AMF0 value. Strings are UTF-8 and written as a long string when over 65535 bytes.
class Value {
 public:
  Value() : v_(Undefined{}) {}
  Value(double n) : v_(n) {}
  template <class T>
  requires(std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, double>)
      Value(T n)
      : v_(static_cast<double>(n)) {}
  template <class T>
  requires std::is_same_v<T, bool> Value(T b) : v_(b) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Object o) : v_(std::move(o)) {}
  Value(EcmaArray a) : v_(std::move(a)) {}
  Value(StrictArray a) : v_(std::move(a)) {}
  Value(Date d) : v_(d) {}
  Value(Null n) : v_(n) {}
  Value(Undefined u) : v_(u) {}

  Type type() const noexcept { return static_cast<Type>(v_.index()); }
  bool is_number() const noexcept { return type() == Type::number; }
  bool is_boolean() const noexcept { return type() == Type::boolean; }
  bool is_string() const noexcept { return type() == Type::string; }
  bool is_null() const noexcept { return type() == Type::null; }
  bool is_undefined() const noexcept { return type() == Type::undefined; }
  // An object or an ECMA array: both have keys.
  bool is_object_like() const noexcept {
    return type() == Type::object || type() == Type::ecma_array;
  }

  std::optional<double> as_number() const noexcept;
  std::optional<bool> as_boolean() const noexcept;
  // Views into this value: valid while it lives and is not modified.
  std::optional<std::string_view> as_string() const noexcept;
  // The keys of an object or ECMA array, else nullptr.
  const Object* as_object() const noexcept;
  Object* as_object() noexcept;
  const StrictArray* as_strict_array() const noexcept { return std::get_if<StrictArray>(&v_); }
  const Date* as_date() const noexcept { return std::get_if<Date>(&v_); }

  double number_or(double fallback) const noexcept { return as_number().value_or(fallback); }
  std::string_view string_or(std::string_view fallback = {}) const noexcept {
    return as_string().value_or(fallback);
  }

  // The property named key of an object or ECMA array, or an undefined value when there is
  // none (or this has no keys), so lookups chain: cmd.get("tcUrl").string_or("").
  const Value& get(std::string_view key) const noexcept;
  // Sets/removes a property of an object or ECMA array; false (and no change) otherwise.
  bool set(std::string_view key, Value v);
  bool remove(std::string_view key);

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  // Alternative order matches Type.
  std::variant<double, bool, std::string, Object, EcmaArray, StrictArray, Date, Null, Undefined> v_;
};

inline EcmaArray::EcmaArray(Object o) : Object(std::move(o)) {}
inline size_t Object::size() const noexcept {
  return props_.size();
}
inline bool Object::empty() const noexcept {
  return props_.empty();
}
inline void Object::reserve(size_t n) {
  props_.reserve(n);
}

// Decodes one value at the reader's position and advances past it. On error the reader's
// position is unspecified (the caller drops the whole message anyway).
Result<Value> decode_value(ByteReader& r);
// Decodes the one value at the start of bytes (trailing bytes are ignored).
Result<Value> decode_value(ByteSpan bytes);
// Decodes values until the input ends: a command or data message is a sequence of values.
Result<std::vector<Value>> decode_all(ByteSpan bytes);

// Appends the encoding of v. Object keys longer than 65535 bytes cannot be written and are
// cut (never produced by decoding; code does not build such keys).
void encode(const Value& v, ByteWriter& w);
// Appends each value in turn (a whole command) to out.
void encode_all(std::span<const Value> values, Bytes& out);
// Bytes encode(v) appends: reserve once, then encode without reallocating.
size_t encoded_size(const Value& v) noexcept;

// Writers for single values, for callers that build a payload without a Value tree.
void write_number(ByteWriter& w, double n);
void write_boolean(ByteWriter& w, bool b);
void write_string(ByteWriter& w, std::string_view s);  // string or long string by size
void write_null(ByteWriter& w);
void write_undefined(ByteWriter& w);
void write_object_end(ByteWriter& w);  // empty key + object-end marker

}  // namespace amf0
}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::amf0_errc> : true_type {};
}  // namespace std
