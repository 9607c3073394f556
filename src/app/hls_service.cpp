#include "app/hls_service.hpp"

#include "app/server.hpp"
#include "core/log.hpp"

namespace srs {

HlsOptions hls_options_of(const HlsConfig& c, bool utc_time) {
  HlsOptions o;
  o.enabled = c.enabled;
  o.fragment = c.fragment;
  o.td_ratio = c.td_ratio;
  o.aof_ratio = c.aof_ratio;
  o.window = c.window;
  o.on_error = parse_hls_on_error(c.on_error).value_or(o.on_error);
  o.path = c.path;
  o.m3u8_file = c.m3u8_file;
  o.ts_file = c.ts_file;
  o.ts_floor = c.ts_floor;
  o.entry_prefix = c.entry_prefix;
  o.acodec = parse_hls_acodec(c.acodec).value_or(o.acodec);
  o.vcodec = parse_hls_vcodec(c.vcodec).value_or(o.vcodec);
  o.cleanup = c.cleanup;
  o.dispose = c.dispose;
  o.nb_notify = c.nb_notify;
  o.wait_keyframe = c.wait_keyframe;
  o.utc_time = utc_time;
  return o;
}

HlsService::HlsService(Server& server, Kick kick, Clock& clock, WriterFactory make_writer)
    : server_(server), kick_(std::move(kick)), clock_(clock), make_writer_(std::move(make_writer)) {
  if (!make_writer_) make_writer_ = [] { return std::make_unique<DiskFileWriter>(); };
  subscription_ = server_.reload_hub().subscribe(this);
}

// Sources can outlive the service (connections still hold them while the process exits):
// they must not keep a pointer to an Hls that is gone.
HlsService::~HlsService() {
  for (auto& [url, s] : streams_) {
    if (auto source = s->source.lock()) source->remove_bridge(s->hls.get());
  }
}

HlsOptions HlsService::options_for(const Config& config, const std::string& vhost) const {
  const VhostConfig* v = config.vhost(vhost);
  return v ? hls_options_of(v->hls, config.global().utc_time) : HlsOptions{};
}

std::unique_ptr<HlsService::Stream> HlsService::make_stream(const StreamRequest& request) {
  auto s = std::make_unique<Stream>();
  s->url = request.stream_url();
  s->vhost = request.vhost;
  s->writer = make_writer_();
  Stream* raw = s.get();
  HlsEvents events;
  events.on_segment = [this, raw](const HlsSegmentInfo& info) { on_segment(*raw, info); };
  events.on_disconnect = [this, raw](const Error& e) { disconnect_publisher(*raw, e); };
  s->hls = std::make_unique<Hls>(request, options_for(server_.config(), s->vhost), clock_,
                                 *s->writer, std::move(events));
  return s;
}

void HlsService::attach(const std::shared_ptr<Source>& source, const StreamRequest& request) {
  auto& slot = streams_[request.stream_url()];
  if (!slot) slot = make_stream(request);
  Stream& s = *slot;
  s.request = request;
  if (s.source.lock() == source) return;
  // A fresh source (the previous one was reaped): the same Hls continues on it, with the
  // options of the running config (a reload while nobody published is picked up here).
  s.hls->set_options(options_for(server_.config(), s.vhost));
  s.source = source;
  source->add_bridge(s.hls.get());
}

void HlsService::disconnect_publisher(Stream& s, const Error& e) {
  auto source = s.source.lock();
  if (!source || !source->publishing() || !kick_) return;
  log_trace("hls: {}: kick publisher {} (hls_on_error), {}", s.url, source->source_id(), e);
  kick_(source->source_id());
}

void HlsService::on_timer() {
  for (auto& [url, s] : streams_) s->hls->on_timer();
}

void HlsService::on_shutdown() {
  for (auto& [url, s] : streams_) s->hls->on_shutdown();
}

const Hls* HlsService::find(const std::string& stream_url) const {
  auto it = streams_.find(stream_url);
  return it == streams_.end() ? nullptr : it->second->hls.get();
}

// Spec §2.1: a reload of any hls directive stops and restarts HLS of the live streams of
// that vhost; the restarted muxer gets the cached metadata and sequence headers.
void HlsService::restart(Stream& s, const HlsOptions& options) {
  auto source = s.source.lock();
  const bool live = source && source->publishing();
  if (live) s.hls->on_unpublish();
  s.hls->set_options(options);
  if (!live) return;
  log_trace("hls: reload {}, restart (enabled={}, fragment={}s)", s.url, options.enabled,
            options.fragment);
  // Stamped with the latest stream time: their original (older) time would look like a
  // jump back and stretch the first segment's duration back to it.
  const int64_t now_ms = s.hls->segmenter().stream_dts() / 90;
  s.hls->on_publish();
  for (const auto* m : {&source->audio_sequence_header(), &source->video_sequence_header()}) {
    if (*m) s.hls->on_message((*m)->with_timestamp(now_ms));
  }
}

void HlsService::on_reload(const ConfigChange& change, const Config& config) {
  if (change.kind == ChangeKind::utc_time) {
    // Only file names use it; the next segment picks it up.
    for (auto& [url, s] : streams_) s->hls->set_options(options_for(config, s->vhost));
    return;
  }
  if (change.kind != ChangeKind::hls) return;
  for (auto& [url, s] : streams_) {
    if (s->vhost == change.vhost) restart(*s, options_for(config, s->vhost));
  }
}

void HlsService::on_segment(Stream& s, const HlsSegmentInfo& info) {
  const VhostConfig* v = server_.config().vhost(s.vhost);
  if (!v || !v->hooks.enabled || (v->hooks.on_hls.empty() && v->hooks.on_hls_notify.empty())) {
    return;
  }
  const StreamRequest& r = s.request;
  hooks::Client c{0, "", r.vhost, r.app, r.stream, r.param, r.tc_url, r.page_url};
  if (auto source = s.source.lock()) c.id = source->source_id();  // the publisher
  if (const ClientStat* publisher = server_.stats().find_client(c.id)) c.ip = publisher->info.ip;
  if (!s.hooks) s.hooks = std::make_unique<HookQueue>(server_.io());
  s.hooks->on_hls(v->hooks, c, info, v->hls.nb_notify);
}

}  // namespace srs
