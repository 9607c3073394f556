// Helpers for TS and HLS tests: FLV message payloads built from the raw codec files in
// tests/data, the messages of tests/data/tiny.flv, and a strict demux of muxed bytes.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "core/bytes.hpp"
#include "kernel/aac.hpp"
#include "kernel/avc.hpp"
#include "kernel/flv.hpp"
#include "kernel/shared_message.hpp"
#include "kernel/ts_demuxer.hpp"
#include "unit/kernel/codec_test_util.hpp"

namespace srs::test {

// FLV video tag bodies (FLV spec E.4.3.1): frame type + codec 7, packet type, cts.
inline Bytes avc_payload(bool keyframe, uint8_t packet_type, int32_t cts, ByteSpan body) {
  Bytes out = {static_cast<uint8_t>(keyframe ? 0x17 : 0x27), packet_type};
  ByteWriter w(out);
  w.u24(static_cast<uint32_t>(cts) & 0xffffff);
  w.bytes(body);
  return out;
}
// FLV audio tag body for AAC 44.1 kHz stereo: 0xaf, then packet type.
inline Bytes aac_payload(uint8_t packet_type, ByteSpan body) {
  Bytes out = {0xaf, packet_type};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}
inline Bytes mp3_payload(ByteSpan frames) {
  Bytes out = {0x2f};
  out.insert(out.end(), frames.begin(), frames.end());
  return out;
}

// tests/data/h264_high_640x360.h264 as FLV payloads: the sequence header (SPS+PPS) and
// three frames (SEI+IDR, P, P) in AVCC.
struct H264Sample {
  Bytes sequence_header;
  std::vector<Bytes> frames;  // frames[0] is the keyframe
  avc::DecoderConfig config;
};
inline H264Sample h264_sample() {
  H264Sample s;
  Bytes file = read_data_file("h264_high_640x360.h264");
  avc::AnnexBReader reader(file);
  Bytes frame;
  bool key = false;
  auto push = [&] {
    if (!frame.empty()) s.frames.push_back(avc_payload(key, 1, 0, frame));
    frame.clear();
    key = false;
  };
  while (true) {
    auto nal = reader.next();
    if (!nal || !*nal) break;
    ByteSpan n = **nal;
    auto type = avc::nal_type(n);
    if (type == avc::NalType::sps) s.config.sps.emplace_back(n.begin(), n.end());
    if (type == avc::NalType::pps) s.config.pps.emplace_back(n.begin(), n.end());
    if (type == avc::NalType::sps || type == avc::NalType::pps) continue;
    ByteWriter w(frame);
    w.u32(static_cast<uint32_t>(n.size()));
    w.bytes(n);
    key = key || type == avc::NalType::idr;
    if (type == avc::NalType::idr || type == avc::NalType::non_idr) push();
  }
  auto sps = avc::parse_sps(s.config.sps.at(0));
  s.config.profile = sps->profile_idc;
  s.config.level = sps->level_idc;
  Bytes record;
  EXPECT_TRUE(avc::write_decoder_config(s.config, record));
  s.sequence_header = avc_payload(true, 0, 0, record);
  return s;
}

// tests/data/aac_44100_stereo.adts as FLV payloads: the AudioSpecificConfig and raw frames.
struct AacSample {
  Bytes sequence_header;
  std::vector<Bytes> frames;
  std::vector<Bytes> raw;  // the raw blocks, to compare with what comes back
};
inline AacSample aac_sample() {
  AacSample s;
  Bytes file = read_data_file("aac_44100_stereo.adts");
  aac::AdtsReader reader(file);
  while (true) {
    auto f = reader.next();
    if (!f || !*f) break;
    if (s.sequence_header.empty()) {
      Bytes asc;
      EXPECT_TRUE(aac::write_audio_specific_config(aac::config_of((*f)->header), asc));
      s.sequence_header = aac_payload(0, asc);
    }
    s.raw.emplace_back((*f)->payload.begin(), (*f)->payload.end());
    s.frames.push_back(aac_payload(1, (*f)->payload));
  }
  return s;
}

// Every message of tests/data/tiny.flv (64x64 H.264 at 5 fps + AAC, 1 s).
inline std::vector<SharedMessagePtr> tiny_flv_messages(size_t* flv_bytes = nullptr) {
  Bytes file = read_data_file("tiny.flv");
  if (flv_bytes) *flv_bytes = file.size();
  std::vector<SharedMessagePtr> out;
  flv::Decoder decoder;
  decoder.feed(file);
  while (true) {
    auto tag = decoder.next();
    EXPECT_TRUE(tag);
    if (!tag || !*tag) break;
    const flv::TagHeader& h = (*tag)->header;
    auto type = static_cast<MessageType>(h.type);
    out.push_back(
        SharedMessage::make(type, h.timestamp, 1, Bytes((*tag)->data.begin(), (*tag)->data.end())));
  }
  return out;
}

struct DemuxedPes {
  uint16_t pid;
  uint8_t stream_type;
  uint8_t stream_id;
  std::optional<uint64_t> pts;
  std::optional<uint64_t> dts;
  bool random_access;
  Bytes data;
};
struct Demuxed {
  std::vector<DemuxedPes> pes;
  std::vector<ts::Pcr> pcrs;
  ts::ProgramInfo program;
  ts::DemuxerStats stats;
  std::vector<DemuxedPes> of(uint16_t pid) const {
    std::vector<DemuxedPes> r;
    for (const auto& p : pes)
      if (p.pid == pid) r.push_back(p);
    return r;
  }
};
// Demuxes in strict mode; a failure fails the calling test.
inline Demuxed demux(ByteSpan ts_bytes) {
  Demuxed d;
  ts::Demuxer demuxer({[&](const ts::Pes& p) {
                         d.pes.push_back({p.pid, p.stream_type, p.stream_id, p.pts, p.dts,
                                          p.random_access, Bytes(p.data.begin(), p.data.end())});
                       },
                       [&](const ts::Pcr& pcr) { d.pcrs.push_back(pcr); }},
                      true);
  auto r = demuxer.feed(ts_bytes);
  EXPECT_TRUE(r) << r.error().message();
  auto f = demuxer.finish();
  EXPECT_TRUE(f) << f.error().message();
  d.program = demuxer.program();
  d.stats = demuxer.stats();
  return d;
}

}  // namespace srs::test
