#include "protocol/rtmp/metadata.hpp"

namespace srs::rtmp {

namespace {

std::string codec_text(const amf0::Value& v) {
  if (auto n = v.as_number()) return fmt::format("{}", *n);
  return std::string(v.string_or());
}

}  // namespace

bool is_metadata(MessageType type, ByteSpan payload) noexcept {
  if (!is_data(type)) return false;
  if (type == MessageType::amf3_data) {
    if (payload.empty()) return false;
    payload = payload.subspan(1);
  }
  ByteReader r(payload);
  if (r.u8() != static_cast<uint8_t>(amf0::Marker::string)) return false;
  const std::string_view name = r.str(r.u16());
  return r.ok() && (name == "@setDataFrame" || name == "onMetaData");
}

Result<amf0::Value> decode_metadata(MessageType type, ByteSpan payload) {
  if (!is_data(type)) {
    return fail(rtmp_command_errc::not_a_command,
                fmt::format("metadata in message type {}", static_cast<unsigned>(type)));
  }
  auto body = amf0_body(type, payload);
  if (!body) return std::unexpected(body.error());
  return flv::decode_metadata(*body);
}

Metadata build_stored_metadata(const amf0::Value& publisher_metadata, const MetadataStamp& stamp) {
  Metadata m;
  const amf0::Value& in = publisher_metadata;
  m.width = in.get("width").number_or(0);
  m.height = in.get("height").number_or(0);
  m.video_codec = codec_text(in.get("videocodecid"));
  m.audio_codec = codec_text(in.get("audiocodecid"));
  m.bravo_atc = in.get("bravo_atc").string_or() == "true";

  // ECMA arrays are stored as objects: every player understands an object.
  amf0::Object o;
  if (const amf0::Object* src = in.as_object()) o = *src;
  // A live stream has no duration; players that see one show a seek bar and stop there.
  o.remove("duration");
  // Removed then appended, so our keys are always last and in this order.
  const std::pair<std::string_view, std::string_view> ours[] = {
      {"server", stamp.server},
      {"srs_primary", stamp.primary},
      {"srs_authors", stamp.authors},
      {"server_version", stamp.server_version},
  };
  for (const auto& [k, v] : ours) {
    o.remove(k);
    o.append(std::string(k), v);
  }
  m.object = std::move(o);
  m.payload = flv::encode_metadata(m.object);
  return m;
}

}  // namespace srs::rtmp
