#include "kernel/amf0.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/amf0_bytes.hpp"

namespace srs {
namespace {

using amf0::Value;

using namespace test_amf0;

Bytes encoded(const Value& v) {
  Bytes out;
  ByteWriter w(out);
  amf0::encode(v, w);
  return out;
}

// Decodes bytes as exactly one value, and checks that value encodes back to the same bytes.
Value decode_golden(const Bytes& bytes) {
  auto v = amf0::decode_value(bytes);
  EXPECT_TRUE(v) << (v ? "" : v.error().message());
  if (!v) return {};
  EXPECT_EQ(encoded(*v), bytes);
  EXPECT_EQ(amf0::encoded_size(*v), bytes.size());
  return *v;
}

amf0_errc error_of(const Bytes& bytes) {
  auto v = amf0::decode_all(bytes);
  EXPECT_FALSE(v);
  return v ? amf0_errc{} : static_cast<amf0_errc>(v.error().code.value());
}

// ---- golden bytes, one per type ----

TEST(Amf0, NumberIsBigEndianDouble) {
  const Bytes b = {0x00, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(decode_golden(b).as_number(), 1.0);
  const Bytes b2 = {0x00, 0x40, 0x5f, 0xc0, 0, 0, 0, 0, 0};
  EXPECT_EQ(decode_golden(b2).as_number(), 127.0);
}

TEST(Amf0, BooleanIsOneByte) {
  EXPECT_EQ(decode_golden({0x01, 0x01}).as_boolean(), true);
  EXPECT_EQ(decode_golden({0x01, 0x00}).as_boolean(), false);
  auto v = amf0::decode_value(Bytes{0x01, 0x7f});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_boolean(), true);  // any non-zero byte is true
}

TEST(Amf0, StringHas16BitLength) {
  EXPECT_EQ(decode_golden({0x02, 0x00, 0x02, 'a', 'b'}).as_string(), "ab");
  EXPECT_EQ(decode_golden({0x02, 0x00, 0x00}).as_string(), "");
}

TEST(Amf0, NullAndUndefinedAreMarkersOnly) {
  EXPECT_TRUE(decode_golden({0x05}).is_null());
  EXPECT_TRUE(decode_golden({0x06}).is_undefined());
}

TEST(Amf0, ObjectIsPropertiesThenEmptyKeyAndEndMarker) {
  const Bytes b = cat(Bytes{0x03}, key("a"), num(1), key("b"), str("x"), kEnd);
  Value v = decode_golden(b);
  ASSERT_TRUE(v.as_object());
  EXPECT_EQ(v.type(), amf0::Type::object);
  EXPECT_EQ(v.get("a").as_number(), 1.0);
  EXPECT_EQ(v.get("b").as_string(), "x");
  EXPECT_TRUE(decode_golden({0x03, 0x00, 0x00, 0x09}).as_object()->empty());
}

TEST(Amf0, EcmaArrayHasCountAndTerminator) {
  const Bytes b = cat(Bytes{0x08, 0, 0, 0, 1}, key("a"), str("b"), kEnd);
  Value v = decode_golden(b);
  EXPECT_EQ(v.type(), amf0::Type::ecma_array);
  EXPECT_EQ(v.get("a").as_string(), "b");
}

TEST(Amf0, StrictArrayHasCountAndValues) {
  const Bytes b = cat(Bytes{0x0a, 0, 0, 0, 2}, num(1), Bytes{0x05});
  Value v = decode_golden(b);
  ASSERT_TRUE(v.as_strict_array());
  ASSERT_EQ(v.as_strict_array()->items.size(), 2u);
  EXPECT_EQ(v.as_strict_array()->items[0].as_number(), 1.0);
  EXPECT_TRUE(v.as_strict_array()->items[1].is_null());
}

TEST(Amf0, DateIsDoubleThenTimezone) {
  Bytes b = num(1000.0);
  b[0] = 0x0b;
  b.insert(b.end(), {0x00, 0x00});
  Value v = decode_golden(b);
  ASSERT_TRUE(v.as_date());
  EXPECT_EQ(v.as_date()->ms, 1000.0);
  EXPECT_EQ(v.as_date()->timezone, 0);
}

TEST(Amf0, LongStringDecodesToString) {
  auto v = amf0::decode_value(Bytes{0x0c, 0, 0, 0, 2, 'a', 'b'});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_string(), "ab");
}

TEST(Amf0, StringsOver65535BytesAreWrittenAsLongString) {
  const std::string max(65535, 'x');
  Bytes out = encoded(Value(max));
  EXPECT_EQ(out[0], 0x02);
  EXPECT_EQ(out.size(), 3u + 65535u);

  const std::string big(65536, 'x');
  out = encoded(Value(big));
  ASSERT_EQ(out.size(), 5u + 65536u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 5), (Bytes{0x0c, 0x00, 0x01, 0x00, 0x00}));
  auto back = amf0::decode_value(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->as_string(), big);
}

