// Access control and HTTP callbacks of an RTMP connection, in the order of
// http-hooks.md §5 and rtmp.md §3.3: vhost → refer → on_connect → security → empty stream
// check; Publish.Start → refer_publish → on_publish → acquire; Play.Start → refer_play →
// on_play. Settings come from the config current at each step, so a reload applies to
// the next client (or the next event of this one). A refused client is closed without an
// RTMP error message.
#include <algorithm>

#include "app/config.hpp"
#include "app/http_hooks.hpp"
#include "app/refer.hpp"
#include "app/rtmp_connection.hpp"
#include "app/rtmp_service.hpp"
#include "app/security.hpp"
#include "app/server.hpp"
#include "core/log.hpp"

namespace srs {

namespace {
// What the client gets for its next step once a hook has answered (rtmp.md §6).
constexpr Duration kAfterHook = 30s;
}  // namespace

hooks::Client RtmpConnection::hook_client() const {
  const StreamRequest& r = request_;
  return hooks::Client{id_, ip_, r.vhost, r.app, r.stream, r.param, r.tc_url, r.page_url};
}

HooksConfig RtmpConnection::current_hooks() const {
  const VhostConfig* v = service_.server().config().vhost(request_.vhost);
  return v ? v->hooks : HooksConfig{};
}

// A hook chain may take the hook timeout per URL: the connection's deadline must not cut
// it short (the client is waiting for us, not the other way round).
void RtmpConnection::arm_for_hook(const std::vector<std::string>& urls) {
  arm_deadline(hooks::kTimeout * static_cast<int>(std::max<size_t>(urls.size(), 1)) + kAfterHook);
}

awaitable<Result<>> RtmpConnection::authorize(const Identity& who, const VhostConfig& vhost) {
  if (auto r = check_refer(vhost.refer, request_.page_url); !r) co_return wrap(r, "refer");
  const HooksConfig hooks = current_hooks();
  const hooks::Client client = hook_client();
  arm_for_hook(hooks.on_connect);
  Result<> hooked = co_await hooks::on_connect(hooks, client);
  if (!hooked) co_return hooked;
  arm_deadline(kAfterHook);
  const AccessKind kind = is_publisher(who.type) ? AccessKind::publish : AccessKind::play;
  if (auto r = check_security(vhost.security, kind, ip_); !r) co_return wrap(r, "security");
  if (!request_.complete()) co_return fail(core_errc::invalid_argument, "empty stream or app");
  log_trace("rtmp: connected stream, tcUrl={}, vhost={}, app={}, stream={}, param={}",
            request_.tc_url, request_.vhost, request_.app, request_.stream, request_.param);
  co_return Result<>{};
}

// refer_publish + on_publish, or refer_play + on_play.
awaitable<Result<>> RtmpConnection::authorize_start(AccessKind kind, const VhostConfig& vhost) {
  const bool publish = kind == AccessKind::publish;
  const auto& refer = publish ? vhost.refer_publish : vhost.refer_play;
  if (auto r = check_refer(refer, request_.page_url); !r) {
    co_return wrap(r, publish ? "refer_publish" : "refer_play");
  }
  const HooksConfig hooks = current_hooks();
  const hooks::Client client = hook_client();
  arm_for_hook(publish ? hooks.on_publish : hooks.on_play);
  Result<> allowed;
  if (publish) {
    allowed = co_await hooks::on_publish(hooks, client);
  } else {
    allowed = co_await hooks::on_play(hooks, client);
  }
  co_return allowed;
}

awaitable<void> RtmpConnection::notify_unpublish() {
  const HooksConfig hooks = current_hooks();
  const hooks::Client client = hook_client();  // not a temporary across co_await (GCC 12)
  arm_for_hook(hooks.on_unpublish);
  co_await hooks::on_unpublish(hooks, client);
}

awaitable<void> RtmpConnection::notify_stop() {
  const HooksConfig hooks = current_hooks();
  const hooks::Client client = hook_client();  // not a temporary across co_await (GCC 12)
  arm_for_hook(hooks.on_stop);
  co_await hooks::on_stop(hooks, client);
}

// After the socket is closed: the receiver learns the final byte counts.
awaitable<void> RtmpConnection::notify_close() {
  if (!connected_) co_return;
  const HooksConfig hooks = current_hooks();
  const hooks::Client client = hook_client();
  co_await hooks::on_close(hooks, client, bytes_sent(), bytes_received());
}

}  // namespace srs
