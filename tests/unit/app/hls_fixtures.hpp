// A file system in memory that fails on cue, and a publisher of real H.264 + AAC frames at
// chosen times, for HLS tests.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/file_writer.hpp"
#include "app/hls.hpp"
#include "unit/kernel/ts_test_util.hpp"

namespace srs::test {

class MemoryFileWriter final : public FileWriter {
 public:
  std::map<std::string, Bytes> files;
  std::set<std::string> dirs;
  std::vector<std::string> ops;  // "open a.ts.tmp", "rename a -> b", ...
  size_t writes = 0;
  // Each switch makes its operation fail with `error` (ENOSPC: a full disk).
  bool fail_open = false;
  bool fail_write = false;
  bool fail_rename = false;
  bool fail_write_file = false;
  std::error_code error = std::make_error_code(std::errc::no_space_on_device);

  Result<> make_dirs(const std::string& dir) override {
    dirs.insert(dir);
    return {};
  }
  Result<> open(const std::string& path, bool append) override {
    ops.push_back("open " + path);
    if (fail_open) return fail(error, "open " + path);
    if (!append) files[path].clear();
    open_ = path;
    return {};
  }
  Result<> write(ByteSpan data) override {
    ++writes;
    if (fail_write) return fail(error, "write " + open_);
    if (open_.empty()) return fail(std::make_error_code(std::errc::bad_file_descriptor));
    Bytes& f = files[open_];
    f.insert(f.end(), data.begin(), data.end());
    return {};
  }
  Result<> close() override {
    open_.clear();
    return {};
  }
  Result<> write_file(const std::string& path, std::string_view content) override {
    ops.push_back("write_file " + path);
    if (fail_write_file) return fail(error, "write " + path);
    files[path] = Bytes(content.begin(), content.end());
    return {};
  }
  Result<> rename(const std::string& from, const std::string& to) override {
    ops.push_back("rename " + from + " -> " + to);
    if (fail_rename) return fail(error, "rename " + from);
    auto it = files.find(from);
    if (it == files.end()) return fail(std::make_error_code(std::errc::no_such_file_or_directory));
    files[to] = std::move(it->second);
    files.erase(from);
    return {};
  }
  Result<> remove(const std::string& path) override {
    ops.push_back("remove " + path);
    files.erase(path);
    return {};
  }

  bool has(const std::string& path) const { return files.count(path) != 0; }
  std::string text(const std::string& path) const {
    auto it = files.find(path);
    return it == files.end() ? std::string() : std::string(it->second.begin(), it->second.end());
  }
  // Paths of files, in name order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : files) out.push_back(name);
    return out;
  }

 private:
  std::string open_;
};

// Real frames (tests/data) stamped with any time: enough for the muxer to parse.
class Frames {
 public:
  Frames() : h264_(h264_sample()), aac_(aac_sample()) {}
  SharedMessagePtr video_sh(int64_t ms) const {
    return make(MessageType::video, ms, h264_.sequence_header);
  }
  SharedMessagePtr key(int64_t ms) const { return make(MessageType::video, ms, h264_.frames[0]); }
  SharedMessagePtr inter(int64_t ms) const { return make(MessageType::video, ms, h264_.frames[1]); }
  SharedMessagePtr audio_sh(int64_t ms) const {
    return make(MessageType::audio, ms, aac_.sequence_header);
  }
  SharedMessagePtr audio(int64_t ms) const { return make(MessageType::audio, ms, aac_.frames[0]); }

  // Sequence headers at `from`, then video at every multiple of 100 ms (keyframes at the
  // multiples of gop_ms) and audio every 50 ms, for times in [from, to). Times are
  // absolute, so a stream fed in several calls is the same as one fed at once.
  void publish(SourceBridge& b, int64_t from, int64_t to, int64_t gop_ms, bool headers = true,
               bool with_video = true, bool with_audio = true) const {
    if (headers && with_video) b.on_message(video_sh(from));
    if (headers && with_audio) b.on_message(audio_sh(from));
    for (int64_t t = from; t < to; t += 50) {
      if (with_video && t % 100 == 0) b.on_message(t % gop_ms == 0 ? key(t) : inter(t));
      if (with_audio) b.on_message(audio(t));
    }
  }

 private:
  static SharedMessagePtr make(MessageType type, int64_t ms, const Bytes& payload) {
    return SharedMessage::make(type, ms, 1, payload);
  }
  H264Sample h264_;
  AacSample aac_;
};

inline StreamRequest live_request(std::string stream = "livestream") {
  StreamRequest r;
  r.set_tc_url("rtmp://127.0.0.1/live");
  r.set_stream(stream);
  r.vhost = "__defaultVhost__";  // as the vhost lookup resolves an IP
  return r;
}

inline HlsOptions test_options() {
  HlsOptions o;
  o.enabled = true;
  o.path = "/hls";
  o.fragment = 2;
  o.window = 60;
  return o;
}

}  // namespace srs::test
