// The RTMP side of the server: takes accepted sockets from the RTMP listeners, runs one
// RtmpConnection per client and keeps the registry of live connections (for the API,
// kick-off and graceful stop). Source settings follow reload.
#pragma once

#include <map>
#include <memory>

#include "app/listener.hpp"
#include "app/reload.hpp"
#include "app/source_registry.hpp"
#include "app/stats.hpp"
#include "protocol/rtmp/replies.hpp"

namespace srs {

class Server;
class RtmpConnection;
struct VhostConfig;

SourceOptions source_options_of(const VhostConfig& vhost);
ConsumerOptions consumer_options_of(const VhostConfig& vhost);

class RtmpService final : public ConnectionHandler, public ClientKicker, private ReloadSubscriber {
 public:
  RtmpService(Server& server, SourceRegistry& sources);
  ~RtmpService() override;

  void on_accept(asio::ip::tcp::socket socket, ConnectionSlot slot) override;
  void stop() override;

  Server& server() noexcept { return server_; }
  SourceRegistry& sources() noexcept { return sources_; }
  const rtmp::ServerIdentity& identity() const noexcept { return identity_; }

  // Live connections by context id (API, kick-off).
  const std::map<ContextId, std::shared_ptr<RtmpConnection>>& connections() const noexcept {
    return connections_;
  }
  bool kick(ContextId id) override;
  void forget(ContextId id) noexcept { connections_.erase(id); }

 private:
  void on_reload(const ConfigChange& change, const Config& config) override;
  template <class F>
  void for_vhost_sources(const std::string& vhost, F&& f);

  Server& server_;
  SourceRegistry& sources_;
  rtmp::ServerIdentity identity_;
  std::map<ContextId, std::shared_ptr<RtmpConnection>> connections_;
  ReloadHub::Subscription subscription_;
};

}  // namespace srs
