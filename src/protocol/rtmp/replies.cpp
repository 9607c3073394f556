#include "protocol/rtmp/replies.hpp"

namespace srs::rtmp {

namespace {

// What FMS 3.5 announced; Flash clients check fmsVer to enable features.
constexpr std::string_view kFmsVersion = "FMS/3,5,3,888";
constexpr std::string_view kDataVersion = "3,5,3,888";
constexpr double kFmsCapabilities = 127;
constexpr double kFmsMode = 1;

struct StatusText {
  std::string_view level;
  std::string_view code;
  std::string_view description;
  bool details;   // details "stream" (play replies)
  bool clientid;  // clientid kStatusClientId
};

// Indexed by Status. Texts are what Flash-era clients were written against.
constexpr StatusText kStatusTexts[] = {
    {"status", "NetStream.Play.Reset", "Playing and resetting stream.", true, true},
    {"status", "NetStream.Play.Start", "Started playing stream.", true, true},
    {"status", "NetStream.Pause.Notify", "Paused stream.", false, false},
    {"status", "NetStream.Unpause.Notify", "Unpaused stream.", false, false},
    {"status", "NetStream.Publish.Start", "Started publishing stream.", false, true},
    {"status", "NetStream.Unpublish.Success", "Stream is now unpublished", false, true},
    {"error", "NetStream.Publish.BadName", "Already publishing", false, true},
};

amf0::Value identity_data(const ServerIdentity& id, const ConnectResult& c) {
  return amf0::EcmaArray{
      {"version", kDataVersion},       {"srs_sig", id.sig},         {"srs_server", id.server},
      {"srs_license", id.license},     {"srs_role", id.role},       {"srs_url", id.url},
      {"srs_version", id.version},     {"srs_site", id.site},       {"srs_email", id.email},
      {"srs_copyright", id.copyright}, {"srs_primary", id.primary}, {"srs_authors", id.authors},
      {"srs_server_ip", c.server_ip},  {"srs_pid", c.pid},          {"srs_id", c.connection_id},
  };
}

}  // namespace

Bytes encode_connect_result(const ServerIdentity& id, const ConnectResult& c) {
  const amf0::Value props = amf0::Object{
      {"fmsVer", kFmsVersion},
      {"capabilities", kFmsCapabilities},
      {"mode", kFmsMode},
  };
  const amf0::Value info = amf0::Object{
      {"level", "status"},
      {"code", "NetConnection.Connect.Success"},
      {"description", "Connection succeeded"},
      {"objectEncoding", c.object_encoding},
      {"data", identity_data(id, c)},
  };
  return encode_command(kResult, 1, props, {&info, 1});
}

Bytes encode_on_bw_done() {
  return encode_command(kOnBWDone, 0, amf0::Null{}, {});
}

Bytes encode_result(double transaction_id, const amf0::Value& value) {
  return encode_command(kResult, transaction_id, amf0::Null{}, {&value, 1});
}

amf0::Object status_info(Status s) {
  const StatusText& t = kStatusTexts[static_cast<size_t>(s)];
  amf0::Object info{{"level", t.level}, {"code", t.code}, {"description", t.description}};
  if (t.details) info.append("details", "stream");
  if (t.clientid) info.append("clientid", kStatusClientId);
  return info;
}

Bytes encode_on_status(const amf0::Object& info) {
  const amf0::Value v = info;
  return encode_command(kOnStatus, 0, amf0::Null{}, {&v, 1});
}

Bytes encode_on_fc_publish() {
  const amf0::Value info = amf0::Object{{"code", "NetStream.Publish.Start"},
                                        {"description", "Started publishing stream."}};
  return encode_command(kOnFCPublish, 0, amf0::Null{}, {&info, 1});
}

Bytes encode_on_fc_unpublish() {
  const amf0::Value info = amf0::Object{{"code", "NetStream.Unpublish.Success"},
                                        {"description", "Stop publishing stream."}};
  return encode_command(kOnFCUnpublish, 0, amf0::Null{}, {&info, 1});
}

Bytes encode_sample_access(bool audio, bool video) {
  Bytes out;
  ByteWriter w(out);
  amf0::write_string(w, "|RtmpSampleAccess");
  amf0::write_boolean(w, audio);
  amf0::write_boolean(w, video);
  return out;
}

Bytes encode_data_start() {
  Bytes out;
  ByteWriter w(out);
  amf0::write_string(w, kOnStatus);
  amf0::encode(amf0::Object{{"code", "NetStream.Data.Start"}}, w);
  return out;
}

// ---- client side ----

namespace {

// An _error reply carries its reason in the info object's description.
Result<> expect_result(const Command& c, std::string_view what) {
  if (c.name == kResult) return {};
  if (c.name == kError) {
    const amf0::Value& info = c.arg(0);
    return fail(rtmp_command_errc::error_reply,
                fmt::format("{}: {} {}", what, info.get("code").string_or(),
                            info.get("description").string_or()));
  }
  return fail(rtmp_command_errc::unexpected_command, fmt::format("{}: got {}", what, c.name));
}

}  // namespace

Result<ConnectResponse> parse_connect_result(const Command& c) {
  if (auto r = expect_result(c, "connect"); !r) return std::unexpected(r.error());
  if (!c.arg(0).is_object_like()) return fail(rtmp_command_errc::missing_argument, "info");
  return ConnectResponse{c.transaction_id, c.command_object, c.arg(0)};
}

Result<double> parse_create_stream_result(const Command& c) {
  if (auto r = expect_result(c, "createStream"); !r) return std::unexpected(r.error());
  auto id = c.arg(0).as_number();
  if (!id) return fail(rtmp_command_errc::missing_argument, "stream id");
  return *id;
}

Result<StatusEvent> parse_status(const Command& c) {
  if (c.name != kOnStatus && c.name != kOnFCPublish && c.name != kOnFCUnpublish) {
    return fail(rtmp_command_errc::unexpected_command, fmt::format("{} is no status", c.name));
  }
  const amf0::Value& info = c.arg(0);
  if (!info.is_object_like()) return fail(rtmp_command_errc::missing_argument, "info");
  return StatusEvent{std::string(info.get("level").string_or()),
                     std::string(info.get("code").string_or()),
                     std::string(info.get("description").string_or()), info};
}

}  // namespace srs::rtmp
