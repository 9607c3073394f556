// Protocol control and user control messages (RTMP spec 5.4, 7.1.7) and aggregate
// splitting (RTMP spec 7.1.6, spec/rtmp.md 5).
#include "protocol/rtmp/control.hpp"

#include <gtest/gtest.h>

#include "protocol/rtmp/aggregate.hpp"
#include "protocol/rtmp/rtmp_error.hpp"

namespace srs::rtmp {
namespace {

TEST(Control, EncodesFourByteControlMessages) {
  auto m = set_chunk_size(60000);
  EXPECT_EQ(m.type, MessageType::set_chunk_size);
  EXPECT_EQ(m.payload, (Bytes{0x00, 0x00, 0xEA, 0x60}));
  EXPECT_EQ(abort_message(4).payload, (Bytes{0, 0, 0, 4}));
  EXPECT_EQ(abort_message(4).type, MessageType::abort);
  EXPECT_EQ(acknowledgement(0x01020304).payload, (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(acknowledgement(1).type, MessageType::acknowledgement);
  EXPECT_EQ(window_ack_size(2500000).payload, (Bytes{0x00, 0x26, 0x25, 0xA0}));
  EXPECT_EQ(window_ack_size(1).type, MessageType::window_ack_size);
}

TEST(Control, SetChunkSizeClearsTheReservedTopBit) {
  EXPECT_EQ(set_chunk_size(0xFFFFFFFF).payload, (Bytes{0x7F, 0xFF, 0xFF, 0xFF}));
}

TEST(Control, EncodesSetPeerBandwidthWithLimitType) {
  auto m = set_peer_bandwidth(2500000, PeerBandwidthLimit::dynamic);
  EXPECT_EQ(m.type, MessageType::set_peer_bandwidth);
  EXPECT_EQ(m.payload, (Bytes{0x00, 0x26, 0x25, 0xA0, 0x02}));
}

TEST(Control, EncodesUserControlEvents) {
  auto begin = user_control(UserControlEvent::stream_begin, 1);
  EXPECT_EQ(begin.type, MessageType::user_control);
  EXPECT_EQ(begin.payload, (Bytes{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(user_control(UserControlEvent::stream_eof, 1).payload, (Bytes{0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(user_control(UserControlEvent::stream_dry, 1).payload, (Bytes{0, 2, 0, 0, 0, 1}));
  EXPECT_EQ(user_control(UserControlEvent::ping_request, 0x0A0B0C0D).payload,
            (Bytes{0, 6, 0x0A, 0x0B, 0x0C, 0x0D}));
  EXPECT_EQ(user_control(UserControlEvent::ping_response, 7).payload, (Bytes{0, 7, 0, 0, 0, 7}));
  EXPECT_EQ(set_buffer_length(1, 3000).payload, (Bytes{0, 3, 0, 0, 0, 1, 0, 0, 0x0B, 0xB8}));
}

TEST(Control, DecodesWhatItEncodes) {
  EXPECT_EQ(decode_set_chunk_size(set_chunk_size(4096).payload).value(), 4096u);
  EXPECT_EQ(decode_abort(abort_message(9).payload).value(), 9u);
  EXPECT_EQ(decode_acknowledgement(acknowledgement(123).payload).value(), 123u);
  EXPECT_EQ(decode_window_ack_size(window_ack_size(5000).payload).value(), 5000u);
  auto bw = decode_set_peer_bandwidth(set_peer_bandwidth(777, PeerBandwidthLimit::soft).payload);
  ASSERT_TRUE(bw);
  EXPECT_EQ(bw->size, 777u);
  EXPECT_EQ(bw->limit, PeerBandwidthLimit::soft);
}

TEST(Control, DecodesPingRequestAndSetBufferLength) {
  auto ping = decode_user_control(Bytes{0, 6, 0, 0, 1, 0});
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->event, UserControlEvent::ping_request);
  EXPECT_EQ(ping->value, 256u);
  auto buffer = decode_user_control(set_buffer_length(1, 3000).payload);
  ASSERT_TRUE(buffer);
  EXPECT_EQ(buffer->event, UserControlEvent::set_buffer_length);
  EXPECT_EQ(buffer->value, 1u);
  EXPECT_EQ(buffer->buffer_ms, 3000u);
}

TEST(Control, AcceptsTheFmsThreeByteEvent) {
  auto fms = decode_user_control(Bytes{0x00, 0x1A, 0x01});
  ASSERT_TRUE(fms);
  EXPECT_EQ(fms->event, UserControlEvent::fms_event0);
  EXPECT_EQ(fms->value, 1u);
}

TEST(Control, RejectsTruncatedPayloads) {
  EXPECT_EQ(decode_set_chunk_size(Bytes{0, 0, 1}).error().code, rtmp_errc::truncated);
  EXPECT_EQ(decode_window_ack_size(Bytes{}).error().code, rtmp_errc::truncated);
  EXPECT_EQ(decode_set_peer_bandwidth(Bytes{0, 0, 0, 1}).error().code, rtmp_errc::truncated);
  EXPECT_EQ(decode_user_control(Bytes{0, 6, 0}).error().code, rtmp_errc::truncated);
  EXPECT_EQ(decode_user_control(Bytes{0, 3, 0, 0, 0, 1}).error().code, rtmp_errc::truncated);
}

// One FLV-tag-shaped sub-message of an aggregate.
void sub_message(Bytes& out, uint8_t type, uint32_t ts, const Bytes& body) {
  ByteWriter w(out);
  w.u8(type);
  w.u24(static_cast<uint32_t>(body.size()));
  w.u24(ts & 0xFFFFFF);
  w.u8(static_cast<uint8_t>(ts >> 24));
  w.u24(0);
  w.bytes(body);
  w.u32(static_cast<uint32_t>(11 + body.size()));
}

TEST(Aggregate, SplitsAndRebasesOnTheAggregateTimestamp) {
  Message agg{MessageType::aggregate, 5000, 1, 6, {}};
  sub_message(agg.payload, 9, 0x01000000, {0x17, 0x01});
  sub_message(agg.payload, 8, 0x01000028, {0xAF, 0x01, 0x55});
  auto subs = split_aggregate(agg);
  ASSERT_TRUE(subs);
  ASSERT_EQ(subs->size(), 2u);
  EXPECT_EQ((*subs)[0].type, MessageType::video);
  EXPECT_EQ((*subs)[0].timestamp, 5000);
  EXPECT_EQ((*subs)[0].payload, (Bytes{0x17, 0x01}));
  EXPECT_EQ((*subs)[1].type, MessageType::audio);
  EXPECT_EQ((*subs)[1].timestamp, 5040);
  EXPECT_EQ((*subs)[1].payload, (Bytes{0xAF, 0x01, 0x55}));
  EXPECT_EQ((*subs)[1].stream_id, 1u);
  EXPECT_EQ((*subs)[1].cid, 6u);
}

// chunk_reader_fuzz input: the second sub-message 0xFF000000 ms ahead of the first made a
// 33-bit timestamp, which players' chunk headers would have cut to 32 bits.
TEST(Aggregate, SubMessageTimestampsWrapAt31BitsLikeChunkTimestamps) {
  Message agg{MessageType::aggregate, 40, 1, 4, {}};
  sub_message(agg.payload, 8, 1000, Bytes(22, 0xAF));
  sub_message(agg.payload, 8, 0xFF0003FF, Bytes(32, 0xAF));
  auto subs = split_aggregate(agg);
  ASSERT_TRUE(subs);
  ASSERT_EQ(subs->size(), 2u);
  EXPECT_EQ((*subs)[0].timestamp, 40);
  EXPECT_EQ((*subs)[1].timestamp, (40 + 0xFF0003FFll - 1000) & kTimestampMask);
  EXPECT_LE((*subs)[1].timestamp, kTimestampMask);
}

TEST(Aggregate, EmptyAggregateHasNoSubMessages) {
  Message agg{MessageType::aggregate, 0, 1, 6, {}};
  auto subs = split_aggregate(agg);
  ASSERT_TRUE(subs);
  EXPECT_TRUE(subs->empty());
}

TEST(Aggregate, RejectsASubMessageThatOverrunsThePayload) {
  Message agg{MessageType::aggregate, 0, 1, 6, {}};
  sub_message(agg.payload, 9, 0, {1, 2, 3});
  agg.payload.resize(agg.payload.size() - 1);  // previous tag size cut short
  EXPECT_EQ(split_aggregate(agg).error().code, rtmp_errc::bad_aggregate);
  Message header_only{MessageType::aggregate, 0, 1, 6, Bytes{9, 0, 0}};
  EXPECT_EQ(split_aggregate(header_only).error().code, rtmp_errc::bad_aggregate);
}

}  // namespace
}  // namespace srs::rtmp
