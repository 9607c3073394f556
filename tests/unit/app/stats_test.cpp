#include "app/stats.hpp"

#include <gtest/gtest.h>

#include "stats_fixtures.hpp"

namespace srs {
namespace {

using test::client_info;
using test::FakeConnection;

TEST(Stats, IdsCountUpFromTheServerIdInCreationOrder) {
  Stats stats(5000, 0);
  EXPECT_EQ(stats.server_id(), 5000);
  ClientStat* a = stats.on_client(101, client_info("fmle-publish", "a"), nullptr, 0);
  ClientStat* b = stats.on_client(102, client_info("Play", "b", "v.com"), nullptr, 0);
  ClientStat* a2 = stats.on_client(103, client_info("Play", "a"), nullptr, 0);
  EXPECT_EQ(a->stream->vhost->id, 5001);
  EXPECT_EQ(a->stream->id, 5002);
  EXPECT_EQ(b->stream->vhost->id, 5003);
  EXPECT_EQ(b->stream->id, 5004);
  EXPECT_EQ(a2->stream, a->stream);  // same stream key, same entry
  EXPECT_EQ(a->stream->clients, 2);
  EXPECT_EQ(a->stream->vhost->clients, 2);
  EXPECT_EQ(stats.find_stream(5004)->name, "b");
  EXPECT_EQ(stats.find_vhost(5003)->name, "v.com");
  EXPECT_EQ(stats.find_stream(5003), nullptr);
}

TEST(Stats, PublishTracksActiveCidAndCodecsUntilUnpublish) {
  Stats stats(1, 0);
  StreamStat* s = stats.on_client(107, client_info("fmle-publish"), nullptr, 0)->stream;
  EXPECT_EQ(s->publisher, -1);
  stats.on_publish(107);
  EXPECT_TRUE(s->active);
  EXPECT_EQ(s->publisher, 107);
  EXPECT_EQ(s->vhost->publishing, 1);

  s->on_video(*test::real_avc_sequence_header());
  s->on_audio(*test::real_aac_sequence_header());
  for (int i = 0; i < 3; ++i)
    s->on_video(*SharedMessage::make(MessageType::video, i, 1, Bytes{0x27, 1, 0, 0, 0}));
  ASSERT_TRUE(s->video);
  EXPECT_EQ(s->video->codec, "H264");
  EXPECT_EQ(s->video->profile, "High");
  EXPECT_EQ(s->video->level, "3.1");
  EXPECT_EQ(s->video->width, 640u);
  EXPECT_EQ(s->video->height, 360u);
  ASSERT_TRUE(s->audio);
  EXPECT_EQ(s->audio->codec, "AAC");
  EXPECT_EQ(s->audio->sample_rate, 44100u);
  EXPECT_EQ(s->audio->channels, 2u);
  EXPECT_EQ(s->audio->profile, "LC");
  EXPECT_EQ(s->frames, 3u);  // the sequence header is not a frame

  stats.on_unpublish(107);
  EXPECT_FALSE(s->active);
  EXPECT_EQ(s->publisher, 107);  // keeps the last value
  EXPECT_FALSE(s->video);
  EXPECT_FALSE(s->audio);
  EXPECT_EQ(s->frames, 3u);
  EXPECT_EQ(s->vhost->publishing, 0);
}

TEST(Stats, BrokenSequenceHeadersLeaveTheCodecUnknown) {
  Stats stats(1, 0);
  StreamStat* s = stats.on_client(107, client_info("fmle-publish"), nullptr, 0)->stream;
  s->on_video(*SharedMessage::make(MessageType::video, 0, 1, Bytes{0x17, 0x00, 0, 0, 0, 1, 2}));
  s->on_audio(*SharedMessage::make(MessageType::audio, 0, 1, Bytes{0xaf, 0x00}));
  EXPECT_FALSE(s->video);
  EXPECT_FALSE(s->audio);
}

TEST(Stats, BytesArePulledOnTheTickIntoClientStreamVhostAndTotal) {
  Stats stats(1, 0);
  FakeConnection pub, play;
  pub.recv = 3000;  // handshake and connect: before identification, not the stream's
  ClientStat* p = stats.on_client(101, client_info("fmle-publish"), &pub, 0);
  stats.on_client(102, client_info("Play"), &play, 0);
  pub.recv += 375000;  // 3 s of 1000 kbit/s
  play.send += 375000;
  stats.sample(3000);
  const StreamStat& s = *p->stream;
  EXPECT_EQ(s.kbps.recv_bytes(), 375000u);
  EXPECT_EQ(s.kbps.send_bytes(), 375000u);
  EXPECT_EQ(s.kbps.recv_kbps_30s(), 1000);
  EXPECT_EQ(s.kbps.send_kbps_30s(), 1000);
  EXPECT_EQ(s.vhost->kbps.recv_bytes(), 375000u);
  EXPECT_EQ(stats.total().send_bytes(), 375000u);
  EXPECT_EQ(p->kbps.recv_kbps(), 1000);
}

TEST(Stats, CloseCountsTheLastBytesAndRemovesOnlyTheClient) {
  Stats stats(1, 0);
  FakeConnection pub;
  StreamStat* s = stats.on_client(101, client_info("fmle-publish"), &pub, 0)->stream;
  stats.on_publish(101);
  pub.recv = 1000;
  stats.on_close(101);
  EXPECT_EQ(stats.find_client(101), nullptr);
  EXPECT_EQ(s->kbps.recv_bytes(), 1000u);
  EXPECT_EQ(s->clients, 0);
  EXPECT_FALSE(s->active);
  EXPECT_EQ(stats.streams().size(), 1u);  // streams stay listed (stable ids)
  stats.on_close(101);                    // twice is harmless
  stats.sample(1000);
}

TEST(Stats, IdentifyingAgainMovesTheClientToItsNewStream) {
  Stats stats(1, 0);
  FakeConnection conn;
  StreamStat* a = stats.on_client(101, client_info("Play", "a"), &conn, 0)->stream;
  conn.send = 500;
  ClientStat* c = stats.on_client(101, client_info("fmle-publish", "b"), &conn, 0);
  EXPECT_EQ(a->clients, 0);
  EXPECT_EQ(a->kbps.send_bytes(), 500u);  // counted to the old stream
  EXPECT_EQ(c->stream->clients, 1);
  EXPECT_EQ(stats.clients().size(), 1u);
  conn.send = 700;
  stats.sample(1000);
  EXPECT_EQ(c->stream->kbps.send_bytes(), 200u);
}

}  // namespace
}  // namespace srs
