// RTMP command messages (AMF0 type 20, AMF3 type 17): a command is a sequence of AMF0
// values, name, transaction id, command object, then arguments. This file decodes them into
// a Command, parses the requests a client sends (connect, createStream, publish, play...)
// into typed forms, and encodes those requests for our own client side (edge, forward,
// client library). Server replies are in replies.hpp, data messages in metadata.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/amf0.hpp"
#include "kernel/shared_message.hpp"

namespace srs {

enum class rtmp_command_errc {
  not_a_command = 1,   // a message that is not a command/data type, or has no string name
  missing_argument,    // a required argument is absent or of the wrong type (context: which)
  unexpected_command,  // parsed as one command but named another
  error_reply,         // the peer answered _error (context: its description)
};
const std::error_category& rtmp_command_category() noexcept;
inline std::error_code make_error_code(rtmp_command_errc e) noexcept {
  return {static_cast<int>(e), rtmp_command_category()};
}

namespace rtmp {

// Command names (RTMP spec 7.2, plus the FMLE/Flash calls servers answer).
inline constexpr std::string_view kConnect = "connect";
inline constexpr std::string_view kCreateStream = "createStream";
inline constexpr std::string_view kReleaseStream = "releaseStream";
inline constexpr std::string_view kFCPublish = "FCPublish";
inline constexpr std::string_view kFCUnpublish = "FCUnpublish";
inline constexpr std::string_view kPublish = "publish";
inline constexpr std::string_view kPlay = "play";
inline constexpr std::string_view kPause = "pause";
inline constexpr std::string_view kCloseStream = "closeStream";
inline constexpr std::string_view kDeleteStream = "deleteStream";
inline constexpr std::string_view kGetStreamLength = "getStreamLength";
inline constexpr std::string_view kCheckBw = "_checkbw";
inline constexpr std::string_view kResult = "_result";
inline constexpr std::string_view kError = "_error";
inline constexpr std::string_view kOnStatus = "onStatus";
inline constexpr std::string_view kOnBWDone = "onBWDone";
inline constexpr std::string_view kOnFCPublish = "onFCPublish";
inline constexpr std::string_view kOnFCUnpublish = "onFCUnpublish";

// A decoded command. Missing trailing values read as undefined.
struct Command {
  std::string name;
  double transaction_id = 0;
  amf0::Value command_object;          // usually an object (connect, _result) or null
  std::vector<amf0::Value> arguments;  // the values after the command object

  // Argument i (0 = the first after the command object), undefined when absent.
  const amf0::Value& arg(size_t i) const noexcept;
};

bool is_command(MessageType type) noexcept;  // 20 or 17
bool is_data(MessageType type) noexcept;     // 18 or 15
// The AMF0 part of a command or data payload: AMF3 messages (17, 15) carry one leading
// byte (the AMF3 format selector) before AMF0 values; it is skipped, not checked.
Result<ByteSpan> amf0_body(MessageType type, ByteSpan payload);

// Decodes a command message (type 20 or 17).
Result<Command> decode_command(MessageType type, ByteSpan payload);
// Encodes name, transaction id, command object, arguments as an AMF0 payload (type 20).
Bytes encode_command(std::string_view name, double transaction_id,
                     const amf0::Value& command_object, std::span<const amf0::Value> arguments);

// ---- typed requests ----

struct ConnectRequest {
  double transaction_id = 1;
  std::string app;
  std::string tc_url;  // required
  std::string page_url;
  std::string swf_url;
  double object_encoding = 0;  // 0 = AMF0, 3 = AMF3; echoed in the _result
  amf0::Value args;            // the optional 4th value (an object), else undefined
};
// A stream request: createStream, closeStream, _checkbw carry only a transaction id;
// releaseStream, FCPublish, FCUnpublish, getStreamLength carry a stream name too (empty when
// absent: the caller decides what an empty name means).
struct StreamRequest {
  double transaction_id = 0;
  std::string stream_name;
};
struct PublishRequest {
  double transaction_id = 0;
  std::string stream_name;    // required
  std::string type = "live";  // "live", "record", "append"
};
struct PlayRequest {
  double transaction_id = 0;
  std::string stream_name;  // required
  double start = -2;        // -2: live, else recorded; -1: live only; >= 0: seek (ms)
  double duration = -1;     // ms of media to play; -1 (or any negative): until the end
  bool reset = true;
};
struct PauseRequest {
  double transaction_id = 0;
  bool pause = true;  // required: true pauses, false resumes
  double time_ms = 0;
};
struct DeleteStreamRequest {
  double transaction_id = 0;
  double stream_id = 0;
};

// Each checks the command's name (unexpected_command) and its required values
// (missing_argument).
Result<ConnectRequest> parse_connect(const Command& c);
Result<StreamRequest> parse_stream_request(const Command& c);  // any of the names above
Result<PublishRequest> parse_publish(const Command& c);
Result<PlayRequest> parse_play(const Command& c);
Result<PauseRequest> parse_pause(const Command& c);
Result<DeleteStreamRequest> parse_delete_stream(const Command& c);

// ---- client side: the requests we send as a client ----

struct ConnectOptions {
  std::string app;
  std::string tc_url;
  std::string page_url;
  std::string swf_url;
  std::string flash_ver = "WIN 15,0,0,239";
  double object_encoding = 0;
  amf0::Value args;  // sent as the 4th value when it is an object (e.g. our srs_* identity)
};
Bytes encode_connect(const ConnectOptions& o);
Bytes encode_create_stream(double transaction_id);
// releaseStream, FCPublish, FCUnpublish, getStreamLength: name, tid, null, stream name.
Bytes encode_stream_call(std::string_view name, double transaction_id,
                         std::string_view stream_name);
Bytes encode_publish(double transaction_id, std::string_view stream_name,
                     std::string_view type = "live");
Bytes encode_play(const PlayRequest& p);
Bytes encode_pause(double transaction_id, bool pause, double time_ms);
Bytes encode_close_stream();
Bytes encode_delete_stream(double transaction_id, double stream_id);

}  // namespace rtmp
}  // namespace srs

namespace std {
template <>
struct is_error_code_enum<srs::rtmp_command_errc> : true_type {};
}  // namespace std
