// AudioSpecificConfig, ADTS and the FLV audio tag header.
//
// Goldens from ffmpeg's native AAC encoder:
//  - tests/data/aac_44100_stereo.adts: ffmpeg -f lavfi -i sine=frequency=440:sample_rate=44100
//    -ac 2 -t 0.1 -c:a aac -b:a 64k -f adts (6 frames); aac_48000_mono.adts likewise with
//    sample_rate=48000 -ac 1 -b:a 48k.
//  - the FLV audio sequence headers: the same inputs with -t 0.05 -f flv; ffmpeg appends an
//    explicit "no SBR" sync extension (56 e5 00) to the 2-byte LC config.
// Hand-built configs (HE-AAC signalling, escapes) were composed bit by bit from 1.6.2.1.
#include "kernel/aac.hpp"

#include <gtest/gtest.h>

#include "unit/kernel/codec_test_util.hpp"

namespace srs {
namespace {

using test::from_hex;

struct GoldenAsc {
  const char* flv_tag;
  uint32_t sample_rate;
  uint8_t channels;
};

const GoldenAsc kFfmpegAsc[] = {
    {"af00 120856e500", 44100, 1},
    {"af00 121056e500", 44100, 2},
    {"af00 118856e500", 48000, 1},
    {"af00 119056e500", 48000, 2},
};

TEST(AacConfig, ParsesFfmpegSequenceHeaders) {
  for (const GoldenAsc& g : kFfmpegAsc) {
    SCOPED_TRACE(g.flv_tag);
    const Bytes payload = from_hex(g.flv_tag);
    auto tag = aac::parse_audio_tag(payload);
    ASSERT_TRUE(tag);
    EXPECT_EQ(tag->format, aac::SoundFormat::aac);
    EXPECT_EQ(tag->packet_type, aac::PacketType::sequence_header);
    EXPECT_EQ(tag->flv_sample_rate(), 44100u);  // FLV always says 44 kHz stereo for AAC
    EXPECT_TRUE(tag->stereo);
    EXPECT_TRUE(tag->sixteen_bit);
    auto asc = aac::parse_audio_specific_config(tag->body);
    ASSERT_TRUE(asc) << asc.error().message();
    EXPECT_EQ(asc->object_type, aac::kObjectLc);
    EXPECT_EQ(asc->sample_rate, g.sample_rate);
    EXPECT_EQ(asc->channel_config, g.channels);
    EXPECT_EQ(asc->channels(), g.channels);
    EXPECT_FALSE(asc->sbr);  // the sync extension says "no SBR"
    EXPECT_EQ(aac::profile_name(*asc), "LC");
    // Written back without the extension: the classic 2-byte config.
    Bytes out;
    ASSERT_TRUE(aac::write_audio_specific_config(*asc, out));
    EXPECT_EQ(out, Bytes(tag->body.begin(), tag->body.begin() + 2));
  }
}

TEST(AacConfig, ParsesHierarchicalHeAac) {
  // The common HE-AAC 44.1 kHz stereo config: AOT 5, core 22050 Hz, SBR to 44100, core LC.
  auto asc = aac::parse_audio_specific_config(from_hex("2b920800"));
  ASSERT_TRUE(asc) << asc.error().message();
  EXPECT_EQ(asc->object_type, aac::kObjectLc);
  EXPECT_EQ(asc->sample_rate, 22050u);
  EXPECT_EQ(asc->extension_sample_rate, 44100u);
  EXPECT_EQ(asc->channel_config, 2);
  EXPECT_TRUE(asc->sbr);
  EXPECT_FALSE(asc->ps);
  EXPECT_EQ(aac::profile_name(*asc), "HE");
  Bytes out;
  ASSERT_TRUE(aac::write_audio_specific_config(*asc, out));
  EXPECT_EQ(out, from_hex("2b920800"));
}

TEST(AacConfig, ParsesHierarchicalHeAacV2) {
  // AOT 29, core 24000 Hz mono, SBR to 48000, core LC.
  auto asc = aac::parse_audio_specific_config(from_hex("eb098800"));
  ASSERT_TRUE(asc) << asc.error().message();
  EXPECT_TRUE(asc->sbr);
  EXPECT_TRUE(asc->ps);
  EXPECT_EQ(asc->sample_rate, 24000u);
  EXPECT_EQ(asc->extension_sample_rate, 48000u);
  EXPECT_EQ(asc->channel_config, 1);
  EXPECT_EQ(aac::profile_name(*asc), "HEv2");
  Bytes out;
  ASSERT_TRUE(aac::write_audio_specific_config(*asc, out));
  EXPECT_EQ(out, from_hex("eb098800"));
}

TEST(AacConfig, ParsesBackwardCompatibleSbrAndPs) {
  // LC 24000 Hz mono, then sync 0x2b7 / SBR to 48000, then sync 0x548 / PS.
  auto asc = aac::parse_audio_specific_config(from_hex("130856e59d4880"));
  ASSERT_TRUE(asc) << asc.error().message();
  EXPECT_EQ(asc->object_type, aac::kObjectLc);
  EXPECT_EQ(asc->sample_rate, 24000u);
  EXPECT_TRUE(asc->sbr);
  EXPECT_TRUE(asc->ps);
  EXPECT_EQ(asc->extension_sample_rate, 48000u);
}

TEST(AacConfig, IgnoresCutOrForeignSyncExtension) {
  for (const char* hex : {"1210 56e5", "1210 56e5f8", "1210 1234 56"}) {
    SCOPED_TRACE(hex);
    auto asc = aac::parse_audio_specific_config(from_hex(hex));
    ASSERT_TRUE(asc);
    EXPECT_FALSE(asc->sbr);
    EXPECT_EQ(asc->sample_rate, 44100u);
  }
}

TEST(AacConfig, ParsesEscapedObjectTypeAndExplicitFrequency) {
  auto usac = aac::parse_audio_specific_config(from_hex("f94640"));
  ASSERT_TRUE(usac) << usac.error().message();
  EXPECT_EQ(usac->object_type, 42);
  EXPECT_EQ(usac->sample_rate, 48000u);
  EXPECT_EQ(aac::profile_name(*usac), "Other");
  Bytes out;
  EXPECT_EQ(aac::write_audio_specific_config(*usac, out).error().code,
            aac_errc::invalid_object_type);

  auto odd_rate = aac::parse_audio_specific_config(from_hex("1780181c88"));
  ASSERT_TRUE(odd_rate) << odd_rate.error().message();
  EXPECT_EQ(odd_rate->sample_rate, 12345u);
  EXPECT_EQ(odd_rate->channel_config, 1);
  ASSERT_TRUE(aac::write_audio_specific_config(*odd_rate, out));
  EXPECT_EQ(out, from_hex("1780181c88"));
}

TEST(AacConfig, RoundTripsEveryIndexedRateAndChannelConfig) {
  for (uint32_t rate : aac::kSampleRates) {
    for (uint8_t channels = 1; channels <= 7; ++channels) {
      aac::AudioSpecificConfig c;
      c.sample_rate = rate;
      c.channel_config = channels;
      Bytes out;
      ASSERT_TRUE(aac::write_audio_specific_config(c, out));
      EXPECT_EQ(out.size(), 2u);
      auto back = aac::parse_audio_specific_config(out);
      ASSERT_TRUE(back);
      EXPECT_EQ(*back, c);
    }
  }
}

TEST(AacConfig, RejectsTruncatedAndReservedValues) {
  struct Case {
    const char* hex;
    aac_errc code;
  };
  const Case cases[] = {
      {"", aac_errc::truncated},
      {"12", aac_errc::truncated},
      {"1780", aac_errc::truncated},  // explicit frequency cut
      {"2b92", aac_errc::truncated},  // SBR output rate cut
      {"0010", aac_errc::invalid_object_type},
      {"16 90", aac_errc::invalid_sample_rate},       // index 13 is reserved
      {"1780000008", aac_errc::invalid_sample_rate},  // explicit 0 Hz
      {"1240", aac_errc::invalid_channels},           // channel configuration 8
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    auto asc = aac::parse_audio_specific_config(from_hex(c.hex));
    ASSERT_FALSE(asc);
    EXPECT_EQ(asc.error().code, c.code);
  }
}

TEST(AacConfig, ChannelsOfSevenIsEight) {
  aac::AudioSpecificConfig c;
  c.channel_config = 7;
  EXPECT_EQ(c.channels(), 8);
  c.channel_config = 0;
  EXPECT_EQ(c.channels(), 0);
}

struct GoldenAdts {
  const char* file;
  std::vector<uint16_t> frame_lengths;
  uint32_t sample_rate;
  uint8_t channels;
};

const GoldenAdts kFfmpegAdts[] = {
    {"aac_44100_stereo.adts", {140, 237, 160, 153, 187, 14}, 44100, 2},
    {"aac_48000_mono.adts", {161, 206, 97, 101, 108, 118}, 48000, 1},
};

TEST(AacAdts, WalksFfmpegStreams) {
  for (const GoldenAdts& g : kFfmpegAdts) {
    SCOPED_TRACE(g.file);
    Bytes data = test::read_data_file(g.file);
    aac::AdtsReader reader(data);
    std::vector<uint16_t> lengths;
    while (true) {
      auto frame = reader.next();
      ASSERT_TRUE(frame) << frame.error().message();
      if (!*frame) break;
      const aac::AdtsHeader& h = (*frame)->header;
      EXPECT_FALSE(h.mpeg2);
      EXPECT_FALSE(h.has_crc);
      EXPECT_EQ(h.object_type, aac::kObjectLc);
      EXPECT_EQ(h.sample_rate(), g.sample_rate);
      EXPECT_EQ(h.channel_config, g.channels);
      EXPECT_EQ(h.buffer_fullness, 0x7ff);
      EXPECT_EQ(h.raw_blocks, 0);
      EXPECT_EQ((*frame)->payload.size(), h.frame_length - 7u);
      lengths.push_back(h.frame_length);
    }
    EXPECT_EQ(lengths, g.frame_lengths);
  }
}

TEST(AacAdts, RewritingEachFrameFromItsConfigGivesTheSameBytes) {
  for (const GoldenAdts& g : kFfmpegAdts) {
    SCOPED_TRACE(g.file);
    Bytes data = test::read_data_file(g.file);
    aac::AdtsReader reader(data);
    Bytes rebuilt;
    while (true) {
      auto frame = reader.next();
      ASSERT_TRUE(frame);
      if (!*frame) break;
      ASSERT_TRUE(
          aac::write_adts_frame(aac::config_of((*frame)->header), (*frame)->payload, rebuilt));
    }
    EXPECT_EQ(rebuilt, data);
  }
}

TEST(AacAdts, BuildParseRoundTrip) {
  aac::AdtsHeader h;
  h.mpeg2 = true;
  h.object_type = aac::kObjectMain;
  h.sampling_index = 11;
  h.channel_config = 6;
  h.frame_length = 8191;
  h.buffer_fullness = 0x123;
  h.raw_blocks = 3;
  auto bytes = aac::build_adts_header(h);
  ASSERT_TRUE(bytes);
  auto parsed = aac::parse_adts_header(*bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, h);
}

TEST(AacAdts, ParsesHeaderWithCrc) {
  Bytes data = from_hex("fff84c8001bffcabcd01020304");
  aac::AdtsReader reader(data);
  auto frame = reader.next();
  ASSERT_TRUE(frame);
  ASSERT_TRUE(*frame);
  EXPECT_TRUE((*frame)->header.has_crc);
  EXPECT_TRUE((*frame)->header.mpeg2);
  EXPECT_EQ((*frame)->header.header_size(), 9u);
  EXPECT_EQ((*frame)->header.sample_rate(), 48000u);
  EXPECT_EQ(Bytes((*frame)->payload.begin(), (*frame)->payload.end()), from_hex("01020304"));
  auto end = reader.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
}

TEST(AacAdts, RejectsTruncatedHeaderAtEveryLength) {
  Bytes crc = from_hex("fff84c8001bffcabcd");
  for (size_t n = 0; n < crc.size(); ++n) {
    auto h = aac::parse_adts_header(ByteSpan(crc).first(n));
    ASSERT_FALSE(h) << n;
    EXPECT_EQ(h.error().code, aac_errc::truncated) << n;
  }
}

TEST(AacAdts, RejectsHostileHeaders) {
  struct Case {
    const char* hex;
    aac_errc code;
  };
  const Case cases[] = {
      {"fff1508000 1ffc", aac_errc::invalid_frame_length},  // frame_length 0
      {"fff1508000 dffc", aac_errc::invalid_frame_length},  // 6 < 7
      {"fff1748011 9ffc", aac_errc::invalid_sample_rate},   // index 13
      {"fff3508011 9ffc", aac_errc::no_adts_sync},          // layer 1
      {"4c61766335 3900", aac_errc::no_adts_sync},          // not a header
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    auto h = aac::parse_adts_header(from_hex(c.hex));
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().code, c.code);
  }
}

TEST(AacAdts, ReaderRejectsLyingLengthAndGarbage) {
  Bytes data = test::read_data_file("aac_44100_stereo.adts");
  Bytes cut(data.begin(), data.begin() + 139);  // the first frame is 140 bytes
  aac::AdtsReader short_reader(cut);
  auto r = short_reader.next();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, aac_errc::truncated);

