#include "protocol/rtmp/commands.hpp"

#include <gtest/gtest.h>

#include "support/amf0_bytes.hpp"

namespace srs {
namespace {

using namespace test_amf0;

// connect as ffmpeg sends it, with an args object.
Bytes ffmpeg_connect() {
  return cat(str("connect"), num(1), kObjectStart, key("app"), str("live"), key("type"),
             str("nonprivate"), key("flashVer"), str("FMLE/3.0 (compatible; Lavf59.27.100)"),
             key("tcUrl"), str("rtmp://127.0.0.1:1935/live"), key("objectEncoding"), num(3), kEnd,
             kObjectStart, key("token"), str("abc"), kEnd);
}

Result<rtmp::Command> decode(const Bytes& b, MessageType t = MessageType::amf0_command) {
  return rtmp::decode_command(t, b);
}

TEST(RtmpCommand, DecodesNameTransactionObjectAndArguments) {
  auto c = decode(ffmpeg_connect());
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->name, "connect");
  EXPECT_EQ(c->transaction_id, 1);
  EXPECT_EQ(c->command_object.get("app").string_or(), "live");
  ASSERT_EQ(c->arguments.size(), 1u);
  EXPECT_EQ(c->arg(0).get("token").string_or(), "abc");
  EXPECT_TRUE(c->arg(1).is_undefined());
}

TEST(RtmpCommand, Amf3CommandSkipsItsFirstByte) {
  auto c = decode(cat(Bytes{0x00}, str("createStream"), num(2), kNull), MessageType::amf3_command);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "createStream");
  EXPECT_EQ(c->transaction_id, 2);
  EXPECT_TRUE(c->command_object.is_null());
}

TEST(RtmpCommand, MissingTransactionAndObjectReadAsZeroAndUndefined) {
  auto c = decode(str("onBWDone"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->transaction_id, 0);
  EXPECT_TRUE(c->command_object.is_undefined());
}

TEST(RtmpCommand, RejectsNonCommands) {
  EXPECT_EQ(decode(Bytes{}).error().code, rtmp_command_errc::not_a_command);
  EXPECT_EQ(decode(cat(num(1), str("connect"))).error().code, rtmp_command_errc::not_a_command);
  EXPECT_EQ(decode(Bytes{}, MessageType::amf3_command).error().code,
            rtmp_command_errc::not_a_command);
  EXPECT_EQ(decode(str("connect"), MessageType::video).error().code,
            rtmp_command_errc::not_a_command);
  EXPECT_EQ(decode(str("connect"), MessageType::amf0_data).error().code,
            rtmp_command_errc::not_a_command);
}

TEST(RtmpCommand, TruncatedPayloadFailsWithAmf0Code) {
  Bytes b = ffmpeg_connect();
  b.resize(b.size() - 4);
  EXPECT_EQ(decode(b).error().code, amf0_errc::truncated);
}

TEST(RtmpCommand, EveryOneByteCorruptionOfConnectFailsCleanlyOrDecodes) {
  const Bytes good = ffmpeg_connect();
  for (size_t i = 0; i < good.size(); ++i) {
    for (int v = 0; v < 256; ++v) {
      Bytes b = good;
      b[i] = static_cast<uint8_t>(v);
      auto c = decode(b);
      if (!c) {
        EXPECT_TRUE(c.error().code) << "byte " << i << " = " << v;
        continue;
      }
      auto req = rtmp::parse_connect(*c);  // must not crash whatever survived decoding
      if (!req) {
        EXPECT_TRUE(req.error().code);
      }
    }
  }
}

TEST(RtmpConnect, ParsesUrlsEncodingAndArgs) {
  auto c = decode(ffmpeg_connect());
  ASSERT_TRUE(c);
  auto req = rtmp::parse_connect(*c);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->tc_url, "rtmp://127.0.0.1:1935/live");
  EXPECT_EQ(req->app, "live");
  EXPECT_EQ(req->page_url, "");
  EXPECT_EQ(req->object_encoding, 3);
  EXPECT_EQ(req->args.get("token").string_or(), "abc");
}

