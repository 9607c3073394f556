// Audio: the same bytes read as an AudioSpecificConfig, ADTS frames, an FLV audio tag and an
// MPEG audio stream. What parses must hold its invariants and survive being written back.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "kernel/aac.hpp"
#include "kernel/mp3.hpp"

namespace {

using namespace srs;

void check_config(ByteSpan data) {
  auto c = aac::parse_audio_specific_config(data);
  if (!c) return;
  SRS_FUZZ_CHECK(c->sample_rate > 0);
  (void)c->channels();
  (void)aac::profile_name(*c);
  Bytes written;
  if (aac::write_audio_specific_config(*c, written)) {
    auto again = aac::parse_audio_specific_config(written);
    SRS_FUZZ_CHECK(again && again->object_type == c->object_type &&
                   again->sample_rate == c->sample_rate &&
                   again->channel_config == c->channel_config);
  }
}

void check_adts(ByteSpan data) {
  aac::AdtsReader reader(data);
  size_t total = 0;
  for (auto f = reader.next(); f && *f; f = reader.next()) {
    const aac::AdtsHeader& h = (*f)->header;
    SRS_FUZZ_CHECK(h.frame_length >= h.header_size());
    SRS_FUZZ_CHECK((*f)->payload.size() == h.frame_length - h.header_size());
    total += h.frame_length;
    SRS_FUZZ_CHECK(total <= data.size());
    // The frame written again from its config parses to the same stream parameters.
    const aac::AudioSpecificConfig config = aac::config_of(h);
    Bytes frame;
    if (aac::write_adts_frame(config, (*f)->payload, frame)) {
      auto again = aac::parse_adts_header(frame);
      SRS_FUZZ_CHECK(again && again->sampling_index == h.sampling_index &&
                     again->channel_config == h.channel_config &&
                     again->frame_length == frame.size());
    }
  }
  if (auto h = aac::parse_adts_header(data)) {
    if (auto built = aac::build_adts_header(*h)) {
      auto again = aac::parse_adts_header(*built);
      SRS_FUZZ_CHECK(again && again->object_type == h->object_type &&
                     again->frame_length == h->frame_length);
    }
  }
}

void check_mp3(ByteSpan data) {
  (void)mp3::id3v2_size(data);
  if (auto h = mp3::parse_frame_header(data)) {
    SRS_FUZZ_CHECK(h->frame_length >= mp3::kHeaderSize);
    SRS_FUZZ_CHECK(h->sample_rate > 0 && h->samples_per_frame > 0);
  }
  auto first = mp3::find_first_frame(data);
  if (first) {
    SRS_FUZZ_CHECK(*first < data.size());
    SRS_FUZZ_CHECK(mp3::parse_frame_header(data.subspan(*first)).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  check_config(in);
  check_adts(in);
  check_mp3(in);
  if (auto tag = aac::parse_audio_tag(in)) {
    SRS_FUZZ_CHECK(tag->rate_index < aac::kFlvSoundRates.size());
    (void)tag->flv_sample_rate();
    if (tag->format == aac::SoundFormat::aac &&
        tag->packet_type == aac::PacketType::sequence_header)
      check_config(tag->body);
  }
  return 0;
}