  Bytes garbage(data.begin(), data.begin() + 140);
  garbage.push_back(0x00);
  aac::AdtsReader reader(garbage);
  ASSERT_TRUE(reader.next());
  auto second = reader.next();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, aac_errc::truncated);  // one byte cannot hold a syncword
  garbage.insert(garbage.end(), {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde});
  aac::AdtsReader reader2(garbage);
  ASSERT_TRUE(reader2.next());
  EXPECT_EQ(reader2.next().error().code, aac_errc::no_adts_sync);

  aac::AdtsReader empty({});
  auto none = empty.next();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST(AacAdts, FramesHeAacAsItsLcCore) {
  auto he = aac::parse_audio_specific_config(from_hex("2b920800"));
  ASSERT_TRUE(he);
  Bytes out;
  ASSERT_TRUE(aac::write_adts_frame(*he, from_hex("aabb"), out));
  auto h = aac::parse_adts_header(out);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->object_type, aac::kObjectLc);
  EXPECT_EQ(h->sample_rate(), 22050u);
  EXPECT_EQ(h->frame_length, 9);
}

TEST(AacAdts, RefusesWhatAdtsCannotCarry) {
  Bytes out;
  aac::AudioSpecificConfig odd;
  odd.sample_rate = 12345;
  EXPECT_EQ(aac::write_adts_frame(odd, from_hex("00"), out).error().code,
            aac_errc::not_adts_compatible);
  aac::AudioSpecificConfig ltp_plus;
  ltp_plus.object_type = 6;
  EXPECT_EQ(aac::write_adts_frame(ltp_plus, from_hex("00"), out).error().code,
            aac_errc::not_adts_compatible);
  aac::AudioSpecificConfig lc;
  Bytes big(8185, 0);
  EXPECT_EQ(aac::write_adts_frame(lc, big, out).error().code, aac_errc::invalid_frame_length);
  EXPECT_TRUE(out.empty());
  big.pop_back();
  EXPECT_TRUE(aac::write_adts_frame(lc, big, out));
  EXPECT_EQ(out.size(), 8191u);
}

