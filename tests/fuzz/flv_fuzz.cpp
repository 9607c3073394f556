// FLV: the streaming decoder fed in pieces (sizes chosen by the first input byte, see
// Splitter) must return tags or a final error whatever the bytes and however they are cut;
// script tags go through decode_metadata, media tags through their tag header parsers. The
// tags it returns, written again as a file, must decode to the same tags.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_util.hpp"
#include "kernel/aac.hpp"
#include "kernel/avc.hpp"
#include "kernel/flv.hpp"

namespace {

using namespace srs;

struct SeenTag {
  flv::TagType type;
  uint32_t timestamp;
  Bytes data;
};

void check_tag(const flv::Tag& tag) {
  SRS_FUZZ_CHECK(tag.data.size() == tag.header.data_size);
  switch (tag.header.type) {
    case flv::TagType::script:
      if (auto m = flv::decode_metadata(tag.data)) {
        SRS_FUZZ_CHECK(m->is_object_like());
        // What we store and forward must be readable by ourselves.
        SRS_FUZZ_CHECK(flv::decode_metadata(flv::encode_metadata(*m)).has_value());
      }
      break;
    case flv::TagType::video:
      if (auto v = avc::parse_video_tag(tag.data)) {
        if (v->codec_id == avc::CodecId::avc && v->packet_type == avc::PacketType::sequence_header)
          (void)avc::parse_decoder_config(v->body);
      }
      break;
    case flv::TagType::audio:
      if (auto a = aac::parse_audio_tag(tag.data)) {
        if (a->format == aac::SoundFormat::aac &&
            a->packet_type == aac::PacketType::sequence_header)
          (void)aac::parse_audio_specific_config(a->body);
      }
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Splitter split(data, size);
  flv::Decoder decoder;
  std::vector<SeenTag> tags;
  bool failed = false;
  for (auto piece = split.next(); !piece.empty() && !failed; piece = split.next()) {
    decoder.feed(piece);
    for (;;) {
      auto tag = decoder.next();
      if (!tag) {
        failed = true;
        // An error is final.
        SRS_FUZZ_CHECK(!decoder.next().has_value());
        break;
      }
      if (!*tag) break;
      check_tag(**tag);
      tags.push_back({(*tag)->header.type, (*tag)->header.timestamp,
                      Bytes((*tag)->data.begin(), (*tag)->data.end())});
    }
  }
  // Script bodies are AMF0 as well: the raw stream is a fine metadata candidate too.
  (void)flv::decode_metadata(split.stream());

  // Re-encode what was read (the header flags do not matter to the decoder) and read it
  // back in one piece: the same tags must come out.
  if (!decoder.file_header()) return 0;
  Bytes file(flv::kFileHeaderSize + flv::kPreviousTagSizeSize);
  flv::encode_file_header(true, true,
                          std::span<uint8_t, flv::kFileHeaderSize + flv::kPreviousTagSizeSize>(
                              file.data(), file.size()));
  for (const auto& t : tags) flv::append_tag(file, t.type, t.timestamp, t.data);
  flv::Decoder again;
  again.feed(file);
  for (const auto& t : tags) {
    auto tag = again.next();
    SRS_FUZZ_CHECK(tag.has_value() && tag->has_value());
    SRS_FUZZ_CHECK((*tag)->header.type == t.type);
    SRS_FUZZ_CHECK((*tag)->header.timestamp == t.timestamp);
    SRS_FUZZ_CHECK(
        std::equal((*tag)->data.begin(), (*tag)->data.end(), t.data.begin(), t.data.end()));
  }
  auto end = again.next();
  SRS_FUZZ_CHECK(end.has_value() && !end->has_value());
  return 0;
}
