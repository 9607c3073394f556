// Turns a player's batch of queued messages into the bytes of a live HTTP stream (spec
// hls-dvr §4.2): FLV tags, MPEG-TS, ADTS AAC or raw MP3.
//
// The output is a gather list: FLV and MP3 point straight into the shared payloads, with
// only the 11-byte tag header and 4-byte previous-tag-size (or ADTS header) written into
// the encoder's own storage, which is reused batch after batch (no allocation once it has
// grown to the largest batch). TS is the exception: muxing rewrites the payload (Annex B,
// PES), into a buffer the encoder keeps. The buffers stay valid until the next encode().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <asio/buffer.hpp>

#include "app/http_remux.hpp"
#include "app/stream_log.hpp"
#include "kernel/aac.hpp"
#include "kernel/ts_muxer.hpp"

namespace srs {

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  // Appends the bytes for `batch` to `out` (the stream's opening bytes come with the first
  // batch). Messages the format does not carry are skipped.
  virtual void encode(std::span<const QueuedMessage> batch,
                      std::vector<asio::const_buffer>& out) = 0;
};

// `ts` applies to RemuxFormat::ts only: the codecs the PMT announces before they are seen.
std::unique_ptr<StreamEncoder> make_stream_encoder(RemuxFormat format,
                                                   const ts::MuxerOptions& ts = {});

// FLV (E.3): the 13-byte file header (audio and video flags set, as 2.0 sends), then one
// tag per message: metadata as script data, audio, video. Timestamps are the player's
// (jitter-corrected), written as 24 bits plus the extension byte.
class FlvEncoder final : public StreamEncoder {
 public:
  void encode(std::span<const QueuedMessage> batch, std::vector<asio::const_buffer>& out) override;

 private:
  bool header_sent_ = false;
  std::vector<uint8_t> heads_;  // per tag: previous tag's size, then this tag's header
};

// Raw MP3 frames of MP3 audio messages (video and other codecs skipped).
class Mp3Encoder final : public StreamEncoder {
 public:
  void encode(std::span<const QueuedMessage> batch, std::vector<asio::const_buffer>& out) override;
};

// ADTS frames of AAC audio: the sequence header configures, each raw frame gets a header.
class AacEncoder final : public StreamEncoder {
 public:
  void encode(std::span<const QueuedMessage> batch, std::vector<asio::const_buffer>& out) override;

 private:
  std::optional<aac::AudioSpecificConfig> config_;
  std::vector<uint8_t> heads_;
};

// MPEG-TS with kernel/ts_muxer (tables first, then PES); a frame that does not mux is
// skipped, as the HLS muxer does.
class TsEncoder final : public StreamEncoder {
 public:
  explicit TsEncoder(const ts::MuxerOptions& options = {}) : muxer_(options) {}
  void encode(std::span<const QueuedMessage> batch, std::vector<asio::const_buffer>& out) override;

 private:
  ts::Muxer muxer_;
  bool tables_sent_ = false;
  Bytes out_;
  uint64_t skipped_ = 0;
};

}  // namespace srs
