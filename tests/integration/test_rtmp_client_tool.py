"""Our client library (objs/srs_rtmp_client) publishes and plays; ffprobe reads what it
published; timestamps crossing the 32-bit wrap and the 24-bit extended-timestamp boundary
stay monotonic for players."""
import unittest

from harness import ServerTestCase, kill
from media import media, streams
from rtmp_tool import Player, rtmp_conf, frames, is_keyframe, backwards, play, publish

CONF = rtmp_conf("""
vhost __defaultVhost__ {
}
vhost raw {
    time_jitter off;
}
""")


def max_gap(records, kind):
    ts = [r["ts"] for r in frames(records, kind)]
    return max((b - a for a, b in zip(ts, ts[1:])), default=0)


class ClientTool(ServerTestCase):
    def setUp(self):
        self.srs = self.server(CONF)
        self.base = f"rtmp://127.0.0.1:{self.srs.rtmp}/live"

    def test_tool_publishes_and_plays_and_ffprobe_reads_it(self):
        url = f"{self.base}/tool"
        self.addCleanup(kill, publish(url, media("avc_aac.flv"), 20, "--loop"))
        self.srs.wait_log("publish start", timeout=15)
        code, records, err = play(url, 3)
        self.assertEqual(code, 0, err)
        video = frames(records)
        self.assertTrue(video and is_keyframe(video[0]), records[:10])
        self.assertGreaterEqual(len(video), 60)
        self.assertGreater(len(frames(records, "audio")), 60)
        self.assertIsNone(backwards(records, "video"))
        # ffprobe also lists a data stream for |RtmpSampleAccess (sent as 2.0 does).
        codecs = sorted(s["codec_name"] for s in streams(url)
                        if s["codec_type"] in ("audio", "video"))
        self.assertEqual(codecs, ["aac", "h264"])

    def play_across(self, url, offset):
        """A player follows a 7 s publish whose timestamps start at `offset` ms."""
        player = Player(url, 30)
        self.addCleanup(player.stop)
        player.wait_for(lambda r: r.get("event") == "play", 10, "play start")
        pub = publish(url, media("avc_aac.flv"), 7, "--offset", str(offset))
        self.addCleanup(kill, pub)
        self.assertEqual(pub.wait(20), 0, pub.stderr.read().decode())
        self.srs.wait_log("publish stop", timeout=10)
        player.stop()
        return player.records

    def assert_continuous(self, records):
        # 7 s at 25 fps; the player joined before the publisher, so it saw all of it.
        self.assertGreaterEqual(len(frames(records)), int(0.9 * 7 * 25))
        for kind in ("video", "audio"):
            self.assertIsNone(backwards(records, kind))
            # No jump at the wrap: frames stay ~40 ms (video) / ~23 ms (audio) apart.
            self.assertLess(max_gap(records, kind), 1000, kind)

    def test_timestamps_crossing_the_32_bit_wrap_stay_monotonic(self):
        records = self.play_across(f"{self.base}/wrap", 2**32 - 3000)
        self.assert_continuous(records)

    def test_extended_timestamps_pass_through_unchanged(self):
        # time_jitter off: the player gets the publisher's own timestamps, which cross
        # 0xFFFFFF (extended timestamps on both legs).
        url = f"rtmp://127.0.0.1:{self.srs.rtmp}/live?vhost=raw/ext"
        offset = 0xFFFFFF - 3000
        records = self.play_across(url, offset)
        self.assert_continuous(records)
        ts = [r["ts"] for r in frames(records)]
        self.assertLess(ts[0], 0xFFFFFF)
        self.assertGreater(ts[-1], 0xFFFFFF)


if __name__ == "__main__":
    unittest.main()
