#include "kernel/amf0.hpp"

#include <algorithm>
#include <limits>

namespace srs {

namespace {
class Amf0Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.amf0"; }
  std::string message(int ev) const override {
    switch (static_cast<amf0_errc>(ev)) {
      case amf0_errc::truncated:
        return "amf0: truncated value";
      case amf0_errc::unknown_marker:
        return "amf0: unknown type marker";
      case amf0_errc::unsupported_marker:
        return "amf0: unsupported type marker";
      case amf0_errc::unexpected_object_end:
        return "amf0: unexpected object end";
      case amf0_errc::too_deep:
        return "amf0: nesting too deep";
      case amf0_errc::too_many_values:
        return "amf0: too many values";
      case amf0_errc::unexpected_type:
        return "amf0: unexpected type";
    }
    return "amf0: unknown error";
  }
};
}  // namespace

const std::error_category& amf0_category() noexcept {
  static const Amf0Category category;
  return category;
}

namespace amf0 {

// ---- Object ----

Object::Object(std::initializer_list<Property> props) : props_(props) {}

const Value* Object::find(std::string_view key) const {
  for (const auto& [k, v] : props_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value* Object::find(std::string_view key) {
  for (auto& [k, v] : props_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Object::set(std::string_view key, Value v) {
  if (Value* old = find(key)) {
    *old = std::move(v);
    return;
  }
  props_.emplace_back(std::string(key), std::move(v));
}

void Object::append(std::string key, Value v) {
  props_.emplace_back(std::move(key), std::move(v));
}

bool Object::remove(std::string_view key) {
  return std::erase_if(props_, [key](const Property& p) { return p.first == key; }) > 0;
}

bool Object::operator==(const Object& o) const {
  return props_ == o.props_;
}

bool StrictArray::operator==(const StrictArray& o) const {
  return items == o.items;
}

// ---- Value ----

std::optional<double> Value::as_number() const noexcept {
  if (const double* d = std::get_if<double>(&v_)) return *d;
  return std::nullopt;
}

std::optional<bool> Value::as_boolean() const noexcept {
  if (const bool* b = std::get_if<bool>(&v_)) return *b;
  return std::nullopt;
}

std::optional<std::string_view> Value::as_string() const noexcept {
  if (const std::string* s = std::get_if<std::string>(&v_)) return std::string_view(*s);
  return std::nullopt;
}

const Object* Value::as_object() const noexcept {
  if (const Object* o = std::get_if<Object>(&v_)) return o;
  return std::get_if<EcmaArray>(&v_);
}

Object* Value::as_object() noexcept {
  if (Object* o = std::get_if<Object>(&v_)) return o;
  return std::get_if<EcmaArray>(&v_);
}

const Value& Value::get(std::string_view key) const noexcept {
  static const Value missing;
  const Object* o = as_object();
  const Value* v = o ? o->find(key) : nullptr;
  return v ? *v : missing;
}

bool Value::set(std::string_view key, Value v) {
  Object* o = as_object();
  if (!o) return false;
  o->set(key, std::move(v));
  return true;
}

bool Value::remove(std::string_view key) {
  Object* o = as_object();
  return o && o->remove(key);
}

// ---- decoding ----

namespace {

// The smallest encoding of an object property: empty key (2) + a 1-byte value. Used to
// bound how many properties the remaining bytes could possibly hold.
constexpr size_t kMinPropertySize = 3;

class Decoder {
 public:
  explicit Decoder(ByteReader& r) noexcept : r_(r) {}

  Result<Value> value(int depth);

 private:
  Result<std::string> utf8(size_t length_size);
  Result<> properties(Object& o, int depth, std::optional<uint32_t> ecma_count);
  Result<Value> object(int depth);
  Result<Value> ecma_array(int depth);
  Result<Value> strict_array(int depth);
  Result<Value> date();

  ByteReader& r_;
  size_t values_ = 0;
};

Result<Value> Decoder::value(int depth) {
  if (!r_.has(1)) return fail(amf0_errc::truncated, "type marker");
  if (++values_ > kMaxValues) return fail(amf0_errc::too_many_values);
  const auto marker = static_cast<Marker>(r_.u8());
  switch (marker) {
    case Marker::number: {
      const double n = r_.f64();
      if (!r_.ok()) return fail(amf0_errc::truncated, "number");
      return Value(n);
    }
    case Marker::boolean: {
      const uint8_t b = r_.u8();
      if (!r_.ok()) return fail(amf0_errc::truncated, "boolean");
      return Value(b != 0);
    }
    case Marker::string: {
      auto s = utf8(2);
      if (!s) return wrap(s, "string");
      return Value(std::move(*s));
    }
    case Marker::long_string: {
      auto s = utf8(4);
      if (!s) return wrap(s, "long string");
      return Value(std::move(*s));
    }
    case Marker::object:
      return object(depth);
    case Marker::ecma_array:
      return ecma_array(depth);
    case Marker::strict_array:
      return strict_array(depth);
    case Marker::date:
      return date();
    case Marker::null:
      return Value(Null{});
    case Marker::undefined:
      return Value(Undefined{});
    case Marker::object_end:
      return fail(amf0_errc::unexpected_object_end);
    // References index objects decoded earlier in the message; no RTMP peer sends them, and
    // resolving them would let a tiny message expand into a huge tree.
    case Marker::reference:
    case Marker::movieclip:
    case Marker::unsupported:
    case Marker::recordset:
    case Marker::xml_document:
    case Marker::typed_object:
    case Marker::avmplus:
      return fail(amf0_errc::unsupported_marker,
                  fmt::format("marker 0x{:02x}", static_cast<unsigned>(marker)));
  }
  return fail(amf0_errc::unknown_marker,
              fmt::format("marker 0x{:02x}", static_cast<unsigned>(marker)));
}

// A UTF-8 string preceded by its 16- or 32-bit length. The bytes are checked to be present
// before the string is allocated.
Result<std::string> Decoder::utf8(size_t length_size) {
  const uint32_t n = length_size == 2 ? r_.u16() : r_.u32();
  if (!r_.ok()) return fail(amf0_errc::truncated, "length");
  const std::string_view s = r_.str(n);
  if (!r_.ok()) return fail(amf0_errc::truncated, fmt::format("{} bytes", n));
  return std::string(s);
}

// Properties until the empty-key object-end. An ECMA array that ends exactly at the end of
// the input after its declared count is accepted without the terminator: some encoders
// omit it in onMetaData.
Result<> Decoder::properties(Object& o, int depth, std::optional<uint32_t> ecma_count) {
  for (;;) {
    if (ecma_count && r_.empty() && o.size() >= *ecma_count) return {};
    const uint16_t key_size = r_.u16();
    if (!r_.ok()) return fail(amf0_errc::truncated, "property name");
    if (key_size == 0 && r_.peek() == static_cast<uint8_t>(Marker::object_end) && r_.has(1)) {
      r_.skip(1);
      return {};
    }
    std::string key(r_.str(key_size));
    if (!r_.ok()) return fail(amf0_errc::truncated, "property name");
    auto v = value(depth);
    if (!v) return wrap(v, fmt::format("property '{}'", key));
    o.append(std::move(key), std::move(*v));
  }
}

Result<Value> Decoder::object(int depth) {
  if (depth >= kMaxDepth) return fail(amf0_errc::too_deep, "object");
  Object o;
  if (auto r = properties(o, depth + 1, std::nullopt); !r) return wrap(r, "object");
  return Value(std::move(o));
}

Result<Value> Decoder::ecma_array(int depth) {
  if (depth >= kMaxDepth) return fail(amf0_errc::too_deep, "ecma array");
  const uint32_t count = r_.u32();
  if (!r_.ok()) return fail(amf0_errc::truncated, "ecma array count");
  // The count is only a hint (the terminator ends the array), so it must not size memory
  // beyond what the remaining bytes could hold.
  EcmaArray a;
  a.reserve(std::min<size_t>(count, r_.remaining() / kMinPropertySize));
  if (auto r = properties(a, depth + 1, count); !r) return wrap(r, "ecma array");
  return Value(std::move(a));
}

Result<Value> Decoder::strict_array(int depth) {
  if (depth >= kMaxDepth) return fail(amf0_errc::too_deep, "strict array");
  const uint32_t count = r_.u32();
  if (!r_.ok()) return fail(amf0_errc::truncated, "strict array count");
  // Every element takes at least its marker byte.
  if (count > r_.remaining()) {
    return fail(amf0_errc::truncated, fmt::format("strict array of {} values", count));
  }
  StrictArray a;
  a.items.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto v = value(depth + 1);
    if (!v) return wrap(v, fmt::format("strict array [{}]", i));
    a.items.push_back(std::move(*v));
  }
  return Value(std::move(a));
}

Result<Value> Decoder::date() {
  Date d;
  d.ms = r_.f64();
  d.timezone = static_cast<int16_t>(r_.u16());
  if (!r_.ok()) return fail(amf0_errc::truncated, "date");
  return Value(d);
}

}  // namespace

Result<Value> decode_value(ByteReader& r) {
  return Decoder(r).value(0);
}

Result<Value> decode_value(ByteSpan bytes) {
  ByteReader r(bytes);
  return decode_value(r);
}

Result<std::vector<Value>> decode_all(ByteSpan bytes) {
  ByteReader r(bytes);
  Decoder d(r);  // one decoder: the value budget covers the whole message
  std::vector<Value> values;
  while (!r.empty()) {
    auto v = d.value(0);
    if (!v) return wrap(v, fmt::format("value {}", values.size()));
    values.push_back(std::move(*v));
  }
  return values;
}

// ---- encoding ----

namespace {

void write_key(ByteWriter& w, std::string_view key) {
  const size_t n = std::min<size_t>(key.size(), std::numeric_limits<uint16_t>::max());
  w.u16(static_cast<uint16_t>(n));
  w.str(key.substr(0, n));
}

void write_properties(ByteWriter& w, const Object& o) {
  for (const auto& [k, v] : o) {
    write_key(w, k);
    encode(v, w);
  }
  write_object_end(w);
}

size_t string_size(std::string_view s) noexcept {
  return (s.size() > std::numeric_limits<uint16_t>::max() ? 5 : 3) + s.size();
}

size_t properties_size(const Object& o) noexcept {
  size_t n = 3;  // object end
  for (const auto& [k, v] : o) {
    n += 2 + std::min<size_t>(k.size(), std::numeric_limits<uint16_t>::max()) + encoded_size(v);
  }
  return n;
}

}  // namespace

void write_number(ByteWriter& w, double n) {
  w.u8(static_cast<uint8_t>(Marker::number));
  w.f64(n);
}

void write_boolean(ByteWriter& w, bool b) {
  w.u8(static_cast<uint8_t>(Marker::boolean));
  w.u8(b ? 1 : 0);
}

void write_string(ByteWriter& w, std::string_view s) {
  if (s.size() > std::numeric_limits<uint16_t>::max()) {
    w.u8(static_cast<uint8_t>(Marker::long_string));
    w.u32(static_cast<uint32_t>(s.size()));
  } else {
    w.u8(static_cast<uint8_t>(Marker::string));
    w.u16(static_cast<uint16_t>(s.size()));
  }
  w.str(s);
}

void write_null(ByteWriter& w) {
  w.u8(static_cast<uint8_t>(Marker::null));
}

void write_undefined(ByteWriter& w) {
  w.u8(static_cast<uint8_t>(Marker::undefined));
}

void write_object_end(ByteWriter& w) {
  w.u16(0);
  w.u8(static_cast<uint8_t>(Marker::object_end));
}

void encode(const Value& v, ByteWriter& w) {
  switch (v.type()) {
    case Type::number:
      return write_number(w, *v.as_number());
    case Type::boolean:
      return write_boolean(w, *v.as_boolean());
    case Type::string:
      return write_string(w, *v.as_string());
    case Type::null:
      return write_null(w);
    case Type::undefined:
      return write_undefined(w);
    case Type::object:
      w.u8(static_cast<uint8_t>(Marker::object));
      return write_properties(w, *v.as_object());
    case Type::ecma_array:
      w.u8(static_cast<uint8_t>(Marker::ecma_array));
      w.u32(static_cast<uint32_t>(v.as_object()->size()));
      return write_properties(w, *v.as_object());
    case Type::strict_array: {
      const auto& items = v.as_strict_array()->items;
      w.u8(static_cast<uint8_t>(Marker::strict_array));
      w.u32(static_cast<uint32_t>(items.size()));
      for (const Value& item : items) encode(item, w);
      return;
    }
    case Type::date:
      w.u8(static_cast<uint8_t>(Marker::date));
      w.f64(v.as_date()->ms);
      w.u16(static_cast<uint16_t>(v.as_date()->timezone));
      return;
  }
}

void encode_all(std::span<const Value> values, Bytes& out) {
  size_t n = 0;
  for (const Value& v : values) n += encoded_size(v);
  out.reserve(out.size() + n);
  ByteWriter w(out);
  for (const Value& v : values) encode(v, w);
}

size_t encoded_size(const Value& v) noexcept {
  switch (v.type()) {
    case Type::number:
      return 9;
    case Type::boolean:
      return 2;
    case Type::string:
      return string_size(*v.as_string());
    case Type::null:
    case Type::undefined:
      return 1;
    case Type::object:
      return 1 + properties_size(*v.as_object());
    case Type::ecma_array:
      return 5 + properties_size(*v.as_object());
    case Type::strict_array: {
      size_t n = 5;
      for (const Value& item : v.as_strict_array()->items) n += encoded_size(item);
      return n;
    }
    case Type::date:
      return 11;
  }
  return 0;
}

}  // namespace amf0
}  // namespace srs