TEST(RtmpConnect, RequiresTcUrlString) {
  auto c = decode(cat(str("connect"), num(1), kObjectStart, key("tcUrl"), num(1), kEnd));
  ASSERT_TRUE(c);
  auto req = rtmp::parse_connect(*c);
  ASSERT_FALSE(req);
  EXPECT_EQ(req.error().code, rtmp_command_errc::missing_argument);
  EXPECT_EQ(req.error().context, "tcUrl");

  c = decode(cat(str("connect"), num(1), kNull));
  ASSERT_TRUE(c);
  EXPECT_EQ(rtmp::parse_connect(*c).error().code, rtmp_command_errc::missing_argument);
}

TEST(RtmpConnect, RejectsOtherCommands) {
  auto c = decode(cat(str("play"), num(0), kNull, str("s")));
  ASSERT_TRUE(c);
  EXPECT_EQ(rtmp::parse_connect(*c).error().code, rtmp_command_errc::unexpected_command);
}

TEST(RtmpRequests, PlayTakesDefaultsForMissingArguments) {
  auto c = decode(cat(str("play"), num(4), kNull, str("cam1?token=x")));
  ASSERT_TRUE(c);
  auto p = rtmp::parse_play(*c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->transaction_id, 4);
  EXPECT_EQ(p->stream_name, "cam1?token=x");
  EXPECT_EQ(p->start, -2);
  EXPECT_EQ(p->duration, -1);
  EXPECT_TRUE(p->reset);
}

TEST(RtmpRequests, PlayReadsStartDurationAndResetAsBoolOrNumber) {
  auto c = decode(cat(str("play"), num(0), kNull, str("s"), num(-1000), num(5000), boolean(false)));
  ASSERT_TRUE(c);
  auto p = rtmp::parse_play(*c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->start, -1000);
  EXPECT_EQ(p->duration, 5000);
  EXPECT_FALSE(p->reset);
  c = decode(cat(str("play"), num(0), kNull, str("s"), num(0), num(0), num(0)));
  EXPECT_FALSE(rtmp::parse_play(*c)->reset);
}

TEST(RtmpRequests, PlayRequiresAStreamName) {
  auto c = decode(cat(str("play"), num(0), kNull));
  ASSERT_TRUE(c);
  EXPECT_EQ(rtmp::parse_play(*c).error().code, rtmp_command_errc::missing_argument);
}

TEST(RtmpRequests, PublishTypeDefaultsToLive) {
  auto c = decode(cat(str("publish"), num(5), kNull, str("cam1")));
  auto p = rtmp::parse_publish(*c);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->stream_name, "cam1");
  EXPECT_EQ(p->type, "live");
  c = decode(cat(str("publish"), num(5), kNull, str("cam1"), str("record")));
  EXPECT_EQ(rtmp::parse_publish(*c)->type, "record");
  c = decode(cat(str("publish"), num(5), kNull));
  EXPECT_EQ(rtmp::parse_publish(*c).error().code, rtmp_command_errc::missing_argument);
}

TEST(RtmpRequests, PauseNeedsItsFlag) {
  auto c = decode(cat(str("pause"), num(0), kNull, boolean(true), num(1234)));
  auto p = rtmp::parse_pause(*c);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->pause);
  EXPECT_EQ(p->time_ms, 1234);
  c = decode(cat(str("pause"), num(0), kNull, num(1)));
  EXPECT_EQ(rtmp::parse_pause(*c).error().code, rtmp_command_errc::missing_argument);
}

TEST(RtmpRequests, StreamRequestsCarryTransactionAndOptionalName) {
  for (const char* name : {"releaseStream", "FCPublish", "FCUnpublish", "getStreamLength"}) {
    auto c = decode(cat(str(name), num(3), kNull, str("cam1")));
    ASSERT_TRUE(c);
    auto r = rtmp::parse_stream_request(*c);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->transaction_id, 3);
    EXPECT_EQ(r->stream_name, "cam1");
  }
  for (const char* name : {"createStream", "closeStream", "_checkbw"}) {
    auto c = decode(cat(str(name), num(2), kNull));
    auto r = rtmp::parse_stream_request(*c);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(r->stream_name, "");
  }
  auto c = decode(cat(str("seek"), num(2), kNull));
  EXPECT_EQ(rtmp::parse_stream_request(*c).error().code, rtmp_command_errc::unexpected_command);
}

