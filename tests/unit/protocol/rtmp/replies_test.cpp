#include "protocol/rtmp/replies.hpp"

#include <gtest/gtest.h>

#include "support/amf0_bytes.hpp"

namespace srs {
namespace {

using namespace test_amf0;

rtmp::ServerIdentity identity() {
  return {"SRS",         "SRS/2.0.300(Test)", "MIT",      "cluster",
          "https://srs", "2.0.300",           "site",     "a@b",
          "(c)",         "SRS/2.0release",    "alice bob"};
}

Bytes prop(std::string_view k, const Bytes& v) {
  return cat(key(k), v);
}

TEST(RtmpReplies, ConnectResultGoldenPayload) {
  rtmp::ConnectResult c{3, "10.0.0.1", 4021, 107};
  const Bytes expected =
      cat(str("_result"), num(1),
          cat(kObjectStart, prop("fmsVer", str("FMS/3,5,3,888")), prop("capabilities", num(127)),
              prop("mode", num(1)), kEnd),
          cat(kObjectStart, prop("level", str("status")),
              prop("code", str("NetConnection.Connect.Success")),
              prop("description", str("Connection succeeded")), prop("objectEncoding", num(3)),
              key("data"),
              cat(ecma_start(15), prop("version", str("3,5,3,888")), prop("srs_sig", str("SRS")),
                  prop("srs_server", str("SRS/2.0.300(Test)")), prop("srs_license", str("MIT")),
                  prop("srs_role", str("cluster")), prop("srs_url", str("https://srs")),
                  prop("srs_version", str("2.0.300")), prop("srs_site", str("site")),
                  prop("srs_email", str("a@b")), prop("srs_copyright", str("(c)")),
                  prop("srs_primary", str("SRS/2.0release")), prop("srs_authors", str("alice bob")),
                  prop("srs_server_ip", str("10.0.0.1")), prop("srs_pid", num(4021)),
                  prop("srs_id", num(107)), kEnd),
              kEnd));
  EXPECT_EQ(rtmp::encode_connect_result(identity(), c), expected);
}

TEST(RtmpReplies, OnBWDoneAndResultsGoldenPayloads) {
  EXPECT_EQ(rtmp::encode_on_bw_done(), cat(str("onBWDone"), num(0), kNull));
  EXPECT_EQ(rtmp::encode_result(4, rtmp::kDefaultStreamId),
            cat(str("_result"), num(4), kNull, num(1)));
  EXPECT_EQ(rtmp::encode_result(2, amf0::Undefined{}),
            cat(str("_result"), num(2), kNull, kUndefined));
  EXPECT_EQ(rtmp::encode_result(0, amf0::Null{}), cat(str("_result"), num(0), kNull, kNull));
}

Bytes on_status(const Bytes& info) {
  return cat(str("onStatus"), num(0), kNull, info);
}

TEST(RtmpReplies, PlayStatusGoldenPayloads) {
  EXPECT_EQ(
      rtmp::encode_on_status(rtmp::Status::play_reset),
      on_status(cat(kObjectStart, prop("level", str("status")),
                    prop("code", str("NetStream.Play.Reset")),
                    prop("description", str("Playing and resetting stream.")),
                    prop("details", str("stream")), prop("clientid", str("ASAICiss")), kEnd)));
  EXPECT_EQ(
      rtmp::encode_on_status(rtmp::Status::play_start),
      on_status(cat(kObjectStart, prop("level", str("status")),
                    prop("code", str("NetStream.Play.Start")),
                    prop("description", str("Started playing stream.")),
                    prop("details", str("stream")), prop("clientid", str("ASAICiss")), kEnd)));
}

TEST(RtmpReplies, PauseStatusGoldenPayloads) {
  EXPECT_EQ(rtmp::encode_on_status(rtmp::Status::pause_notify),
            on_status(cat(kObjectStart, prop("level", str("status")),
                          prop("code", str("NetStream.Pause.Notify")),
                          prop("description", str("Paused stream.")), kEnd)));
  EXPECT_EQ(rtmp::encode_on_status(rtmp::Status::unpause_notify),
            on_status(cat(kObjectStart, prop("level", str("status")),
                          prop("code", str("NetStream.Unpause.Notify")),
                          prop("description", str("Unpaused stream.")), kEnd)));
}

TEST(RtmpReplies, PublishStatusGoldenPayloads) {
  EXPECT_EQ(rtmp::encode_on_status(rtmp::Status::publish_start),
            on_status(cat(kObjectStart, prop("level", str("status")),
                          prop("code", str("NetStream.Publish.Start")),
                          prop("description", str("Started publishing stream.")),
                          prop("clientid", str("ASAICiss")), kEnd)));
  EXPECT_EQ(rtmp::encode_on_status(rtmp::Status::unpublish_success),
            on_status(cat(kObjectStart, prop("level", str("status")),
                          prop("code", str("NetStream.Unpublish.Success")),
                          prop("description", str("Stream is now unpublished")),
                          prop("clientid", str("ASAICiss")), kEnd)));
  EXPECT_EQ(rtmp::encode_on_status(rtmp::Status::publish_bad_name),
            on_status(cat(kObjectStart, prop("level", str("error")),
                          prop("code", str("NetStream.Publish.BadName")),
                          prop("description", str("Already publishing")),
                          prop("clientid", str("ASAICiss")), kEnd)));
}

TEST(RtmpReplies, FCPublishNotificationsGoldenPayloads) {
  EXPECT_EQ(rtmp::encode_on_fc_publish(),
            cat(str("onFCPublish"), num(0), kNull, kObjectStart,
                prop("code", str("NetStream.Publish.Start")),
                prop("description", str("Started publishing stream.")), kEnd));
  EXPECT_EQ(rtmp::encode_on_fc_unpublish(),
            cat(str("onFCUnpublish"), num(0), kNull, kObjectStart,
                prop("code", str("NetStream.Unpublish.Success")),
                prop("description", str("Stop publishing stream.")), kEnd));
}

TEST(RtmpReplies, PlayDataMessagesGoldenPayloads) {
  EXPECT_EQ(rtmp::encode_sample_access(),
            cat(str("|RtmpSampleAccess"), boolean(true), boolean(true)));
  EXPECT_EQ(rtmp::encode_data_start(),
            cat(str("onStatus"), kObjectStart, prop("code", str("NetStream.Data.Start")), kEnd));
}

TEST(RtmpReplies, StatusInfoCanBeExtendedBeforeEncoding) {
  amf0::Object info = rtmp::status_info(rtmp::Status::publish_bad_name);
  info.set("description", "Stream busy");
  EXPECT_EQ(
      rtmp::encode_on_status(info),
      on_status(cat(
          kObjectStart, prop("level", str("error")), prop("code", str("NetStream.Publish.BadName")),
          prop("description", str("Stream busy")), prop("clientid", str("ASAICiss")), kEnd)));
}

// ---- client side ----

rtmp::Command decoded(const Bytes& payload) {
  auto c = rtmp::decode_command(MessageType::amf0_command, payload);
  EXPECT_TRUE(c);
  return c ? *c : rtmp::Command{};
}

TEST(RtmpReplies, ClientReadsConnectResultIdentity) {
  rtmp::ConnectResult c{0, "10.0.0.1", 4021, 107};
  auto r = rtmp::parse_connect_result(decoded(rtmp::encode_connect_result(identity(), c)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->transaction_id, 1);
  EXPECT_EQ(r->properties.get("fmsVer").string_or(), "FMS/3,5,3,888");
  EXPECT_EQ(r->info.get("code").string_or(), "NetConnection.Connect.Success");
  const amf0::Value& data = r->info.get("data");
  EXPECT_EQ(data.get("srs_version").string_or(), "2.0.300");
  EXPECT_EQ(data.get("srs_pid").number_or(0), 4021);
  EXPECT_EQ(data.get("srs_id").number_or(0), 107);
}

TEST(RtmpReplies, ClientTurnsErrorReplyIntoError) {
  const Bytes err = cat(str("_error"), num(1), kNull, kObjectStart, prop("level", str("error")),
                        prop("code", str("NetConnection.Connect.Rejected")),
                        prop("description", str("no such app")), kEnd);
  auto r = rtmp::parse_connect_result(decoded(err));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, rtmp_command_errc::error_reply);
  EXPECT_EQ(r.error().context, "connect: NetConnection.Connect.Rejected no such app");
  EXPECT_EQ(rtmp::parse_create_stream_result(decoded(err)).error().code,
            rtmp_command_errc::error_reply);
  EXPECT_EQ(rtmp::parse_connect_result(decoded(rtmp::encode_on_bw_done())).error().code,
            rtmp_command_errc::unexpected_command);
}

TEST(RtmpReplies, ClientReadsCreateStreamId) {
  auto id = rtmp::parse_create_stream_result(decoded(rtmp::encode_result(2, 1)));
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 1);
  EXPECT_EQ(
      rtmp::parse_create_stream_result(decoded(rtmp::encode_result(2, amf0::Null{}))).error().code,
      rtmp_command_errc::missing_argument);
}

TEST(RtmpReplies, ClientReadsStatusEvents) {
  auto s = rtmp::parse_status(decoded(rtmp::encode_on_status(rtmp::Status::publish_start)));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->level, "status");
  EXPECT_EQ(s->code, "NetStream.Publish.Start");
  EXPECT_EQ(s->info.get("clientid").string_or(), "ASAICiss");
  s = rtmp::parse_status(decoded(rtmp::encode_on_fc_unpublish()));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->code, "NetStream.Unpublish.Success");
  EXPECT_EQ(s->level, "");
  EXPECT_EQ(rtmp::parse_status(decoded(rtmp::encode_result(1, 1))).error().code,
            rtmp_command_errc::unexpected_command);
}

}  // namespace
}  // namespace srs
