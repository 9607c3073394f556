#include "protocol/rtmp/metadata.hpp"

#include <gtest/gtest.h>

#include "support/amf0_bytes.hpp"

namespace srs {
namespace {

using namespace test_amf0;

Bytes prop(std::string_view k, const Bytes& v) {
  return cat(key(k), v);
}

const rtmp::MetadataStamp kStamp{"SRS/2.0.300(Test)", "SRS/2.0release", "alice bob", "2.0.300"};

// What OBS sends: @setDataFrame, onMetaData, ECMA array.
Bytes obs_metadata() {
  return cat(str("@setDataFrame"), str("onMetaData"), ecma_start(7), prop("duration", num(0)),
             prop("width", num(1280)), prop("height", num(720)), prop("videocodecid", num(7)),
             prop("audiocodecid", num(10)), prop("server", str("old")),
             prop("encoder", str("obs-output module")), kEnd);
}

TEST(RtmpMetadata, RecognisesMetadataByItsFirstString) {
  EXPECT_TRUE(rtmp::is_metadata(MessageType::amf0_data, obs_metadata()));
  EXPECT_TRUE(rtmp::is_metadata(MessageType::amf0_data, cat(str("onMetaData"), kNull)));
  EXPECT_TRUE(rtmp::is_metadata(MessageType::amf3_data, cat(Bytes{0}, str("onMetaData"))));
  EXPECT_FALSE(rtmp::is_metadata(MessageType::amf0_data, cat(str("onCuePoint"), kNull)));
  EXPECT_FALSE(rtmp::is_metadata(MessageType::amf0_command, obs_metadata()));
  EXPECT_FALSE(rtmp::is_metadata(MessageType::amf0_data, Bytes{0x02, 0x00, 0x0a, 'o', 'n'}));
  EXPECT_FALSE(rtmp::is_metadata(MessageType::amf3_data, Bytes{}));
}

TEST(RtmpMetadata, DecodesWrappedAndDirectForms) {
  auto m = rtmp::decode_metadata(MessageType::amf0_data, obs_metadata());
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->type(), amf0::Type::ecma_array);
  EXPECT_EQ(m->get("width").number_or(0), 1280);

  const Bytes direct =
      cat(Bytes{0x00}, str("onMetaData"), kObjectStart, prop("height", num(480)), kEnd);
  m = rtmp::decode_metadata(MessageType::amf3_data, direct);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->get("height").number_or(0), 480);
}

TEST(RtmpMetadata, RejectsOtherDataAndOtherMessageTypes) {
  EXPECT_EQ(
      rtmp::decode_metadata(MessageType::amf0_data, cat(str("onTextData"), kObjectStart, kEnd))
          .error()
          .code,
      flv_errc::not_metadata);
  EXPECT_EQ(rtmp::decode_metadata(MessageType::video, obs_metadata()).error().code,
            rtmp_command_errc::not_a_command);
  Bytes truncated = obs_metadata();
  truncated.resize(40);
  EXPECT_EQ(rtmp::decode_metadata(MessageType::amf0_data, truncated).error().code,
            amf0_errc::truncated);
}

TEST(RtmpMetadata, StoredFormIsObjectWithoutDurationAndOurKeysLast) {
  auto in = rtmp::decode_metadata(MessageType::amf0_data, obs_metadata());
  ASSERT_TRUE(in);
  const rtmp::Metadata m = rtmp::build_stored_metadata(*in, kStamp);
  const Bytes expected =
      cat(str("onMetaData"), kObjectStart, prop("width", num(1280)), prop("height", num(720)),
          prop("videocodecid", num(7)), prop("audiocodecid", num(10)),
          prop("encoder", str("obs-output module")), prop("server", str("SRS/2.0.300(Test)")),
          prop("srs_primary", str("SRS/2.0release")), prop("srs_authors", str("alice bob")),
          prop("server_version", str("2.0.300")), kEnd);
  EXPECT_EQ(m.payload, expected);
  EXPECT_EQ(m.object.type(), amf0::Type::object);
  EXPECT_TRUE(m.object.get("duration").is_undefined());
}

TEST(RtmpMetadata, ReportsSizeCodecsAndAtc) {
  auto in = rtmp::decode_metadata(MessageType::amf0_data, obs_metadata());
  ASSERT_TRUE(in);
  rtmp::Metadata m = rtmp::build_stored_metadata(*in, kStamp);
  EXPECT_EQ(m.width, 1280);
  EXPECT_EQ(m.height, 720);
  EXPECT_EQ(m.video_codec, "7");
  EXPECT_EQ(m.audio_codec, "10");
  EXPECT_FALSE(m.bravo_atc);

  const amf0::Value atc =
      amf0::Object{{"bravo_atc", "true"}, {"videocodecid", "avc1"}, {"srs_authors", "x"}};
  m = rtmp::build_stored_metadata(atc, kStamp);
  EXPECT_TRUE(m.bravo_atc);
  EXPECT_EQ(m.video_codec, "avc1");
  EXPECT_EQ(m.audio_codec, "");
  EXPECT_EQ(m.width, 0);
  // The publisher's srs_authors is replaced by ours, at its place among our keys.
  const auto& props = m.object.as_object()->properties();
  ASSERT_EQ(props.size(), 6u);
  EXPECT_EQ(props[2].first, "server");
  EXPECT_EQ(props[4].first, "srs_authors");
  EXPECT_EQ(props[4].second.string_or(), "alice bob");
}

TEST(RtmpMetadata, BooleanAtcFlagIsNotTheString) {
  const amf0::Value v = amf0::Object{{"bravo_atc", true}};
  EXPECT_FALSE(rtmp::build_stored_metadata(v, kStamp).bravo_atc);
}

}  // namespace
}  // namespace srs