// ---- rejected markers ----

TEST(Amf0, RejectsReferenceAndAmf3Switch) {
  EXPECT_EQ(error_of({0x07, 0x00, 0x01}), amf0_errc::unsupported_marker);
  EXPECT_EQ(error_of({0x11, 0x02}), amf0_errc::unsupported_marker);
  EXPECT_EQ(error_of({0x0d}), amf0_errc::unsupported_marker);
  EXPECT_EQ(error_of({0x10, 0x00, 0x00}), amf0_errc::unsupported_marker);
}

TEST(Amf0, RejectsUnknownMarker) {
  EXPECT_EQ(error_of({0x12}), amf0_errc::unknown_marker);
  EXPECT_EQ(error_of({0xff}), amf0_errc::unknown_marker);
}

TEST(Amf0, RejectsObjectEndWhereAValueIsExpected) {
  EXPECT_EQ(error_of({0x09}), amf0_errc::unexpected_object_end);
  EXPECT_EQ(error_of(cat(Bytes{0x03}, key("a"), Bytes{0x09})), amf0_errc::unexpected_object_end);
}

// ---- accessors ----

TEST(Amf0, ObjectKeepsInsertionOrderAndSetReplacesInPlace) {
  amf0::Object o{{"a", 1}, {"b", "two"}, {"c", true}};
  o.set("b", 2);
  o.set("d", amf0::Null{});
  ASSERT_EQ(o.size(), 4u);
  const char* expected[] = {"a", "b", "c", "d"};
  size_t i = 0;
  for (const auto& [k, v] : o) EXPECT_EQ(k, expected[i++]);
  EXPECT_EQ(o.find("b")->as_number(), 2.0);
  EXPECT_TRUE(o.remove("a"));
  EXPECT_FALSE(o.remove("a"));
  EXPECT_EQ(o.properties().front().first, "b");
}

TEST(Amf0, GetOnMissingKeyOrNonObjectIsUndefined) {
  Value obj = amf0::Object{{"tcUrl", "rtmp://h/app"}};
  EXPECT_EQ(obj.get("tcUrl").string_or(), "rtmp://h/app");
  EXPECT_TRUE(obj.get("pageUrl").is_undefined());
  EXPECT_EQ(obj.get("pageUrl").string_or("none"), "none");
  EXPECT_TRUE(Value(1).get("x").is_undefined());
  EXPECT_EQ(Value("s").as_number(), std::nullopt);
  EXPECT_EQ(Value(3).number_or(0), 3.0);
}

TEST(Amf0, SetAndRemoveWorkOnObjectsAndEcmaArraysOnly) {
  Value arr = amf0::EcmaArray{{"x", 1}};
  EXPECT_TRUE(arr.set("y", 2));
  EXPECT_TRUE(arr.remove("x"));
  EXPECT_EQ(arr.as_object()->size(), 1u);
  EXPECT_EQ(arr.type(), amf0::Type::ecma_array);
  Value n = 1;
  EXPECT_FALSE(n.set("y", 2));
  EXPECT_FALSE(n.remove("y"));
}

