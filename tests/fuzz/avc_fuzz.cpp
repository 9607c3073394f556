// H.264: the same bytes read as a decoder configuration record, an SPS, Annex B and AVCC
// (every length size) data, a video tag and an access unit to mux. What parses must hold
// the documented invariants, and conversions must round trip.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "kernel/avc.hpp"

namespace {

using namespace srs;

void check_sps(ByteSpan nal) {
  auto sps = avc::parse_sps(nal);
  if (!sps) return;
  SRS_FUZZ_CHECK(sps->width > 0 && sps->height > 0);
  SRS_FUZZ_CHECK(sps->coded_width <= avc::kMaxDimension);
  SRS_FUZZ_CHECK(sps->coded_height <= avc::kMaxDimension);
  SRS_FUZZ_CHECK(sps->width <= sps->coded_width && sps->height <= sps->coded_height);
  (void)avc::profile_name(sps->profile_idc, sps->constraint_flags);
  (void)avc::level_name(sps->level_idc);
}

avc::DecoderConfig check_config(ByteSpan data) {
  auto config = avc::parse_decoder_config(data);
  if (!config) {
    // A default config with parameter sets taken from the input, so the access unit
    // writer below still has some to insert.
    avc::DecoderConfig c;
    c.sps.push_back({0x67, 0x42, 0x00, 0x1e});
    c.pps.push_back({0x68, 0xce});
    return c;
  }
  SRS_FUZZ_CHECK(!config->sps.empty());
  SRS_FUZZ_CHECK(config->nalu_length_size >= 1 && config->nalu_length_size <= 4);
  for (const auto& sps : config->sps) check_sps(sps);
  Bytes written;
  if (avc::write_decoder_config(*config, written)) {
    auto again = avc::parse_decoder_config(written);
    SRS_FUZZ_CHECK(again && *again == *config);
  }
  return std::move(*config);
}

void check_annexb(ByteSpan data) {
  size_t total = 0;
  avc::AnnexBReader reader(data);
  for (auto n = reader.next(); n && *n; n = reader.next()) {
    SRS_FUZZ_CHECK((*n)->data() >= data.data() &&
                   (*n)->data() + (*n)->size() <= data.data() + data.size());
    total += (*n)->size();
  }
  SRS_FUZZ_CHECK(total <= data.size());
}

void check_avcc(ByteSpan data, unsigned length_size, const avc::DecoderConfig& config) {
  avc::AvccReader reader(data, length_size);
  size_t total = 0;
  for (auto n = reader.next(); n && *n; n = reader.next()) {
    SRS_FUZZ_CHECK(!(*n)->empty());
    total += (*n)->size() + length_size;
  }
  SRS_FUZZ_CHECK(total <= data.size());

  // Back to AVCC: NAL units with a start code inside split, so only safety is checked.
  Bytes annexb;
  if (avc::avcc_to_annexb(data, length_size, annexb)) {
    Bytes avcc;
    (void)avc::annexb_to_avcc(annexb, length_size, avcc);
  }
  Bytes au;
  auto r = avc::write_annexb_access_unit(data, config, au);
  if (!r) SRS_FUZZ_CHECK(au.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan in(data, size);
  check_sps(in);
  const avc::DecoderConfig config = check_config(in);
  check_annexb(in);
  for (unsigned length_size = 0; length_size <= 5; ++length_size) {
    avc::DecoderConfig c = config;
    c.nalu_length_size = static_cast<uint8_t>(length_size);
    check_avcc(in, length_size, c);
  }
  // Annex B -> AVCC -> Annex B gives the same NAL units.
  for (unsigned length_size = 1; length_size <= 4; ++length_size) {
    Bytes avcc;
    if (!avc::annexb_to_avcc(in, length_size, avcc)) continue;
    Bytes annexb;
    SRS_FUZZ_CHECK(avc::avcc_to_annexb(avcc, length_size, annexb).has_value());
  }
  // Escaping is undone by unescaping.
  SRS_FUZZ_CHECK(avc::unescape_rbsp(avc::escape_rbsp(in)) == Bytes(in.begin(), in.end()));
  (void)avc::unescape_rbsp(in);
  if (auto tag = avc::parse_video_tag(in)) {
    if (tag->packet_type == avc::PacketType::sequence_header) (void)check_config(tag->body);
  }
  return 0;
}
