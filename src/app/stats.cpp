#include "app/stats.hpp"

#include <algorithm>

#include "kernel/aac.hpp"
#include "kernel/avc.hpp"

namespace srs {

namespace {
// Codec details of an AVC sequence header; nullopt when it does not parse.
std::optional<VideoInfo> video_info_of(const SharedMessage& msg) {
  auto tag = avc::parse_video_tag(msg.payload());
  if (!tag) return std::nullopt;
  auto record = avc::parse_decoder_config(tag->body);
  if (!record || record->sps.empty()) return std::nullopt;
  VideoInfo v;
  v.profile = avc::profile_name(record->profile, record->compatibility);
  v.level = avc::level_name(record->level);
  if (auto sps = avc::parse_sps(record->sps.front())) {
    v.profile = avc::profile_name(sps->profile_idc, sps->constraint_flags);
    v.level = avc::level_name(sps->level_idc);
    v.width = sps->width;
    v.height = sps->height;
  }
  return v;
}

std::optional<AudioInfo> audio_info_of(const SharedMessage& msg) {
  auto tag = aac::parse_audio_tag(msg.payload());
  if (!tag) return std::nullopt;
  auto config = aac::parse_audio_specific_config(tag->body);
  if (!config) return std::nullopt;
  AudioInfo a;
  a.sample_rate = tag->flv_sample_rate();  // the spec reports the FLV rate field
  a.channels = config->channels() > 0 ? config->channels() : (tag->stereo ? 2 : 1);
  a.profile = aac::profile_name(*config);
  return a;
}
}  // namespace

void StreamStat::on_video(const SharedMessage& msg) {
  if (!msg.is_video_sequence_header()) {
    ++frames;
    return;
  }
  // Sequence headers are rare (start, resolution change): parsing one may allocate.
  if (auto v = video_info_of(msg)) video = *v;
}

void StreamStat::on_audio(const SharedMessage& msg) {
  if (!msg.is_audio_sequence_header()) return;
  if (auto a = audio_info_of(msg)) audio = *a;
}

ClientStat::ClientStat(ContextId id, ClientInfo info, const ByteCounter* io, StreamStat* stream,
                       int64_t now_ms)
    : id(id), info(std::move(info)), io(io), stream(stream), created_ms(now_ms), kbps(now_ms) {
  if (io) {
    // Bytes of the handshake and connect belong to no stream.
    counted_recv = io->bytes_received();
    counted_send = io->bytes_sent();
  }
}

Stats::Stats(int64_t server_id, int64_t now_ms)
    : server_id_(server_id), next_id_(server_id + 1), last_sample_ms_(now_ms), total_(now_ms) {}

VhostStat& Stats::vhost_of(const std::string& name, int64_t now_ms) {
  if (auto it = vhost_by_name_.find(name); it != vhost_by_name_.end()) return *it->second;
  auto& v = vhosts_.emplace_back(std::make_unique<VhostStat>(next_id_++, name, now_ms));
  vhost_by_name_.emplace(name, v.get());
  return *v;
}

StreamStat& Stats::stream_of(const ClientInfo& info, int64_t now_ms) {
  if (auto it = stream_by_url_.find(info.url); it != stream_by_url_.end()) return *it->second;
  VhostStat& vhost = vhost_of(info.vhost, now_ms);
  auto& s = streams_.emplace_back(
      std::make_unique<StreamStat>(next_id_++, &vhost, info.app, info.stream, info.url, now_ms));
  stream_by_url_.emplace(info.url, s.get());
  return *s;
}

ClientStat* Stats::on_client(ContextId id, ClientInfo info, const ByteCounter* io, int64_t now_ms) {
  on_close(id);  // a connection that plays or publishes again
  StreamStat& stream = stream_of(info, now_ms);
  ++stream.clients;
  ++stream.vhost->clients;
  auto c = std::make_unique<ClientStat>(id, std::move(info), io, &stream, now_ms);
  ClientStat* raw = c.get();
  clients_.emplace(id, std::move(c));
  return raw;
}

void Stats::on_publish(ContextId id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  StreamStat& s = *it->second->stream;
  if (!s.active) ++s.vhost->publishing;
  s.active = true;
  s.publisher = id;
  // A new publisher's headers describe the stream from now on.
  s.video.reset();
  s.audio.reset();
}

void Stats::on_unpublish(ContextId id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  StreamStat& s = *it->second->stream;
  if (!s.active || s.publisher != id) return;
  s.active = false;
  --s.vhost->publishing;
  s.video.reset();
  s.audio.reset();
}

void Stats::on_close(ContextId id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  count(*it->second);
  on_unpublish(id);
  detach(*it->second);
  clients_.erase(it);
}

void Stats::detach(ClientStat& c) {
  --c.stream->clients;
  --c.stream->vhost->clients;
}

void Stats::count(ClientStat& c) {
  if (!c.io) return;
  const uint64_t recv = c.io->bytes_received();
  const uint64_t send = c.io->bytes_sent();
  // A counter never goes back; guard anyway so a bug cannot add 2^64 bytes.
  const uint64_t dr = recv > c.counted_recv ? recv - c.counted_recv : 0;
  const uint64_t ds = send > c.counted_send ? send - c.counted_send : 0;
  c.counted_recv = std::max(recv, c.counted_recv);
  c.counted_send = std::max(send, c.counted_send);
  for (KbpsMeter* m : {&c.kbps, &c.stream->kbps, &c.stream->vhost->kbps, &total_}) {
    m->add_recv(dr);
    m->add_send(ds);
  }
}

void Stats::sample(int64_t now_ms) {
  for (auto& [id, c] : clients_) {
    count(*c);
    c->kbps.sample(now_ms);
  }
  for (auto& s : streams_) s->kbps.sample(now_ms);
  for (auto& v : vhosts_) v->kbps.sample(now_ms);
  total_.sample(now_ms);
  last_sample_ms_ = now_ms;
}

const VhostStat* Stats::find_vhost(int64_t id) const noexcept {
  auto it = std::ranges::find(vhosts_, id, [](const auto& v) { return v->id; });
  return it == vhosts_.end() ? nullptr : it->get();
}

const StreamStat* Stats::find_stream(int64_t id) const noexcept {
  auto it = std::ranges::find(streams_, id, [](const auto& s) { return s->id; });
  return it == streams_.end() ? nullptr : it->get();
}

const ClientStat* Stats::find_client(ContextId id) const noexcept {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second.get();
}

StreamStat* Stats::find_stream_by_url(std::string_view url) noexcept {
  auto it = stream_by_url_.find(std::string(url));
  return it == stream_by_url_.end() ? nullptr : it->second;
}

}  // namespace srs