TEST(Amf0, DuplicateKeysFromTheWireAreKeptAndFindReturnsFirst) {
  auto v = amf0::decode_value(cat(Bytes{0x03}, key("a"), num(1), key("a"), num(2), kEnd));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object()->size(), 2u);
  EXPECT_EQ(v->get("a").as_number(), 1.0);
}

TEST(Amf0, ObjectMayHaveAnEmptyKeyNotFollowedByEnd) {
  auto v = amf0::decode_value(cat(Bytes{0x03}, key(""), num(5), kEnd));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->get("").as_number(), 5.0);
}

// ---- round trips ----

TEST(Amf0, NestedValuesRoundTrip) {
  amf0::StrictArray arr;
  arr.items = {1, "two", amf0::Null{}, amf0::Object{{"k", false}}};
  Value v = amf0::Object{
      {"n", -1.5},
      {"s", "str"},
      {"o", amf0::Object{{"inner", amf0::EcmaArray{{"e", 1}}}}},
      {"a", arr},
      {"d", amf0::Date{1.5e12, 0}},
      {"u", amf0::Undefined{}},
  };
  Bytes out = encoded(v);
  EXPECT_EQ(out.size(), amf0::encoded_size(v));
  auto back = amf0::decode_value(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, v);
}

TEST(Amf0, EncodeAllWritesTheSequenceDecodeAllReads) {
  const std::vector<Value> cmd = {"connect", 1, amf0::Object{{"app", "live"}}};
  Bytes out;
  amf0::encode_all(cmd, out);
  EXPECT_EQ(out, cat(str("connect"), num(1), Bytes{0x03}, key("app"), str("live"), kEnd));
  auto back = amf0::decode_all(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, cmd);
}

TEST(Amf0, DecodeAllOfNothingIsEmpty) {
  auto v = amf0::decode_all({});
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->empty());
}

// ---- hostile input ----

// A connect as ffmpeg sends it, plus an args object using the remaining types.
Bytes sample_connect(std::vector<size_t>* boundaries) {
  std::vector<Bytes> values = {
      str("connect"),
      num(1),
      cat(Bytes{0x03}, key("app"), str("live"), key("type"), str("nonprivate"), key("flashVer"),
          str("FMLE/3.0 (compatible; Lavf59)"), key("tcUrl"), str("rtmp://127.0.0.1:1935/live"),
          kEnd),
      cat(Bytes{0x03}, key("e"), Bytes{0x08, 0, 0, 0, 1}, key("k"), Bytes{0x0a, 0, 0, 0, 1, 0x05},
          kEnd, key("d"), Bytes{0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, kEnd),
  };
  Bytes out;
  for (const Bytes& v : values) {
    out.insert(out.end(), v.begin(), v.end());
    boundaries->push_back(out.size());
  }
  return out;
}

TEST(Amf0, TruncatedConnectFailsAtEveryByteExceptValueBoundaries) {
  std::vector<size_t> boundaries;
  const Bytes full = sample_connect(&boundaries);
  ASSERT_TRUE(amf0::decode_all(full));
  for (size_t n = 1; n < full.size(); ++n) {
    auto r = amf0::decode_all(ByteSpan(full).first(n));
    auto at = std::find(boundaries.begin(), boundaries.end(), n);
    if (at != boundaries.end()) {
      ASSERT_TRUE(r) << "prefix " << n;
      EXPECT_EQ(r->size(), static_cast<size_t>(at - boundaries.begin()) + 1);
    } else {
      ASSERT_FALSE(r) << "prefix " << n;
      EXPECT_EQ(r.error().code, amf0_errc::truncated) << "prefix " << n;
    }
  }
}

TEST(Amf0, RejectsStringLongerThanItsBuffer) {
  EXPECT_EQ(error_of({0x02, 0x00, 0x05, 'a', 'b'}), amf0_errc::truncated);
  EXPECT_EQ(error_of({0x02, 0xff, 0xff, 'a'}), amf0_errc::truncated);
}

TEST(Amf0, RejectsGiantLongStringWithoutAllocating) {
  EXPECT_EQ(error_of({0x0c, 0xff, 0xff, 0xff, 0xff, 'a'}), amf0_errc::truncated);
}

TEST(Amf0, RejectsStrictArrayCountBeyondRemainingBytes) {
  EXPECT_EQ(error_of({0x0a, 0xff, 0xff, 0xff, 0xff, 0x05}), amf0_errc::truncated);
  EXPECT_EQ(error_of({0x0a, 0x00, 0x00, 0x00, 0x03, 0x05, 0x05}), amf0_errc::truncated);
}

TEST(Amf0, EcmaArrayCountIsOnlyAHint) {
  // Count says 4 billion, one property follows: the terminator ends the array.
  auto v = amf0::decode_value(cat(Bytes{0x08, 0xff, 0xff, 0xff, 0xff}, key("a"), num(1), kEnd));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object()->size(), 1u);
  // Count says 0, two properties follow.
  v = amf0::decode_value(cat(Bytes{0x08, 0, 0, 0, 0}, key("a"), num(1), key("b"), num(2), kEnd));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object()->size(), 2u);
}

