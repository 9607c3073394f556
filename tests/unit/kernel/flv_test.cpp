#include "kernel/flv.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

namespace srs {
namespace {

using flv::TagType;

TEST(Flv, FileHeaderGoldenBytes) {
  uint8_t out[13];
  flv::encode_file_header(true, true, out);
  EXPECT_EQ(Bytes(std::begin(out), std::end(out)),
            (Bytes{'F', 'L', 'V', 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0}));
  flv::encode_file_header(false, true, out);
  EXPECT_EQ(out[4], 0x01);
  flv::encode_file_header(true, false, out);
  EXPECT_EQ(out[4], 0x04);
}

TEST(Flv, DecodesFileHeaderFlags) {
  auto h = flv::decode_file_header(Bytes{'F', 'L', 'V', 1, 0x04, 0, 0, 0, 9});
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->has_audio);
  EXPECT_FALSE(h->has_video);
  EXPECT_EQ(h->data_offset, 9u);
}

TEST(Flv, RejectsBadFileHeaders) {
  auto code = [](const Bytes& b) { return flv::decode_file_header(b).error().code; };
  EXPECT_EQ(code({'F', 'L', 'X', 1, 5, 0, 0, 0, 9}), flv_errc::bad_signature);
  EXPECT_EQ(code({'F', 'L', 'V', 2, 5, 0, 0, 0, 9}), flv_errc::bad_version);
  EXPECT_EQ(code({'F', 'L', 'V', 1, 5, 0, 0, 0, 8}), flv_errc::bad_data_offset);
  EXPECT_EQ(code({'F', 'L', 'V', 1, 5, 0xff, 0, 0, 0}), flv_errc::bad_data_offset);
  EXPECT_EQ(code({'F', 'L', 'V', 1, 5}), flv_errc::truncated);
}

TEST(Flv, TagHeaderGoldenBytesWithExtendedTimestamp) {
  uint8_t out[11];
  flv::encode_tag_header(TagType::video, 0x12345678, 0x0a0b0c, out);
  const Bytes expected = {0x09, 0x0a, 0x0b, 0x0c, 0x34, 0x56, 0x78, 0x12, 0, 0, 0};
  EXPECT_EQ(Bytes(std::begin(out), std::end(out)), expected);

  const flv::TagHeader h = flv::decode_tag_header(out);
  EXPECT_EQ(h.type, TagType::video);
  EXPECT_EQ(h.data_size, 0x0a0b0cu);
  EXPECT_EQ(h.timestamp, 0x12345678u);
  EXPECT_EQ(h.stream_id, 0u);
  EXPECT_FALSE(h.filtered);
}

TEST(Flv, DecodesFilterBitApartFromType) {
  const uint8_t in[11] = {0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
  const flv::TagHeader h = flv::decode_tag_header(in);
  EXPECT_TRUE(h.filtered);
  EXPECT_EQ(h.type, TagType::audio);
}

TEST(Flv, PreviousTagSizeCountsTheHeader) {
  uint8_t out[4];
  flv::encode_previous_tag_size(100, out);
  EXPECT_EQ(Bytes(std::begin(out), std::end(out)), (Bytes{0, 0, 0, 111}));
}

TEST(Flv, AppendTagWritesHeaderDataAndSize) {
  Bytes out;
  const Bytes data = {0xaf, 0x01, 0x21};
  flv::append_tag(out, TagType::audio, 40, data);
  EXPECT_EQ(out, (Bytes{0x08, 0, 0, 3, 0, 0, 40, 0, 0, 0, 0, 0xaf, 0x01, 0x21, 0, 0, 0, 14}));
}

// A small stream: header, script tag, audio tag, video tag.
Bytes sample_stream() {
  Bytes out(13);
  flv::encode_file_header(true, true, std::span<uint8_t, 13>(out.data(), 13));
  flv::append_tag(out, TagType::script, 0, flv::encode_metadata(amf0::Object{{"width", 64}}));
  flv::append_tag(out, TagType::audio, 23, Bytes{0xaf, 0x01, 0x55});
  flv::append_tag(out, TagType::video, 0x01000000, Bytes(300, 0x27));
  return out;
}

struct Seen {
  TagType type;
  uint32_t timestamp;
  Bytes data;
  bool operator==(const Seen&) const = default;
};

// Feeds the stream in pieces of `piece` bytes and collects every tag.
Result<std::vector<Seen>> decode_in_pieces(const Bytes& stream, size_t piece,
                                           uint32_t limit = flv::kDefaultMaxTagSize) {
  flv::Decoder d(limit);
  std::vector<Seen> tags;
  for (size_t at = 0; at < stream.size(); at += piece) {
    d.feed(ByteSpan(stream).subspan(at, std::min(piece, stream.size() - at)));
    for (;;) {
      auto t = d.next();
      if (!t) return std::unexpected(t.error());
      if (!*t) break;
      tags.push_back(
          {(*t)->header.type, (*t)->header.timestamp, Bytes((*t)->data.begin(), (*t)->data.end())});
    }
  }
  return tags;
}

TEST(FlvDecoder, YieldsTheSameTagsHoweverTheInputIsCut) {
  const Bytes stream = sample_stream();
  auto whole = decode_in_pieces(stream, stream.size());
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->size(), 3u);
  EXPECT_EQ((*whole)[0].type, TagType::script);
  EXPECT_EQ((*whole)[1], (Seen{TagType::audio, 23, {0xaf, 0x01, 0x55}}));
  EXPECT_EQ((*whole)[2].timestamp, 0x01000000u);
  EXPECT_EQ((*whole)[2].data.size(), 300u);
  for (size_t piece : {1, 2, 3, 7, 11, 13, 14, 100}) {
    auto cut = decode_in_pieces(stream, piece);
    ASSERT_TRUE(cut) << piece;
    EXPECT_EQ(*cut, *whole) << "pieces of " << piece;
  }
}

TEST(FlvDecoder, WaitsForMoreInputOnPartialTag) {
  const Bytes stream = sample_stream();
  flv::Decoder d;
  d.feed(ByteSpan(stream).first(stream.size() - 1));
  int tags = 0;
  for (auto t = d.next(); t && *t; t = d.next()) ++tags;
  EXPECT_EQ(tags, 2);
  ASSERT_TRUE(d.file_header());
  EXPECT_TRUE(d.file_header()->has_audio);
  const Bytes last = {stream.back()};
  d.feed(last);
  auto t = d.next();
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->header.type, TagType::video);
}