TEST(RtmpRequests, DeleteStreamReadsStreamId) {
  auto c = decode(cat(str("deleteStream"), num(6), kNull, num(1)));
  auto r = rtmp::parse_delete_stream(*c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->transaction_id, 6);
  EXPECT_EQ(r->stream_id, 1);
}

// ---- client-side encoders: golden bytes ----

TEST(RtmpClientCommands, GoldenPayloads) {
  EXPECT_EQ(rtmp::encode_create_stream(2), cat(str("createStream"), num(2), kNull));
  EXPECT_EQ(rtmp::encode_stream_call(rtmp::kReleaseStream, 3, "cam1"),
            cat(str("releaseStream"), num(3), kNull, str("cam1")));
  EXPECT_EQ(rtmp::encode_stream_call(rtmp::kFCPublish, 4, "cam1"),
            cat(str("FCPublish"), num(4), kNull, str("cam1")));
  EXPECT_EQ(rtmp::encode_publish(5, "cam1"),
            cat(str("publish"), num(5), kNull, str("cam1"), str("live")));
  rtmp::PlayRequest play;
  play.transaction_id = 0;
  play.stream_name = "cam1";
  EXPECT_EQ(rtmp::encode_play(play),
            cat(str("play"), num(0), kNull, str("cam1"), num(-2), num(-1), boolean(true)));
  EXPECT_EQ(rtmp::encode_pause(0, true, 10),
            cat(str("pause"), num(0), kNull, boolean(true), num(10)));
  EXPECT_EQ(rtmp::encode_close_stream(), cat(str("closeStream"), num(0), kNull));
  EXPECT_EQ(rtmp::encode_delete_stream(6, 1), cat(str("deleteStream"), num(6), kNull, num(1)));
}

TEST(RtmpClientCommands, ConnectGoldenPayload) {
  rtmp::ConnectOptions o;
  o.app = "live";
  o.tc_url = "rtmp://h/live";
  o.args = amf0::Object{{"srs_pid", 42}};
  const Bytes expected =
      cat(str("connect"), num(1), kObjectStart, key("app"), str("live"), key("flashVer"),
          str("WIN 15,0,0,239"), key("swfUrl"), str(""), key("tcUrl"), str("rtmp://h/live"),
          key("fpad"), boolean(false), key("capabilities"), num(239), key("audioCodecs"), num(3575),
          key("videoCodecs"), num(252), key("videoFunction"), num(1), key("pageUrl"), str(""),
          key("objectEncoding"), num(0), kEnd, kObjectStart, key("srs_pid"), num(42), kEnd);
  EXPECT_EQ(rtmp::encode_connect(o), expected);
}

TEST(RtmpClientCommands, ServerParsesWhatTheClientEncodes) {
  rtmp::ConnectOptions o;
  o.app = "live";
  o.tc_url = "rtmp://h/live";
  o.page_url = "http://page";
  auto c = decode(rtmp::encode_connect(o));
  ASSERT_TRUE(c);
  auto req = rtmp::parse_connect(*c);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->tc_url, o.tc_url);
  EXPECT_EQ(req->page_url, o.page_url);
  EXPECT_TRUE(req->args.is_undefined());

  rtmp::PlayRequest play{7, "s", -1000, 3000, false};
  auto p = rtmp::parse_play(*decode(rtmp::encode_play(play)));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->transaction_id, 7);
  EXPECT_EQ(p->stream_name, "s");
  EXPECT_EQ(p->start, -1000);
  EXPECT_EQ(p->duration, 3000);
  EXPECT_FALSE(p->reset);
}

}  // namespace
}  // namespace srs