TEST(Amf0, EcmaArrayWithoutTerminatorIsAcceptedOnlyAtEndOfInputWithFullCount) {
  auto v = amf0::decode_all(cat(str("onMetaData"), Bytes{0x08, 0, 0, 0, 1}, key("w"), num(64)));
  ASSERT_TRUE(v);
  EXPECT_EQ((*v)[1].get("w").as_number(), 64.0);
  EXPECT_EQ(error_of(cat(Bytes{0x08, 0, 0, 0, 2}, key("w"), num(64))), amf0_errc::truncated);
  EXPECT_EQ(error_of(cat(Bytes{0x03}, key("w"), num(64))), amf0_errc::truncated);
}

Bytes nested_objects(int n) {
  Bytes out;
  for (int i = 1; i < n; ++i) out = cat(out, Bytes{0x03}, key("k"));
  out = cat(out, Bytes{0x03}, kEnd);
  for (int i = 1; i < n; ++i) out = cat(out, kEnd);
  return out;
}

TEST(Amf0, NestingIsBoundedAtMaxDepth) {
  EXPECT_TRUE(amf0::decode_all(nested_objects(amf0::kMaxDepth)));
  EXPECT_EQ(error_of(nested_objects(amf0::kMaxDepth + 1)), amf0_errc::too_deep);
  // Deep strict arrays fail fast instead of exhausting the stack.
  Bytes deep;
  for (int i = 0; i < 100000; ++i) deep.insert(deep.end(), {0x0a, 0, 0, 0, 1});
  deep.push_back(0x05);
  EXPECT_EQ(error_of(deep), amf0_errc::too_deep);
}

TEST(Amf0, RejectsMessageThatWouldCreateTooManyValues) {
  const uint32_t n = amf0::kMaxValues + 1;
  Bytes b = {0x0a, static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
             static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  b.resize(b.size() + n, 0x05);
  EXPECT_EQ(error_of(b), amf0_errc::too_many_values);
}

TEST(Amf0, ErrorsNameThePropertyAndCompareAsCodes) {
  auto v = amf0::decode_value(cat(Bytes{0x03}, key("tcUrl"), Bytes{0x02, 0x00, 0x09, 'r'}));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, amf0_errc::truncated);
  EXPECT_NE(v.error().code, core_errc::limit_exceeded);
  EXPECT_EQ(v.error().message(),
            "object: property 'tcUrl': string: 9 bytes: amf0: truncated value");
  EXPECT_STREQ(v.error().code.category().name(), "srs.amf0");
}

}  // namespace
}  // namespace srs