TEST(FlvDecoder, RejectsTagAboveLimitBeforeBufferingIt) {
  Bytes stream(13);
  flv::encode_file_header(true, true, std::span<uint8_t, 13>(stream.data(), 13));
  uint8_t header[11];
  flv::encode_tag_header(TagType::video, 0, 0xffffff, header);
  stream.insert(stream.end(), std::begin(header), std::end(header));
  auto r = decode_in_pieces(stream, 5, 1024);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, flv_errc::tag_too_large);
}

TEST(FlvDecoder, ErrorIsFinal) {
  const Bytes bad = {'F', 'L', 'V', 9, 5, 0, 0, 0, 9, 0, 0, 0, 0};
  flv::Decoder d;
  d.feed(bad);
  EXPECT_EQ(d.next().error().code, flv_errc::bad_version);
  const Bytes good = sample_stream();
  d.feed(good);
  EXPECT_EQ(d.next().error().code, flv_errc::bad_version);
}

TEST(FlvDecoder, RejectsNonFlvInput) {
  const Bytes http = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};
  auto r = decode_in_pieces(http, 4);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, flv_errc::bad_signature);
}

TEST(FlvDecoder, SkipsExtraHeaderBytesFromDataOffset) {
  Bytes stream = {'F', 'L', 'V', 1, 5, 0, 0, 0, 12, 0xee, 0xee, 0xee, 0, 0, 0, 0};
  flv::append_tag(stream, TagType::audio, 1, Bytes{0x2f});
  auto r = decode_in_pieces(stream, 3);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0], (Seen{TagType::audio, 1, {0x2f}}));
}

TEST(FlvMetadata, AcceptsOnMetaDataAndSetDataFrameForms) {
  auto v = flv::decode_metadata(flv::encode_metadata(amf0::Object{{"width", 64}}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->get("width").as_number(), 64.0);

  Bytes wrapped;
  ByteWriter w(wrapped);
  amf0::write_string(w, "@setDataFrame");
  amf0::write_string(w, "onMetaData");
  amf0::encode(amf0::EcmaArray{{"height", 48}}, w);
  v = flv::decode_metadata(wrapped);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), amf0::Type::ecma_array);
  EXPECT_EQ(v->get("height").as_number(), 48.0);
}

