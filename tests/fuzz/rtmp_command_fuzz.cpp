// RTMP commands and data messages: the first input byte picks the message type (AMF0 or
// AMF3 command, AMF0 or AMF3 data), the rest is the payload. A command goes through
// decode_command and every typed parser, server and client side; what parses is encoded
// again with our own encoders and must parse back the same. A data message goes through
// the metadata path, and the stored metadata must be readable as metadata again.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "protocol/rtmp/commands.hpp"
#include "protocol/rtmp/metadata.hpp"
#include "protocol/rtmp/replies.hpp"

namespace {

using namespace srs;
using namespace srs::rtmp;

// Numbers that went through a round trip: NaN has no equal, so it only needs to stay NaN.
bool same(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

Command decode_ours(const Bytes& payload) {
  auto c = decode_command(MessageType::amf0_command, payload);
  SRS_FUZZ_CHECK(c.has_value());
  return std::move(*c);
}

void check_typed(const Command& c) {
  if (auto r = parse_connect(c)) {
    ConnectOptions o;
    o.app = r->app;
    o.tc_url = r->tc_url;
    o.page_url = r->page_url;
    o.swf_url = r->swf_url;
    o.object_encoding = r->object_encoding;
    o.args = r->args;
    auto back = parse_connect(decode_ours(encode_connect(o)));
    SRS_FUZZ_CHECK(back && back->tc_url == r->tc_url && back->app == r->app);
  }
  if (auto r = parse_stream_request(c)) {
    if (c.name != kCreateStream && c.name != kCloseStream && c.name != kCheckBw) {
      auto back = parse_stream_request(decode_ours(encode_stream_call(c.name, 1, r->stream_name)));
      SRS_FUZZ_CHECK(back && back->stream_name == r->stream_name);
    }
  }
  if (auto r = parse_publish(c)) {
    auto back =
        parse_publish(decode_ours(encode_publish(r->transaction_id, r->stream_name, r->type)));
    SRS_FUZZ_CHECK(back && back->stream_name == r->stream_name && back->type == r->type);
  }
  if (auto r = parse_play(c)) {
    auto back = parse_play(decode_ours(encode_play(*r)));
    SRS_FUZZ_CHECK(back && back->stream_name == r->stream_name && same(back->start, r->start) &&
                   same(back->duration, r->duration) && back->reset == r->reset);
  }
  if (auto r = parse_pause(c)) {
    auto back = parse_pause(decode_ours(encode_pause(r->transaction_id, r->pause, r->time_ms)));
    SRS_FUZZ_CHECK(back && back->pause == r->pause && same(back->time_ms, r->time_ms));
  }
  (void)parse_delete_stream(c);
  // Replies, as our client (edge, forward) reads them from another server.
  (void)parse_connect_result(c);
  (void)parse_create_stream_result(c);
  (void)parse_status(c);
}

void check_command(MessageType type, ByteSpan payload) {
  auto c = decode_command(type, payload);
  if (!c) return;
  auto again =
      decode_ours(encode_command(c->name, c->transaction_id, c->command_object, c->arguments));
  SRS_FUZZ_CHECK(again.name == c->name && same(again.transaction_id, c->transaction_id));
  SRS_FUZZ_CHECK(again.arguments.size() == c->arguments.size());
  check_typed(*c);
}

void check_data(MessageType type, ByteSpan payload) {
  const bool named = is_metadata(type, payload);
  auto m = decode_metadata(type, payload);
  if (!m) return;
  // Decoding needs the name is_metadata() looks for.
  SRS_FUZZ_CHECK(named);
  const MetadataStamp stamp{"SRS/fuzz", "primary", "authors", "2.0.0"};
  Metadata stored = build_stored_metadata(*m, stamp);
  SRS_FUZZ_CHECK(stored.object.as_object() != nullptr);
  SRS_FUZZ_CHECK(!stored.object.as_object()->contains("duration"));
  auto back = decode_metadata(MessageType::amf0_data, stored.payload);
  SRS_FUZZ_CHECK(back && back->get("server").string_or() == "SRS/fuzz");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr std::array<MessageType, 4> kTypes = {MessageType::amf0_command,
                                                 MessageType::amf3_command, MessageType::amf0_data,
                                                 MessageType::amf3_data};
  const MessageType type = kTypes[data[0] & 3];
  const ByteSpan payload(data + 1, size - 1);
  check_command(type, payload);
  check_data(type, payload);
  return 0;
}
