// Reload: Config::diff lists every change kind in the order of spec §6; ReloadHub fans out.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "app/reload.hpp"
#include "config_test_util.hpp"

namespace srs {
namespace {

using test::config_of;
using Kinds = std::vector<ChangeKind>;

std::vector<ConfigChange> diff(std::string_view before, std::string_view after) {
  auto a = config_of(before);
  auto b = config_of(after);
  auto d = Config::diff(*a, *b);
  EXPECT_TRUE(d) << (d ? "" : d.error().message());
  return d ? *d : std::vector<ConfigChange>{};
}
Kinds kinds(const std::vector<ConfigChange>& changes) {
  Kinds out;
  for (const auto& c : changes) out.push_back(c.kind);
  return out;
}
// The changes of one vhost whose body goes from `a` to `b`.
Kinds vhost_diff(std::string_view a, std::string_view b) {
  auto changes = diff(std::string("listen 1; vhost v {") + std::string(a) + "}",
                      std::string("listen 1; vhost v {") + std::string(b) + "}");
  for (const auto& c : changes) EXPECT_EQ(c.vhost, "v");
  return kinds(changes);
}

TEST(ConfigDiff, SameConfigHasNoChanges) {
  EXPECT_TRUE(diff("listen 1; vhost v { hls { enabled on; } }",
                   "listen 1;\n\nvhost v {\n hls {\n enabled on; } }")
                  .empty());
}

TEST(ConfigDiff, GlobalChangesInSpecOrder) {
  auto changes = diff(
      "listen 1; max_connections 10; pid a; srs_log_tank file; srs_log_level trace;"
      " srs_log_file a.log; utc_time off; pithy_print_ms 1000;",
      "listen 2; max_connections 20; pid b; srs_log_tank console; srs_log_level warn;"
      " srs_log_file b.log; utc_time on; pithy_print_ms 2000;");
  EXPECT_EQ(kinds(changes),
            (Kinds{ChangeKind::max_connections, ChangeKind::listen, ChangeKind::pid,
                   ChangeKind::log_tank, ChangeKind::log_level, ChangeKind::log_file,
                   ChangeKind::utc_time, ChangeKind::pithy_print_ms}));
}

TEST(ConfigDiff, UnreloadableGlobalsAreNotReported) {
  EXPECT_TRUE(
      diff("listen 1; daemon on; work_dir ./;", "listen 1; daemon off; work_dir /tmp;").empty());
}

TEST(ConfigDiff, HttpApiEnabledDisabledChanged) {
  EXPECT_EQ(kinds(diff("listen 1;", "listen 1; http_api { enabled on; }")),
            Kinds{ChangeKind::http_api_enabled});
  EXPECT_EQ(kinds(diff("listen 1; http_api { enabled on; }", "listen 1;")),
            Kinds{ChangeKind::http_api_disabled});
  EXPECT_EQ(kinds(diff("listen 1; http_api { enabled on; listen 1985; }",
                       "listen 1; http_api { enabled on; listen 1986; }")),
            Kinds{ChangeKind::http_api_changed});
  EXPECT_TRUE(diff("listen 1; http_api { listen 1; }", "listen 1; http_api { listen 2; }").empty());
}

TEST(ConfigDiff, HttpServerEnabledDisabledChanged) {
  EXPECT_EQ(kinds(diff("listen 1;", "listen 1; http_server { enabled on; }")),
            Kinds{ChangeKind::http_server_enabled});
  EXPECT_EQ(kinds(diff("listen 1; http_stream { enabled on; }", "listen 1;")),
            Kinds{ChangeKind::http_server_disabled});
  EXPECT_EQ(kinds(diff("listen 1; http_server { enabled on; dir a; }",
                       "listen 1; http_server { enabled on; dir b; }")),
            Kinds{ChangeKind::http_server_changed});
}

TEST(ConfigDiff, VhostAddedAndRemoved) {
  auto added = diff("listen 1;", "listen 1; vhost a { } vhost b { enabled off; }");
  EXPECT_EQ(added, (std::vector<ConfigChange>{{ChangeKind::vhost_added, "a", ""}}));
  auto enabled = diff("listen 1; vhost a { enabled off; }", "listen 1; vhost a { }");
  EXPECT_EQ(kinds(enabled), Kinds{ChangeKind::vhost_added});
  auto removed = diff("listen 1; vhost a { } vhost b { }", "listen 1; vhost b { }");
  EXPECT_EQ(removed, (std::vector<ConfigChange>{{ChangeKind::vhost_removed, "a", ""}}));
  auto disabled = diff("listen 1; vhost a { }", "listen 1; vhost a { enabled off; }");
  EXPECT_EQ(kinds(disabled), Kinds{ChangeKind::vhost_removed});
}

TEST(ConfigDiff, EachVhostComponent) {
  EXPECT_EQ(vhost_diff("", "atc on;"), Kinds{ChangeKind::atc});
  EXPECT_EQ(vhost_diff("", "atc_auto off;"), Kinds{ChangeKind::atc_auto});
  EXPECT_EQ(vhost_diff("", "reduce_sequence_header on;"),
            Kinds{ChangeKind::reduce_sequence_header});
  EXPECT_EQ(vhost_diff("", "gop_cache off;"), Kinds{ChangeKind::gop_cache});
  EXPECT_EQ(vhost_diff("", "queue_length 10;"), Kinds{ChangeKind::queue_length});
  EXPECT_EQ(vhost_diff("", "time_jitter zero;"), Kinds{ChangeKind::time_jitter});
  EXPECT_EQ(vhost_diff("", "mix_correct on;"), Kinds{ChangeKind::mix_correct});
  EXPECT_EQ(vhost_diff("forward a;", "forward b;"), Kinds{ChangeKind::forward});
  EXPECT_EQ(vhost_diff("hls { }", "hls { hls_window 30; }"), Kinds{ChangeKind::hls});
  EXPECT_EQ(vhost_diff("", "hds { enabled on; }"), Kinds{ChangeKind::hds});
  EXPECT_EQ(vhost_diff("", "dvr { enabled on; }"), Kinds{ChangeKind::dvr});
  EXPECT_EQ(vhost_diff("", "mr { enabled on; }"), Kinds{ChangeKind::mr});
  EXPECT_EQ(vhost_diff("", "chunk_size 4096;"), Kinds{ChangeKind::chunk_size});
  EXPECT_EQ(vhost_diff("", "mw_latency 100;"), Kinds{ChangeKind::mw_latency});
  EXPECT_EQ(vhost_diff("", "send_min_interval 10;"), Kinds{ChangeKind::send_min_interval});
  EXPECT_EQ(vhost_diff("", "tcp_nodelay on;"), Kinds{ChangeKind::tcp_nodelay});
  EXPECT_EQ(vhost_diff("", "publish_1stpkt_timeout 1;"), Kinds{ChangeKind::publish_1stpkt_timeout});
  EXPECT_EQ(vhost_diff("", "publish_normal_timeout 1;"), Kinds{ChangeKind::publish_normal_timeout});
  EXPECT_EQ(vhost_diff("", "min_latency on;"), Kinds{ChangeKind::min_latency});
  EXPECT_EQ(vhost_diff("", "http_static { enabled on; }"), Kinds{ChangeKind::http_static});
  EXPECT_EQ(vhost_diff("", "http_remux { enabled on; }"), Kinds{ChangeKind::http_remux});
  EXPECT_EQ(vhost_diff("transcode { enabled on; }", "transcode { enabled on; ffmpeg f; }"),
            Kinds{ChangeKind::transcode});
}

TEST(ConfigDiff, VhostComponentsComeInSpecOrder) {
  EXPECT_EQ(vhost_diff("",
                       "transcode { } http_remux { enabled on; } tcp_nodelay on; hls { "
                       "enabled on; } atc on; chunk_size 256;"),
            (Kinds{ChangeKind::atc, ChangeKind::hls, ChangeKind::chunk_size,
                   ChangeKind::tcp_nodelay, ChangeKind::http_remux, ChangeKind::transcode}));
}

TEST(ConfigDiff, SessionReadDirectivesNeedNoNotification) {
  EXPECT_TRUE(vhost_diff("",
                         "refer a.com; security { enabled on; } http_hooks { enabled on; }"
                         " bandcheck { enabled on; } origin a; token_traverse on;")
                  .empty());
}

TEST(ConfigDiff, AliasFormCountsAsTheSameValue) {
  EXPECT_TRUE(vhost_diff("gop_cache off;", "play { gop_cache off; }").empty());
}

TEST(ConfigDiff, IngestAddedRemovedChanged) {
  auto changes =
      diff("listen 1; vhost v { ingest a { enabled on; } ingest b { enabled on; ffmpeg x; } }",
           "listen 1; vhost v { ingest b { enabled on; ffmpeg y; } ingest c { enabled on; } "
           "ingest d { } }");
  EXPECT_EQ(changes, (std::vector<ConfigChange>{{ChangeKind::ingest_removed, "v", "a"},
                                                {ChangeKind::ingest_changed, "v", "b"},
                                                {ChangeKind::ingest_added, "v", "c"}}));
  EXPECT_EQ(kinds(diff("listen 1; vhost v { ingest a { enabled on; } }",
                       "listen 1; vhost v { ingest a { enabled off; } }")),
            Kinds{ChangeKind::ingest_removed});
}

TEST(ConfigDiff, ModeChangeOfExistingVhostIsRefused) {
  auto a = config_of("listen 1; vhost v { }");
  auto b = config_of("listen 1;\nvhost v {\n mode remote;\n origin x; }");
  auto d = Config::diff(*a, *b);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, config_errc::reload_refused);
  EXPECT_EQ(d.error().context,
            "t.conf:3: directive \"vhost.mode\": vhost v changes mode from local to remote, "
            "which needs a restart");
}

TEST(ConfigDiff, AddingOrRemovingAnEdgeVhostIsFine) {
  EXPECT_EQ(kinds(diff("listen 1;", "listen 1; vhost e { mode remote; }")),
            Kinds{ChangeKind::vhost_added});
  EXPECT_EQ(kinds(diff("listen 1; vhost e { mode remote; }", "listen 1;")),
            Kinds{ChangeKind::vhost_removed});
}

struct Recorder : ReloadSubscriber {
  void on_reload(const ConfigChange& c, const Config&) override {
    seen.push_back(c.kind);
    if (on_call) on_call();
  }
  Kinds seen;
  std::function<void()> on_call;
};

TEST(ReloadHub, EverySubscriberSeesEveryChangeInOrder) {
  ReloadHub hub;
  Recorder a, b;
  auto sa = hub.subscribe(&a);
  auto sb = hub.subscribe(&b);
  auto config = config_of("listen 1;");
  hub.notify({{ChangeKind::listen, "", ""}, {ChangeKind::pid, "", ""}}, *config);
  EXPECT_EQ(a.seen, (Kinds{ChangeKind::listen, ChangeKind::pid}));
  EXPECT_EQ(b.seen, (Kinds{ChangeKind::listen, ChangeKind::pid}));
}

TEST(ReloadHub, SubscriptionEndsWithItsHandle) {
  ReloadHub hub;
  Recorder a;
  {
    auto s = hub.subscribe(&a);
    EXPECT_EQ(hub.size(), 1u);
  }
  EXPECT_EQ(hub.size(), 0u);
  hub.notify({{ChangeKind::listen, "", ""}}, *config_of("listen 1;"));
  EXPECT_TRUE(a.seen.empty());
}

TEST(ReloadHub, SubscriberMayLeaveWhileNotified) {
  ReloadHub hub;
  Recorder a, b;
  ReloadHub::Subscription sa = hub.subscribe(&a);
  ReloadHub::Subscription sb = hub.subscribe(&b);
  a.on_call = [&] { sb.reset(); };  // a removes b before b's turn
  hub.notify({{ChangeKind::listen, "", ""}}, *config_of("listen 1;"));
  EXPECT_EQ(a.seen.size(), 1u);
  EXPECT_TRUE(b.seen.empty());
}

TEST(ChangeKind, NamesForLogs) {
  EXPECT_EQ(to_string(ChangeKind::vhost_added), "vhost added");
  EXPECT_EQ(to_string(ChangeKind::log_file), "srs_log_file");
}

}  // namespace
}  // namespace srs
