// MPEG audio frame headers.
//
// Goldens from libmp3lame via ffmpeg (each starts with a 45-byte ID3v2 tag and a LAME
// Info frame; frame sizes agree with ffprobe -show_packets):
//  - tests/data/mp3_44100_stereo.mp3: ffmpeg -f lavfi -i sine=frequency=440:sample_rate=44100
//    -ac 2 -t 0.1 -c:a libmp3lame -b:a 128k -f mp3
//  - tests/data/mp3_22050_mono.mp3: sample_rate=22050 -ac 1 -t 0.2 -b:a 32k (MPEG-2)
// Header tables: -c:a libmp3lame -ar 8000 -b:a 16k (MPEG 2.5) and -c:a mp2 -ar 48000
// -b:a 192k (layer II); the layer I header was composed by hand (ffmpeg has no encoder).
#include "kernel/mp3.hpp"

#include <gtest/gtest.h>

#include "unit/kernel/codec_test_util.hpp"

namespace srs {
namespace {

using test::from_hex;

std::vector<uint32_t> frame_lengths(ByteSpan data, size_t first) {
  std::vector<uint32_t> lengths;
  size_t pos = first;
  while (pos + mp3::kHeaderSize <= data.size()) {
    auto h = mp3::parse_frame_header(data.subspan(pos));
    EXPECT_TRUE(h) << "at " << pos;
    if (!h) break;
    lengths.push_back(h->frame_length);
    pos += h->frame_length;
  }
  EXPECT_EQ(pos, data.size());
  return lengths;
}

TEST(Mp3, WalksMpeg1Layer3File) {
  Bytes data = test::read_data_file("mp3_44100_stereo.mp3");
  EXPECT_EQ(mp3::id3v2_size(data), 45u);
  ASSERT_EQ(mp3::find_first_frame(data), 45u);
  auto h = mp3::parse_frame_header(ByteSpan(data).subspan(45 + 417));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->version, mp3::Version::mpeg1);
  EXPECT_EQ(h->layer, 3);
  EXPECT_EQ(h->bitrate_kbps, 128u);
  EXPECT_EQ(h->sample_rate, 44100u);
  EXPECT_EQ(h->samples_per_frame, 1152u);
  EXPECT_EQ(h->channels(), 2);
  EXPECT_FALSE(h->has_crc);
  // 144 * 128000 / 44100 = 417.96: 417 bytes, 418 with the padding slot.
  EXPECT_EQ(frame_lengths(data, 45), (std::vector<uint32_t>{417, 417, 418, 418, 418, 418}));
}

TEST(Mp3, WalksMpeg2Layer3File) {
  Bytes data = test::read_data_file("mp3_22050_mono.mp3");
  ASSERT_EQ(mp3::find_first_frame(data), 45u);
  auto h = mp3::parse_frame_header(ByteSpan(data).subspan(45 + 182));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->version, mp3::Version::mpeg2);
  EXPECT_EQ(h->bitrate_kbps, 32u);
  EXPECT_EQ(h->sample_rate, 22050u);
  EXPECT_EQ(h->samples_per_frame, 576u);
  EXPECT_EQ(h->channel_mode, mp3::ChannelMode::mono);
  EXPECT_EQ(h->channels(), 1);
  // The Info frame is 56 kbit/s so the tag fits: 72 * 56000 / 22050 = 182.
  EXPECT_EQ(frame_lengths(data, 45),
            (std::vector<uint32_t>{182, 104, 105, 104, 105, 104, 105, 104, 105, 104, 105}));
}

struct HeaderCase {
  const char* name;
  const char* hex;
  mp3::Version version;
  uint8_t layer;
  uint32_t kbps;
  uint32_t rate;
  uint32_t samples;
  uint32_t length;
  bool crc;
};

