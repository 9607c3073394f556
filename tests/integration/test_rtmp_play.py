"""RTMP origin with real clients: ffmpeg publishes, ffmpeg/ffprobe/rtmpdump play."""
import os
import unittest

from harness import ServerTestCase, kill, run, wait_until
from media import count, monotonic_dts, packets, publish, record, streams


class RtmpPublishPlay(ServerTestCase):
    def setUp(self):
        self.srs = self.server()
        self.base = f"rtmp://127.0.0.1:{self.srs.rtmp}/live"

    def start_publisher(self, stream="s", name="avc_aac.flv"):
        p = publish(f"{self.base}/{stream}", name)
        self.addCleanup(kill, p)
        self.srs.wait_log(f"publish start", timeout=15)
        return p

    def record_and_probe(self, stream="s", seconds=5):
        out = os.path.join(self.srs.dir, f"{stream}-{seconds}.flv")
        r = record(f"{self.base}/{stream}", seconds, out)
        self.assertEqual(r.returncode, 0, (r.stderr or b"").decode())
        return packets(out), streams(out)

    def test_h264_aac_plays_with_most_frames_and_monotonic_timestamps(self):
        self.start_publisher()
        pkts, strs = self.record_and_probe()
        codecs = sorted(s["codec_name"] for s in strs)
        self.assertEqual(codecs, ["aac", "h264"])
        self.assertGreaterEqual(count(pkts, "video"), int(0.9 * 5 * 25))
        self.assertTrue(monotonic_dts(pkts, "video"))
        self.assertTrue(monotonic_dts(pkts, "audio"))

    def test_audio_only(self):
        self.start_publisher(name="audio_only.flv")
        pkts, strs = self.record_and_probe(seconds=3)
        self.assertEqual([s["codec_name"] for s in strs], ["aac"])
        # 44100 Hz AAC: 1024 samples a frame, ~43 frames a second.
        self.assertGreaterEqual(count(pkts, "audio"), int(0.9 * 3 * 43))

    def test_video_only(self):
        self.start_publisher(name="video_only.flv")
        pkts, strs = self.record_and_probe(seconds=3)
        self.assertEqual([s["codec_name"] for s in strs], ["h264"])
        self.assertGreaterEqual(count(pkts, "video"), int(0.9 * 3 * 25))

    def test_mp3_audio(self):
        self.start_publisher(name="avc_mp3.flv")
        pkts, strs = self.record_and_probe(seconds=3)
        self.assertEqual(sorted(s["codec_name"] for s in strs), ["h264", "mp3"])
        self.assertGreater(count(pkts, "audio"), 50)

    def test_three_streams_at_once(self):
        for s in ("a", "b", "c"):
            self.start_publisher(stream=s)
        for s in ("a", "b", "c"):
            pkts, _ = self.record_and_probe(stream=s, seconds=2)
            self.assertGreaterEqual(count(pkts, "video"), 40, s)

    def test_rtmpdump_plays(self):
        self.start_publisher()
        out = os.path.join(self.srs.dir, "dump.flv")
        run(["timeout", "20", "rtmpdump", "-q", "-v", "-r", f"{self.base}/s", "-o", out, "-B", "4"],
            timeout=25)
        self.assertTrue(os.path.exists(out))
        pkts = packets(out)
        self.assertGreater(count(pkts, "video"), 50)
        self.assertTrue(monotonic_dts(pkts, "video"))

    def test_second_publisher_of_same_stream_is_rejected(self):
        self.start_publisher()
        second = run(["ffmpeg", "-v", "error", "-re", "-i",
                      os.path.join(os.environ.get("TMPDIR", "/tmp"), "srs-test-media", "avc_aac.flv"),
                      "-t", "3", "-c", "copy", "-f", "flv", f"{self.base}/s"], timeout=20)
        self.assertNotEqual(second.returncode, 0)
        # The first publisher is still the one players get.
        pkts, _ = self.record_and_probe(seconds=2)
        self.assertGreater(count(pkts, "video"), 30)


if __name__ == "__main__":
    unittest.main()
