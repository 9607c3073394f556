// HLS overhead: muxes FLV files into MPEG-TS the way HLS does (a segment, with its PAT/PMT,
// cut at the first keyframe after every --fragment seconds) and reports
// (TS bytes - FLV bytes) / FLV bytes, plus the muxing speed. Inputs come from
// bench/hls_overhead.sh; results go to bench/RESULTS.md.
//
//   objs/hls_overhead [--fragment 10] [--merge-ms 300] a.flv b.flv ...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/flv.hpp"
#include "kernel/shared_message.hpp"
#include "kernel/ts_muxer.hpp"

namespace {

using namespace srs;

struct Report {
  size_t flv_bytes = 0;
  size_t ts_bytes = 0;
  size_t video_frames = 0;
  size_t audio_frames = 0;
  size_t segments = 0;
  double seconds = 0;  // media duration
  double mux_ms = 0;   // wall time of muxing alone
};

std::vector<SharedMessagePtr> read_flv(const std::string& path, size_t& size) {
  std::ifstream in(path, std::ios::binary);
  Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size = file.size();
  std::vector<SharedMessagePtr> messages;
  flv::Decoder decoder;
  decoder.feed(file);
  while (true) {
    auto tag = decoder.next();
    if (!tag) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), tag.error().message().c_str());
      break;
    }
    if (!*tag) break;
    const flv::TagHeader& h = (*tag)->header;
    messages.push_back(SharedMessage::make(static_cast<MessageType>(h.type), h.timestamp, 1,
                                           Bytes((*tag)->data.begin(), (*tag)->data.end())));
  }
  return messages;
}

// What the HLS segmenter does with the muxer, minus the files: one buffer per segment.
Report mux(const std::vector<SharedMessagePtr>& messages, double fragment, int64_t merge_ms) {
  Report r;
  ts::Muxer muxer(
      {.video = ts::VideoCodec::h264, .audio = ts::AudioCodec::aac, .audio_merge_ms = merge_ms});
  Bytes segment;
  int64_t start_ms = -1;
  int64_t last_ms = 0;
  auto begin = std::chrono::steady_clock::now();
  for (const SharedMessagePtr& m : messages) {
    if (!m->is_av()) continue;
    last_ms = m->timestamp();
    if (start_ms < 0) {
      start_ms = last_ms;
      muxer.write_tables(segment);
    }
    const bool frame = !m->is_sequence_header();
    if (m->is_video_keyframe() && frame && last_ms - start_ms >= fragment * 1000) {
      r.ts_bytes += segment.size();
      segment.clear();
      ++r.segments;
      start_ms = last_ms;
      muxer.write_tables(segment);
    }
    if (auto w = muxer.write(*m, segment); !w) {
      std::fprintf(stderr, "mux: %s\n", w.error().message().c_str());
    }
    if (frame && m->is_video()) ++r.video_frames;
    if (frame && m->is_audio()) ++r.audio_frames;
  }
  muxer.flush_audio(segment);
  r.ts_bytes += segment.size();
  ++r.segments;
  r.mux_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
  r.seconds = static_cast<double>(last_ms) / 1000.0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double fragment = 10;
  int64_t merge_ms = -1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--fragment" && i + 1 < argc) {
      fragment = std::atof(argv[++i]);
    } else if (a == "--merge-ms" && i + 1 < argc) {
      merge_ms = std::atoll(argv[++i]);
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--fragment S] [--merge-ms MS] file.flv...\n", argv[0]);
    return 2;
  }
  if (merge_ms < 0) merge_ms = ts::MuxerOptions{}.audio_merge_ms;
  std::printf("%-28s %10s %10s %10s %8s %7s %7s %9s\n", "file", "kbit/s", "flv", "ts", "overhead",
              "vframes", "aframes", "mux MB/s");
  for (const std::string& f : files) {
    Report r;
    auto messages = read_flv(f, r.flv_bytes);
    Report m = mux(messages, fragment, merge_ms);
    m.flv_bytes = r.flv_bytes;
    const double kbps = m.seconds > 0 ? m.flv_bytes * 8 / m.seconds / 1000 : 0;
    const double overhead = 100.0 *
                            (static_cast<double>(m.ts_bytes) - static_cast<double>(m.flv_bytes)) /
                            static_cast<double>(m.flv_bytes);
    const double speed = m.mux_ms > 0 ? m.flv_bytes / m.mux_ms / 1000 : 0;
    std::string name = f.substr(f.find_last_of('/') + 1);
    std::printf("%-28s %10.0f %10zu %10zu %7.2f%% %7zu %7zu %9.0f\n", name.c_str(), kbps,
                m.flv_bytes, m.ts_bytes, overhead, m.video_frames, m.audio_frames, speed);
  }
  return 0;
}
