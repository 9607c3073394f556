// Stream metadata (spec/rtmp.md §4): a publisher sends onMetaData in an AMF0/AMF3 data
// message, usually wrapped as "@setDataFrame", "onMetaData", {object or ECMA array}. The
// server stores and forwards it as "onMetaData" + an AMF0 object with duration removed and
// its own identity keys appended, and reports the stream's size and codecs.
#pragma once

#include <string>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "kernel/amf0.hpp"
#include "kernel/flv.hpp"
#include "kernel/shared_message.hpp"
#include "protocol/rtmp/commands.hpp"

namespace srs::rtmp {

// Values the server writes into stored metadata.
struct MetadataStamp {
  std::string server;          // key "server": our server string
  std::string primary;         // key "srs_primary"
  std::string authors;         // key "srs_authors"
  std::string server_version;  // key "server_version"
};

struct Metadata {
  amf0::Value object;  // the stored object (always an object, never an ECMA array)
  Bytes payload;       // "onMetaData" + object: the body of the stored type-18 message
  // From the publisher's metadata, for the log (0 / empty when absent).
  double width = 0;
  double height = 0;
  std::string video_codec;  // videocodecid as text: "7" (AVC), or a FourCC some encoders send
  std::string audio_codec;  // audiocodecid as text: "10" (AAC), "2" (MP3)...
  bool bravo_atc = false;   // bravo_atc = "true": the publisher asks for ATC (atc_auto)
};

// A data message (type 18/15) that carries metadata, judged by its first string only
// (no allocation): what a publisher's data messages are filtered with.
bool is_metadata(MessageType type, ByteSpan payload) noexcept;
// The publisher's metadata object or ECMA array, as sent. Errors: rtmp_command_errc::
// not_a_command (not a data message), flv_errc::not_metadata (other data), amf0_errc.
Result<amf0::Value> decode_metadata(MessageType type, ByteSpan payload);
// The stored form of a publisher's metadata (object or ECMA array).
Metadata build_stored_metadata(const amf0::Value& publisher_metadata, const MetadataStamp& stamp);

}  // namespace srs::rtmp
