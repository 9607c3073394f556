// The server's replies of spec/rtmp.md §3 (connect _result, onBWDone, _result of calls,
// onStatus, onFCPublish/onFCUnpublish, |RtmpSampleAccess, NetStream.Data.Start), byte for
// byte what clients expect, and the client-side parsing of those replies (edge, forward and
// the client library talk to other servers with them).
#pragma once

#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/amf0.hpp"
#include "protocol/rtmp/commands.hpp"

namespace srs::rtmp {

// The stream id every createStream is answered with (spec §3.3: always 1).
constexpr double kDefaultStreamId = 1;
// The client id Flash Media Server put in onStatus; clients do not interpret it.
inline constexpr std::string_view kStatusClientId = "ASAICiss";

// The product identity in the connect _result's info.data (srs_* keys). Build constants;
// edges read srs_version ("2.0.<n>"), srs_pid and srs_id from the origin.
struct ServerIdentity {
  std::string sig;
  std::string server;
  std::string license;
  std::string role;
  std::string url;
  std::string version;
  std::string site;
  std::string email;
  std::string copyright;
  std::string primary;
  std::string authors;
};

// What the connect _result says about this connection.
struct ConnectResult {
  double object_encoding = 0;  // the client's objectEncoding
  std::string server_ip;       // local address of this TCP connection
  double pid = 0;
  double connection_id = 0;  // the context id of the connection
};

// "_result", 1, props {fmsVer, capabilities, mode}, info {level, code, description,
// objectEncoding, data: ECMA array of the identity}. Transaction 1 whatever the client sent.
Bytes encode_connect_result(const ServerIdentity& id, const ConnectResult& c);
// "onBWDone", 0, null.
Bytes encode_on_bw_done();
// "_result", tid, null, value: value 1 answers createStream, undefined the FMLE calls
// (releaseStream, FCPublish, FCUnpublish), null any other call.
Bytes encode_result(double transaction_id, const amf0::Value& value);

enum class Status {
  play_reset,
  play_start,
  pause_notify,
  unpause_notify,
  publish_start,
  unpublish_success,
  publish_bad_name,
};
// The info object of an onStatus: level, code, description, then details and clientid
// where the spec has them. Callers may add keys before encoding.
amf0::Object status_info(Status s);
// "onStatus", 0, null, info: sent on stream 1.
Bytes encode_on_status(const amf0::Object& info);
inline Bytes encode_on_status(Status s) {
  return encode_on_status(status_info(s));
}
// "onFCPublish"/"onFCUnpublish", 0, null, {code, description}.
Bytes encode_on_fc_publish();
Bytes encode_on_fc_unpublish();

// AMF0 data messages (type 18) sent to a player after NetStream.Play.Start.
// "|RtmpSampleAccess", audio, video: lets Flash read the samples (BitmapData.draw).
Bytes encode_sample_access(bool audio = true, bool video = true);
// "onStatus", {code: "NetStream.Data.Start"}.
Bytes encode_data_start();

// ---- client side ----

struct ConnectResponse {
  double transaction_id = 0;
  amf0::Value properties;  // fmsVer, capabilities, mode
  amf0::Value info;        // level, code, description, objectEncoding, data (srs_* identity)
};
// A connect _result; _error fails with error_reply and the server's description.
Result<ConnectResponse> parse_connect_result(const Command& c);
// The stream id of a createStream _result.
Result<double> parse_create_stream_result(const Command& c);

struct StatusEvent {
  std::string level;
  std::string code;
  std::string description;
  amf0::Value info;  // the whole object
};
// onStatus, onFCPublish, onFCUnpublish: the info object after the null.
Result<StatusEvent> parse_status(const Command& c);

}  // namespace srs::rtmp
