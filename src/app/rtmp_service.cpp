#include "app/rtmp_service.hpp"

#include <unistd.h>

#include "app/config.hpp"
#include "app/rtmp_connection.hpp"
#include "app/server.hpp"
#include "core/log.hpp"
#include "core/version.hpp"

namespace srs {

namespace {
rtmp::ServerIdentity make_identity() {
  rtmp::ServerIdentity id;
  id.sig = std::string(kServerName);
  id.server = std::string(kServerSignature);
  id.license = "The MIT License (MIT)";
  id.role = "cluster";
  id.url = "https://github.com/ossrs/srs";
  id.version = std::string(kVersion);
  id.site = "https://ossrs.net";
  id.email = "";
  id.copyright = "Copyright (c) the SRS authors";
  id.primary = "SRS/2.0 compatible";
  id.authors = "the SRS authors";
  return id;
}
}  // namespace

SourceOptions source_options_of(const VhostConfig& v) {
  return SourceOptions{v.gop_cache, v.time_jitter, v.mix_correct,
                       v.atc,       v.atc_auto,    v.reduce_sequence_header};
}

ConsumerOptions consumer_options_of(const VhostConfig& v) {
  ConsumerOptions o;
  o.queue_length_ms = static_cast<int64_t>(v.queue_length * 1000);
  o.merge_ms = v.mw_latency;
  o.min_latency = v.min_latency;
  return o;
}

RtmpService::RtmpService(Server& server, SourceRegistry& sources)
    : server_(server), sources_(sources), identity_(make_identity()) {
  subscription_ = server_.reload_hub().subscribe(this);
}

RtmpService::~RtmpService() {
  stop();
}

void RtmpService::on_accept(asio::ip::tcp::socket socket, ConnectionSlot slot) {
  auto ex = socket.get_executor();
  auto conn = std::make_shared<RtmpConnection>(*this, std::move(socket), std::move(slot));
  connections_[conn->id()] = conn;
  spawn(ex, RtmpConnection::run(conn), "rtmp connection");
}

void RtmpService::stop() {
  // Closing makes every connection's pending I/O fail; each then forgets itself.
  auto all = connections_;
  for (auto& [id, conn] : all) conn->close();
}

bool RtmpService::kick(ContextId id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return false;
  log_trace("rtmp: kick off client {}", id);
  it->second->close();
  return true;
}

template <class F>
void RtmpService::for_vhost_sources(const std::string& vhost, F&& f) {
  sources_.for_each([&](Source& s) {
    if (s.vhost() == vhost) f(s);
  });
}

// Sources and connections copy their settings when they start; a reload of a vhost's
// directives updates the live ones of that vhost, so nobody is dropped for it.
void RtmpService::on_reload(const ConfigChange& change, const Config& config) {
  const VhostConfig* v = config.vhost(change.vhost);
  if (!v) return;
  switch (change.kind) {
    case ChangeKind::atc:
    case ChangeKind::atc_auto:
    case ChangeKind::reduce_sequence_header:
    case ChangeKind::gop_cache:
    case ChangeKind::time_jitter:
    case ChangeKind::mix_correct: {
      const SourceOptions options = source_options_of(*v);
      for_vhost_sources(change.vhost, [&](Source& s) { s.set_options(options); });
      break;
    }
    case ChangeKind::queue_length:
    case ChangeKind::mw_latency:
    case ChangeKind::min_latency: {
      const ConsumerOptions options = consumer_options_of(*v);
      for_vhost_sources(change.vhost, [&](Source& s) { s.set_consumer_options(options); });
      break;
    }
    case ChangeKind::chunk_size:
    case ChangeKind::send_min_interval:
    case ChangeKind::mr:
    case ChangeKind::publish_1stpkt_timeout:
    case ChangeKind::publish_normal_timeout:
      for (auto& [id, conn] : connections_) {
        if (conn->request().vhost == change.vhost) conn->reload(*v);
      }
      break;
    default:
      return;
  }
  log_trace("reload: vhost {} {} applied", change.vhost, to_string(change.kind));
}

}  // namespace srs
