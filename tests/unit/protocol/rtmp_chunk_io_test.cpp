// Handshake and chunk stream over a real loopback TCP connection: our client against our
// server, messages sent with the batch writer and read back with the merged reader.
#include "protocol/rtmp/chunk_io.hpp"

#include <gtest/gtest.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "core/coro.hpp"
#include "protocol/rtmp/control.hpp"
#include "protocol/rtmp/handshake.hpp"
#include "protocol/rtmp/session.hpp"
#include "unit/protocol/rtmp_chunk_test_util.hpp"

namespace srs::rtmp {
namespace {

using asio::ip::tcp;
using test::pattern;

// Both ends of one test connection, filled in by the coroutines.
struct Loopback {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::optional<Result<HandshakeKind>> server_kind, client_kind;
  std::vector<Message> received;  // by whichever side reads
  std::optional<Error> read_end;  // how the reading side's loop ended
  uint64_t bytes_read = 0;
};

// Reads messages until the connection ends; records them and the error that ended it.
awaitable<void> read_until_end(tcp::socket& socket, Loopback* t) {
  ChunkReader reader;
  for (;;) {
    auto m = co_await read_message(socket, reader);
    if (!m) {
      t->read_end = m.error();
      break;
    }
    t->received.push_back(std::move(*m));
  }
  t->bytes_read = reader.bytes_received();
}

awaitable<void> server_reads(Loopback* t) {
  auto [ec, socket] = co_await t->acceptor.async_accept(use_nothrow);
  if (ec) co_return;
  t->server_kind = co_await server_handshake(socket);
  co_await read_until_end(socket, t);
}

awaitable<void> client_writes(Loopback* t, const std::vector<Bytes>* payloads, uint32_t chunk) {
  tcp::socket socket(t->io);
  auto [ec] = co_await socket.async_connect(t->acceptor.local_endpoint(), use_nothrow);
  if (ec) co_return;
  t->client_kind = co_await client_handshake(socket);
  ChunkBatch batch;
  ControlMessage size = set_chunk_size(chunk);
  EXPECT_TRUE(batch.add({size.type, 0, 0, kControlCid, size.payload}));
  EXPECT_TRUE(batch.set_chunk_size(chunk));
  uint32_t ts = 0xFFFFF0;  // crosses the extended timestamp escape mid-batch
  for (const Bytes& p : *payloads) {
    EXPECT_TRUE(batch.add({MessageType::video, ts, 1, 6, p}));
    ts += 5;
  }
  auto w = co_await write_batch(socket, batch);
  EXPECT_TRUE(w) << (w ? "" : w.error().message());
  socket.close();
}

TEST(ChunkIo, HandshakeThenBatchReadBackWithTheChunkSizeApplied) {
  Loopback t;
  std::vector<Bytes> payloads;
  for (size_t i = 0; i < 10; ++i) payloads.push_back(pattern(100 + i * 1000, uint8_t(i)));
  spawn(t.io.get_executor(), server_reads(&t), "server");
  spawn(t.io.get_executor(), client_writes(&t, &payloads, 4096), "client");
  t.io.run();

  ASSERT_TRUE(t.server_kind && *t.server_kind);
  ASSERT_TRUE(t.client_kind && *t.client_kind);
  EXPECT_EQ(**t.server_kind, HandshakeKind::complex);
  EXPECT_EQ(**t.client_kind, HandshakeKind::complex);
  ASSERT_EQ(t.received.size(), 1 + payloads.size());
  EXPECT_EQ(t.received[0].type, MessageType::set_chunk_size);
  for (size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(t.received[i + 1].payload, payloads[i]);
    EXPECT_EQ(t.received[i + 1].timestamp, 0xFFFFF0 + 5 * int64_t(i));
  }
  ASSERT_TRUE(t.read_end);
  EXPECT_TRUE(is_normal_close(*t.read_end)) << t.read_end->message();
}

TEST(ChunkIo, BatchLargerThanIovMaxAndTheSocketBufferArrivesWhole) {
  // 200 messages x 40000 bytes at chunk size 128: ~125000 iovecs and ~8 MB, so the writer
  // both splits at IOV_MAX and waits for writability while the reader drains.
  Loopback t;
  std::vector<Bytes> payloads;
  for (size_t i = 0; i < 200; ++i) payloads.push_back(pattern(40000, uint8_t(i)));
  spawn(t.io.get_executor(), server_reads(&t), "server");
  spawn(t.io.get_executor(), client_writes(&t, &payloads, 128), "client");
  t.io.run();

  ASSERT_EQ(t.received.size(), 1 + payloads.size());
  for (size_t i = 0; i < payloads.size(); ++i)
    ASSERT_EQ(t.received[i + 1].payload, payloads[i]) << "message " << i;
  ASSERT_TRUE(t.read_end);
  EXPECT_TRUE(is_normal_close(*t.read_end));
}

awaitable<void> accept_and_close(Loopback* t) {
  auto [ec, socket] = co_await t->acceptor.async_accept(use_nothrow);
  if (!ec) socket.close();
}
awaitable<void> client_handshake_only(Loopback* t) {
  tcp::socket socket(t->io);
  auto [ec] = co_await socket.async_connect(t->acceptor.local_endpoint(), use_nothrow);
  if (!ec) t->client_kind = co_await client_handshake(socket);
}

TEST(ChunkIo, HandshakeWithAPeerThatClosesFailsAsANormalClose) {
  Loopback t;
  spawn(t.io.get_executor(), accept_and_close(&t), "server");
  spawn(t.io.get_executor(), client_handshake_only(&t), "client");
  t.io.run();
  ASSERT_TRUE(t.client_kind);
  ASSERT_FALSE(*t.client_kind);
  EXPECT_TRUE(is_normal_close(t.client_kind->error())) << t.client_kind->error().message();
}

// A connected pair of plain sockets, for the non-waiting reads (no coroutine needed).
struct SocketPair {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  tcp::socket client{io};
  tcp::socket server{io};
  SocketPair() {
    client.connect(acceptor.local_endpoint());
    server = acceptor.accept();
  }
  // Blocks until the server side has bytes or the peer's close to read.
  void await_server_readable() { server.wait(tcp::socket::wait_read); }
};

Bytes one_audio_message() {
  Bytes out;
  test::fmt0(out, 4, 1000, 3, 8, 1);
  out.insert(out.end(), {0xAF, 0x01, 0x42});
  return out;
}

TEST(ChunkIo, ReadNowLeavesAnIdleReaderWaitingUntilTheSocketIsReadable) {
  SocketPair p;
  ChunkReader reader;
  auto none = read_message_now(p.server, reader, false);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(reader.capacity(), 0u) << "an idle reader holds no buffer while it waits";

  asio::write(p.client, asio::buffer(one_audio_message()));
  p.await_server_readable();
  // Not told the socket is readable: still waits first, and reads nothing.
  auto still_none = read_message_now(p.server, reader, false);
  ASSERT_TRUE(still_none);
  EXPECT_FALSE(*still_none);
  EXPECT_EQ(reader.bytes_received(), 0u);

  auto m = read_message_now(p.server, reader, true);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_TRUE(*m);
  EXPECT_EQ((*m)->type, MessageType::audio);
  EXPECT_EQ((*m)->timestamp, 1000);
  EXPECT_EQ((*m)->payload, (Bytes{0xAF, 0x01, 0x42}));

  // A wake-up that finds nothing is not an error.
  auto spurious = read_message_now(p.server, reader, true);
  ASSERT_TRUE(spurious);
  EXPECT_FALSE(*spurious);
}

TEST(ChunkIo, ReadNowReportsThePeersCloseAsANormalClose) {
  SocketPair p;
  ChunkReader reader;
  p.client.close();
  p.await_server_readable();
  auto m = read_message_now(p.server, reader, true);
  ASSERT_FALSE(m);
  EXPECT_TRUE(is_normal_close(m.error())) << m.error().message();
}

awaitable<void> read_n(tcp::socket* socket, size_t n, std::vector<Message>* out) {
  ChunkReader reader;
  while (out->size() < n) {
    auto m = co_await read_message(*socket, reader);
    if (!m) co_return;
    if (m->type == MessageType::video) out->push_back(std::move(*m));
  }
}

awaitable<void> write_rest_of(Session* session, std::optional<Result<>>* done) {
  *done = co_await session->write_batch_rest();
}

// A batch larger than the socket takes at once: write_batch_now() sends what fits and says
// so; write_batch_rest() sends the rest from a coroutine, and the peer gets every byte.
TEST(ChunkIo, ADirectWriteLeavesItsRestForTheCoroutine) {
  SocketPair p;
  Session session(p.server);
  session.queue_out_chunk_size(60000);
  std::vector<Bytes> payloads;
  for (size_t i = 0; i < 8; ++i) payloads.push_back(pattern(2 * 1024 * 1024, uint8_t(i)));
  ChunkBatch& batch = session.start_batch();
  for (const Bytes& b : payloads) ASSERT_TRUE(batch.add({MessageType::video, 0, 1, 6, b}));
  const size_t total = batch.bytes();

  auto all = session.write_batch_now();
  ASSERT_TRUE(all) << all.error().message();
  ASSERT_FALSE(*all) << "16 MiB went into an unread socket at once";
  EXPECT_TRUE(session.write_unfinished());
  EXPECT_TRUE(session.last_write_blocked());
  EXPECT_EQ(session.bytes_sent(), 0u);

  std::vector<Message> got;
  std::optional<Result<>> done;
  spawn(p.io.get_executor(), read_n(&p.client, payloads.size(), &got), "reader");
  spawn(p.io.get_executor(), write_rest_of(&session, &done), "writer");
  p.io.run();
  ASSERT_TRUE(done && *done);
  EXPECT_FALSE(session.write_unfinished());
  EXPECT_EQ(session.bytes_sent(), total);
  ASSERT_EQ(got.size(), payloads.size());
  for (size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(got[i].payload, payloads[i]) << i;
}

}  // namespace
}  // namespace srs::rtmp
