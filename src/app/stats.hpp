// The statistics registry behind the HTTP API (spec http-api §3.11-§3.13, §4): vhosts,
// streams and clients with their ids, byte totals and rates.
//
//   ClientStat* c = stats.on_client(id, info, &connection);  // identified: play/publish
//   StreamStat* s = c->stream;                               // kept by the connection
//   stats.on_publish(id); s->on_video(msg); ...; stats.on_unpublish(id);
//   stats.on_close(id);                                      // the connection is gone
//   stats.sample(now_ms);                                    // the server's 1 s tick
//
// Vhost and stream entries are never deleted (2.0 keeps them until restart, and monitoring
// scripts rely on stable ids), so their pointers stay valid for the registry's life.
// Client entries live from identification to close. Byte totals are pulled from each
// connection on the tick, never pushed per message; a publisher's media only bumps a
// frame counter and, for sequence headers, the codec info.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/context.hpp"
#include "kernel/bitrate.hpp"
#include "kernel/shared_message.hpp"

namespace srs {

// What the registry reads from a live connection; the connection outlives its entry
// (it calls Stats::on_close before it goes).
class ByteCounter {
 public:
  virtual ~ByteCounter() = default;
  virtual uint64_t bytes_received() const noexcept = 0;
  virtual uint64_t bytes_sent() const noexcept = 0;
};

// Something that can close a client by its id (RTMP service, HTTP service): the API's
// DELETE /api/v1/clients/<id>. True when it knew the id and closed it.
class ClientKicker {
 public:
  virtual ~ClientKicker() = default;
  virtual bool kick(ContextId id) = 0;
};

struct VideoInfo {
  std::string_view codec = "H264";
  std::string_view profile;  // avc::profile_name
  std::string_view level;    // avc::level_name
  uint32_t width = 0;
  uint32_t height = 0;
};

struct AudioInfo {
  std::string_view codec = "AAC";
  uint32_t sample_rate = 0;  // the FLV rate field: 5512, 11025, 22050, 44100
  uint32_t channels = 0;
  std::string_view profile;  // aac::profile_name
};

struct VhostStat {
  VhostStat(int64_t id, std::string name, int64_t now_ms)
      : id(id), name(std::move(name)), kbps(now_ms) {}
  int64_t id;
  std::string name;
  KbpsMeter kbps;      // what its clients moved
  int clients = 0;     // clients attached to its streams
  int publishing = 0;  // its streams being published now
};

struct StreamStat {
  StreamStat(int64_t id, VhostStat* vhost, std::string app, std::string name, std::string url,
             int64_t now_ms)
      : id(id),
        vhost(vhost),
        app(std::move(app)),
        name(std::move(name)),
        url(std::move(url)),
        kbps(now_ms) {}
  int64_t id;
  VhostStat* vhost;
  std::string app;
  std::string name;
  std::string url;           // the stream key: vhost/app/stream, /app/stream for the default vhost
  KbpsMeter kbps;            // what its clients moved
  int clients = 0;           // RTMP players + the publisher
  uint64_t frames = 0;       // video messages from publishers, sequence headers excluded
  bool active = false;       // published now
  ContextId publisher = -1;  // the last publisher's id; -1 if never published
  std::optional<VideoInfo> video;
  std::optional<AudioInfo> audio;

  // From the publisher, for each video/audio message: counts frames and reads the codec
  // from sequence headers (only those allocate, while parsing).
  void on_video(const SharedMessage& msg);
  void on_audio(const SharedMessage& msg);
};

// What a connection knows when it is identified.
struct ClientInfo {
  std::string ip;
  std::string vhost;
  std::string app;
  std::string stream;
  std::string page_url;
  std::string swf_url;
  std::string tc_url;
  std::string url;        // the stream key
  std::string_view type;  // "Play", "fmle-publish", ... (spec §3.13)
  bool publish = false;
};

struct ClientStat {
  ClientStat(ContextId id, ClientInfo info, const ByteCounter* io, StreamStat* stream,
             int64_t now_ms);
  ContextId id;
  ClientInfo info;
  const ByteCounter* io;  // null: nothing to count
  StreamStat* stream;
  int64_t created_ms;
  KbpsMeter kbps;
  uint64_t counted_recv = 0;  // the connection's totals already added to the meters
  uint64_t counted_send = 0;
};

class Stats {
 public:
  // `server_id` seeds the id counter (spec §4: the pid, so S == pid in practice).
  Stats(int64_t server_id, int64_t now_ms);

  int64_t server_id() const noexcept { return server_id_; }

  // A client identified itself (play or publish). Creates the vhost and stream entries on
  // first sight. A connection that plays or publishes again replaces its entry (its bytes
  // so far stay with the old stream). `io` may be null.
  ClientStat* on_client(ContextId id, ClientInfo info, const ByteCounter* io, int64_t now_ms);
  // The client's stream is published by it / no longer.
  void on_publish(ContextId id);
  void on_unpublish(ContextId id);
  // The connection is closing: its last bytes are counted and its entry removed.
  void on_close(ContextId id);

  // Pulls byte totals from every connection and updates all rates.
  void sample(int64_t now_ms);

  const VhostStat* find_vhost(int64_t id) const noexcept;
  const StreamStat* find_stream(int64_t id) const noexcept;
  const ClientStat* find_client(ContextId id) const noexcept;
  StreamStat* find_stream_by_url(std::string_view url) noexcept;
  // In ascending id order.
  const std::vector<std::unique_ptr<VhostStat>>& vhosts() const noexcept { return vhosts_; }
  const std::vector<std::unique_ptr<StreamStat>>& streams() const noexcept { return streams_; }
  const std::map<ContextId, std::unique_ptr<ClientStat>>& clients() const noexcept {
    return clients_;
  }
  // Everything the server moved (summaries: srs_recv_bytes, srs_send_bytes).
  const KbpsMeter& total() const noexcept { return total_; }
  int64_t last_sample_ms() const noexcept { return last_sample_ms_; }

 private:
  VhostStat& vhost_of(const std::string& name, int64_t now_ms);
  StreamStat& stream_of(const ClientInfo& info, int64_t now_ms);
  // Adds what the connection moved since the last count to its client, stream, vhost and
  // the server total.
  void count(ClientStat& c);
  void detach(ClientStat& c);

  int64_t server_id_;
  int64_t next_id_;
  int64_t last_sample_ms_;
  KbpsMeter total_;
  std::vector<std::unique_ptr<VhostStat>> vhosts_;
  std::vector<std::unique_ptr<StreamStat>> streams_;
  std::map<ContextId, std::unique_ptr<ClientStat>> clients_;
  std::unordered_map<std::string, VhostStat*> vhost_by_name_;
  std::unordered_map<std::string, StreamStat*> stream_by_url_;
};

}  // namespace srs