TEST(AacAudioTag, ParsesOtherFormatsWithOneByteHeader) {
  const Bytes mp3_bytes = from_hex("2e fffb");  // the tag body points into it
  auto mp3 = aac::parse_audio_tag(mp3_bytes);
  ASSERT_TRUE(mp3);
  EXPECT_EQ(mp3->format, aac::SoundFormat::mp3);
  EXPECT_EQ(mp3->flv_sample_rate(), 44100u);
  EXPECT_TRUE(mp3->sixteen_bit);
  EXPECT_FALSE(mp3->stereo);
  EXPECT_EQ(mp3->body.size(), 2u);
  const Bytes pcm_bytes = from_hex("31");
  auto pcm = aac::parse_audio_tag(pcm_bytes);
  ASSERT_TRUE(pcm);
  EXPECT_EQ(pcm->format, aac::SoundFormat::linear_pcm_le);
  EXPECT_EQ(pcm->flv_sample_rate(), 5512u);
  EXPECT_FALSE(pcm->sixteen_bit);
  EXPECT_TRUE(pcm->stereo);
}

TEST(AacAudioTag, TruncatedHeaderFails) {
  EXPECT_EQ(aac::parse_audio_tag({}).error().code, aac_errc::truncated);
  EXPECT_EQ(aac::parse_audio_tag(from_hex("af")).error().code, aac_errc::truncated);
  const Bytes raw_bytes = from_hex("af01");
  auto raw = aac::parse_audio_tag(raw_bytes);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->packet_type, aac::PacketType::raw);
  EXPECT_TRUE(raw->body.empty());
}

TEST(AacNames, ProfilesAsTheApiReportsThem) {
  EXPECT_EQ(aac::profile_name(1), "Main");
  EXPECT_EQ(aac::profile_name(2), "LC");
  EXPECT_EQ(aac::profile_name(3), "SSR");
  EXPECT_EQ(aac::profile_name(5), "HE");
  EXPECT_EQ(aac::profile_name(29), "HEv2");
  EXPECT_EQ(aac::profile_name(4), "Other");
  EXPECT_EQ(aac::sample_rate_index(44100), 4);
  EXPECT_EQ(aac::sample_rate_index(7350), 12);
  EXPECT_FALSE(aac::sample_rate_index(44000));
}

}  // namespace
}  // namespace srs