TEST(FlvMetadata, RejectsOtherScriptDataAndMissingObject) {
  Bytes b;
  ByteWriter w(b);
  amf0::write_string(w, "onCuePoint");
  amf0::encode(amf0::Object{}, w);
  EXPECT_EQ(flv::decode_metadata(b).error().code, flv_errc::not_metadata);

  Bytes n;
  ByteWriter wn(n);
  amf0::write_string(wn, "onMetaData");
  amf0::write_number(wn, 1);
  EXPECT_EQ(flv::decode_metadata(n).error().code, flv_errc::not_metadata);

  EXPECT_EQ(flv::decode_metadata(Bytes{0x02, 0x00}).error().code, amf0_errc::truncated);
}

TEST(FlvMetadata, EncodeGoldenBytes) {
  const Bytes expected = {0x02, 0,   10,   'o', 'n', 'M', 'e',  't', 'a', 'D', 'a',
                          't',  'a', 0x03, 0,   1,   'w', 0x05, 0,   0,   0x09};
  EXPECT_EQ(flv::encode_metadata(amf0::Object{{"w", amf0::Null{}}}), expected);
}

// tests/data/tiny.flv: ffmpeg -f lavfi -i testsrc2=size=64x64:rate=5 -f lavfi -i sine -t 1
//   -c:v libx264 -g 5 -c:a aac -f flv
TEST(FlvDecoder, ParsesFfmpegFileTagByTag) {
  std::ifstream f(SRS_TEST_DATA_DIR "/tiny.flv", std::ios::binary);
  ASSERT_TRUE(f) << "missing tests/data/tiny.flv";
  const Bytes file((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());

  flv::Decoder d;
  std::map<TagType, int> counts;
  std::vector<flv::TagHeader> headers;
  std::optional<amf0::Value> metadata;
  Bytes first_video, first_audio;
  for (size_t at = 0; at < file.size(); at += 4096) {  // file-sized reads
    d.feed(ByteSpan(file).subspan(at, std::min<size_t>(4096, file.size() - at)));
    for (;;) {
      auto t = d.next();
      ASSERT_TRUE(t) << t.error().message();
      if (!*t) break;
      const flv::Tag& tag = **t;
      headers.push_back(tag.header);
      ++counts[tag.header.type];
      if (tag.header.type == TagType::script) {
        auto m = flv::decode_metadata(tag.data);
        ASSERT_TRUE(m) << m.error().message();
        metadata = *m;
      }
      if (tag.header.type == TagType::video && first_video.empty()) {
        first_video.assign(tag.data.begin(), tag.data.begin() + 2);
      }
      if (tag.header.type == TagType::audio && first_audio.empty()) {
        first_audio.assign(tag.data.begin(), tag.data.begin() + 2);
      }
    }
  }
  ASSERT_TRUE(d.file_header());
  EXPECT_TRUE(d.file_header()->has_audio);
  EXPECT_TRUE(d.file_header()->has_video);
  EXPECT_EQ(headers.size(), 54u);
  EXPECT_EQ(counts[TagType::script], 1);
  EXPECT_EQ(counts[TagType::video], 7);  // sequence header, 5 frames, end of sequence
  EXPECT_EQ(counts[TagType::audio], 46);
  EXPECT_EQ(headers.front().type, TagType::script);
  EXPECT_EQ(first_video, (Bytes{0x17, 0x00}));  // AVC keyframe, sequence header
  EXPECT_EQ(first_audio, (Bytes{0xaf, 0x00}));  // AAC, AudioSpecificConfig
  EXPECT_EQ(headers.back().timestamp, 800u);
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->get("width").as_number(), 64.0);
  EXPECT_EQ(metadata->get("height").as_number(), 64.0);
  EXPECT_EQ(metadata->get("videocodecid").as_number(), 7.0);
  EXPECT_EQ(metadata->get("audiocodecid").as_number(), 10.0);
}

}  // namespace
}  // namespace srs
