#include "protocol/rtmp/commands.hpp"

#include <iterator>

namespace srs {

namespace {
class RtmpCommandCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "srs.rtmp.command"; }
  std::string message(int ev) const override {
    switch (static_cast<rtmp_command_errc>(ev)) {
      case rtmp_command_errc::not_a_command:
        return "rtmp: not a command";
      case rtmp_command_errc::missing_argument:
        return "rtmp: missing or invalid argument";
      case rtmp_command_errc::unexpected_command:
        return "rtmp: unexpected command";
      case rtmp_command_errc::error_reply:
        return "rtmp: peer answered _error";
    }
    return "rtmp: unknown command error";
  }
};
}  // namespace

const std::error_category& rtmp_command_category() noexcept {
  static const RtmpCommandCategory category;
  return category;
}

namespace rtmp {

const amf0::Value& Command::arg(size_t i) const noexcept {
  static const amf0::Value missing;
  return i < arguments.size() ? arguments[i] : missing;
}

bool is_command(MessageType type) noexcept {
  return type == MessageType::amf0_command || type == MessageType::amf3_command;
}

bool is_data(MessageType type) noexcept {
  return type == MessageType::amf0_data || type == MessageType::amf3_data;
}

Result<ByteSpan> amf0_body(MessageType type, ByteSpan payload) {
  if (type == MessageType::amf3_command || type == MessageType::amf3_data) {
    if (payload.empty()) return fail(rtmp_command_errc::not_a_command, "empty AMF3 payload");
    return payload.subspan(1);
  }
  if (type == MessageType::amf0_command || type == MessageType::amf0_data) return payload;
  return fail(rtmp_command_errc::not_a_command,
              fmt::format("message type {}", static_cast<unsigned>(type)));
}

Result<Command> decode_command(MessageType type, ByteSpan payload) {
  if (!is_command(type)) {
    return fail(rtmp_command_errc::not_a_command,
                fmt::format("message type {}", static_cast<unsigned>(type)));
  }
  auto body = amf0_body(type, payload);
  if (!body) return std::unexpected(body.error());
  auto values = amf0::decode_all(*body);
  if (!values) return wrap(values, "command");
  std::vector<amf0::Value>& v = *values;
  if (v.empty() || !v[0].is_string()) return fail(rtmp_command_errc::not_a_command, "no name");
  Command c;
  c.name = std::string(*v[0].as_string());
  // Some clients send a null transaction id in calls that need no answer: read it as 0.
  if (v.size() > 1) c.transaction_id = v[1].number_or(0);
  if (v.size() > 2) c.command_object = std::move(v[2]);
  if (v.size() > 3) {
    c.arguments.assign(std::make_move_iterator(v.begin() + 3), std::make_move_iterator(v.end()));
  }
  return c;
}

Bytes encode_command(std::string_view name, double transaction_id,
                     const amf0::Value& command_object, std::span<const amf0::Value> arguments) {
  size_t size = 3 + name.size() + 9 + amf0::encoded_size(command_object);
  for (const auto& a : arguments) size += amf0::encoded_size(a);
  Bytes out;
  out.reserve(size);
  ByteWriter w(out);
  amf0::write_string(w, name);
  amf0::write_number(w, transaction_id);
  amf0::encode(command_object, w);
  for (const auto& a : arguments) amf0::encode(a, w);
  return out;
}

// ---- typed requests ----

namespace {

Result<> expect_name(const Command& c, std::string_view name) {
  if (c.name == name) return {};
  return fail(rtmp_command_errc::unexpected_command, fmt::format("{} is not {}", c.name, name));
}

Result<std::string> required_string(const amf0::Value& v, std::string_view what) {
  if (auto s = v.as_string()) return std::string(*s);
  return fail(rtmp_command_errc::missing_argument, std::string(what));
}

}  // namespace

Result<ConnectRequest> parse_connect(const Command& c) {
  if (auto r = expect_name(c, kConnect); !r) return std::unexpected(r.error());
  const amf0::Value& o = c.command_object;
  if (!o.is_object_like()) return fail(rtmp_command_errc::missing_argument, "command object");
  ConnectRequest req;
  req.transaction_id = c.transaction_id;
  auto tc_url = required_string(o.get("tcUrl"), "tcUrl");
  if (!tc_url) return std::unexpected(tc_url.error());
  req.tc_url = std::move(*tc_url);
  req.app = std::string(o.get("app").string_or());
  req.page_url = std::string(o.get("pageUrl").string_or());
  req.swf_url = std::string(o.get("swfUrl").string_or());
  req.object_encoding = o.get("objectEncoding").number_or(0);
  if (c.arg(0).is_object_like()) req.args = c.arg(0);
  return req;
}

Result<StreamRequest> parse_stream_request(const Command& c) {
  for (std::string_view name : {kCreateStream, kCloseStream, kCheckBw, kReleaseStream, kFCPublish,
                                kFCUnpublish, kGetStreamLength}) {
    if (c.name == name) return StreamRequest{c.transaction_id, std::string(c.arg(0).string_or())};
  }
  return fail(rtmp_command_errc::unexpected_command,
              fmt::format("{} is no stream request", c.name));
}

Result<PublishRequest> parse_publish(const Command& c) {
  if (auto r = expect_name(c, kPublish); !r) return std::unexpected(r.error());
  auto name = required_string(c.arg(0), "stream name");
  if (!name) return std::unexpected(name.error());
  PublishRequest req{c.transaction_id, std::move(*name)};
  if (auto type = c.arg(1).as_string()) req.type = std::string(*type);
  return req;
}

Result<PlayRequest> parse_play(const Command& c) {
  if (auto r = expect_name(c, kPlay); !r) return std::unexpected(r.error());
  auto name = required_string(c.arg(0), "stream name");
  if (!name) return std::unexpected(name.error());
  PlayRequest req;
  req.transaction_id = c.transaction_id;
  req.stream_name = std::move(*name);
  req.start = c.arg(1).number_or(req.start);
  req.duration = c.arg(2).number_or(req.duration);
  // Flash sends a boolean; some clients send a number (0 = no reset).
  if (auto b = c.arg(3).as_boolean()) req.reset = *b;
  if (auto n = c.arg(3).as_number()) req.reset = *n != 0;
  return req;
}

Result<PauseRequest> parse_pause(const Command& c) {
  if (auto r = expect_name(c, kPause); !r) return std::unexpected(r.error());
  auto flag = c.arg(0).as_boolean();
  if (!flag) return fail(rtmp_command_errc::missing_argument, "pause flag");
  return PauseRequest{c.transaction_id, *flag, c.arg(1).number_or(0)};
}

Result<DeleteStreamRequest> parse_delete_stream(const Command& c) {
  if (auto r = expect_name(c, kDeleteStream); !r) return std::unexpected(r.error());
  return DeleteStreamRequest{c.transaction_id, c.arg(0).number_or(0)};
}

// ---- client side ----

Bytes encode_connect(const ConnectOptions& o) {
  // The property set Flash Player sends (RTMP spec 7.2.1.1); servers look at tcUrl, app
  // and objectEncoding, some also at the codec masks.
  const amf0::Value object = amf0::Object{
      {"app", o.app},
      {"flashVer", o.flash_ver},
      {"swfUrl", o.swf_url},
      {"tcUrl", o.tc_url},
      {"fpad", false},
      {"capabilities", 239},
      {"audioCodecs", 3575},
      {"videoCodecs", 252},
      {"videoFunction", 1},
      {"pageUrl", o.page_url},
      {"objectEncoding", o.object_encoding},
  };
  if (o.args.is_object_like()) return encode_command(kConnect, 1, object, {&o.args, 1});
  return encode_command(kConnect, 1, object, {});
}

Bytes encode_create_stream(double transaction_id) {
  return encode_command(kCreateStream, transaction_id, amf0::Null{}, {});
}

Bytes encode_stream_call(std::string_view name, double transaction_id,
                         std::string_view stream_name) {
  const amf0::Value arg = stream_name;
  return encode_command(name, transaction_id, amf0::Null{}, {&arg, 1});
}

Bytes encode_publish(double transaction_id, std::string_view stream_name, std::string_view type) {
  const amf0::Value args[] = {stream_name, type};
  return encode_command(kPublish, transaction_id, amf0::Null{}, args);
}

Bytes encode_play(const PlayRequest& p) {
  const amf0::Value args[] = {p.stream_name, p.start, p.duration, p.reset};
  return encode_command(kPlay, p.transaction_id, amf0::Null{}, args);
}

Bytes encode_pause(double transaction_id, bool pause, double time_ms) {
  const amf0::Value args[] = {pause, time_ms};
  return encode_command(kPause, transaction_id, amf0::Null{}, args);
}

Bytes encode_close_stream() {
  return encode_command(kCloseStream, 0, amf0::Null{}, {});
}

Bytes encode_delete_stream(double transaction_id, double stream_id) {
  const amf0::Value arg = stream_id;
  return encode_command(kDeleteStream, transaction_id, amf0::Null{}, {&arg, 1});
}

}  // namespace rtmp
}  // namespace srs