TEST(Mp3, ParsesHeadersOfEveryVersionAndLayer) {
  const HeaderCase cases[] = {
      {"MPEG 2.5 layer III (lame)", "ffe328c4", mp3::Version::mpeg25, 3, 16, 8000, 576, 144, false},
      {"MPEG-1 layer II (mp2)", "fffda404", mp3::Version::mpeg1, 2, 192, 48000, 1152, 576, false},
      {"MPEG-1 layer II with CRC", "fffca404", mp3::Version::mpeg1, 2, 192, 48000, 1152, 576, true},
      // (12 * 384000 / 44100 + 1 padding slot) * 4 bytes
      {"MPEG-1 layer I padded", "ffffc200", mp3::Version::mpeg1, 1, 384, 44100, 384, 420, false},
      {"MPEG-2 layer II", "fff5e000", mp3::Version::mpeg2, 2, 160, 22050, 1152, 1044, false},
  };
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto h = mp3::parse_frame_header(from_hex(c.hex));
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h->version, c.version);
    EXPECT_EQ(h->layer, c.layer);
    EXPECT_EQ(h->bitrate_kbps, c.kbps);
    EXPECT_EQ(h->sample_rate, c.rate);
    EXPECT_EQ(h->samples_per_frame, c.samples);
    EXPECT_EQ(h->frame_length, c.length);
    EXPECT_EQ(h->has_crc, c.crc);
  }
}

TEST(Mp3, RejectsReservedAndUnsupportedHeaders) {
  struct Case {
    const char* hex;
    mp3_errc code;
  };
  const Case cases[] = {
      {"", mp3_errc::truncated},
      {"fffb90", mp3_errc::truncated},
      {"7ffb9004", mp3_errc::no_sync},
      {"ffdb9004", mp3_errc::no_sync},
      {"ffeb9004", mp3_errc::reserved_version},
      {"fff99004", mp3_errc::reserved_layer},
      {"fffbf004", mp3_errc::invalid_bitrate},
      {"fffb0004", mp3_errc::free_format},
      {"fffb9c04", mp3_errc::reserved_sample_rate},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    auto h = mp3::parse_frame_header(from_hex(c.hex));
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().code, c.code);
  }
}

TEST(Mp3, FindSkipsFalseSyncWhoseNextFrameIsMissing) {
  Bytes golden = test::read_data_file("mp3_44100_stereo.mp3");
  // A plausible header (128k, 44.1k: 417 bytes) in front of the real frames; 417 bytes
  // later there is no header, so it is a false sync.
  Bytes data = from_hex("00 fffb9004");
  data.resize(25, 0);
  data.insert(data.end(), golden.begin() + 45, golden.end());
  EXPECT_EQ(mp3::find_first_frame(data), 25u);
}

TEST(Mp3, FindAcceptsLoneFrameAndRejectsNoise) {
  EXPECT_EQ(mp3::find_first_frame(from_hex("fffb9004")), 0u);
  EXPECT_EQ(mp3::find_first_frame(from_hex("00 00 ff fb 90")), std::nullopt);  // cut header
  EXPECT_EQ(mp3::find_first_frame({}), std::nullopt);
  EXPECT_EQ(mp3::find_first_frame(Bytes(4096, 0xff)), std::nullopt);  // bitrate index 15
  EXPECT_EQ(mp3::find_first_frame(Bytes(4096, 0)), std::nullopt);
}

TEST(Mp3, Id3v2SizeHandlesFooterAndRejectsNonSyncsafe) {
  EXPECT_EQ(mp3::id3v2_size(from_hex("494433 0400 10 00000101")), 10u + 129 + 10);
  EXPECT_EQ(mp3::id3v2_size(from_hex("494433 0400 00 00000180")), 0u);
  EXPECT_EQ(mp3::id3v2_size(from_hex("494433 0400 00 000001")), 0u);
  // A tag longer than the data leaves nothing to search.
  EXPECT_EQ(mp3::find_first_frame(from_hex("494433 0400 00 00000101 fffb9004")), std::nullopt);
}

}  // namespace
}  // namespace srs
