"""RTMP origin behaviour seen by our own client tool: GOP cache for late joiners, republish
continuing a player, pause/resume. ffmpeg publishes (a real encoder)."""
import unittest

from harness import ServerTestCase, kill, run, wait_until
from media import media, publish
from rtmp_tool import (Player, backwards, close_wait, frames, is_keyframe, media_records, play,
                       rtmp_conf)



def conf(gop_cache):
    return rtmp_conf(f"vhost __defaultVhost__ {{ gop_cache {gop_cache}; }}\n")


class GopCache(ServerTestCase):
    """A 10 s GOP: without the cache a late joiner waits up to 10 s for a picture."""

    def start(self, gop_cache):
        self.srs = self.server(conf(gop_cache))
        self.url = f"rtmp://127.0.0.1:{self.srs.rtmp}/live/gop"
        self.addCleanup(kill, publish(self.url, "long_gop.flv"))
        # The publisher is established once a player receives its audio.
        watcher = Player(self.url, 40)
        self.addCleanup(watcher.stop)
        watcher.wait_for(lambda r: r.get("type") == "audio" and not r["sh"], 20, "audio")
        return watcher

    def test_late_joiner_starts_at_a_cached_keyframe_within_a_second(self):
        self.start("on")
        code, records, err = play(self.url, 3)
        self.assertEqual(code, 0, err)
        video = frames(records)
        self.assertTrue(video, records[:20])
        self.assertTrue(is_keyframe(video[0]), video[0])
        self.assertLessEqual(video[0]["ms"], 1000)
        # Sequence headers come before the first frame.
        first = records.index(video[0])
        self.assertTrue(any(r.get("type") == "video" and r["sh"] for r in records[:first]))

    def test_without_cache_a_late_joiner_gets_no_picture_until_the_next_keyframe(self):
        watcher = self.start("off")
        # Join right after a keyframe went by: the next one is ~10 s away.
        watcher.wait_for(is_keyframe, 15, "a keyframe")
        code, records, err = play(self.url, 2)
        self.assertEqual(code, 0, err)
        # As in 2.0, the live inter frames flow at once, but nothing a decoder can start
        # from: no keyframe within the 2 s.
        self.assertEqual([r for r in frames(records) if r["key"]], [])
        self.assertGreater(len(frames(records)), 20)
        # It did play: audio and the cached sequence headers arrived.
        self.assertGreater(len(frames(records, "audio")), 20)
        self.assertTrue(any(r["sh"] for r in media_records(records, "video")))


class PlayerSession(ServerTestCase):
    def setUp(self):
        self.srs = self.server()
        self.url = f"rtmp://127.0.0.1:{self.srs.rtmp}/live/s"

    def publish_for(self, seconds):
        """ffmpeg publishes `seconds` of media, then unpublishes and exits."""
        r = run(["ffmpeg", "-v", "error", "-re", "-i", media("avc_aac.flv"), "-t", str(seconds),
                 "-c", "copy", "-f", "flv", self.url], timeout=seconds + 20)
        self.assertEqual(r.returncode, 0, (r.stderr or b"").decode())

    def test_republish_continues_the_same_player(self):
        player = Player(self.url, 40)
        self.addCleanup(player.stop)
        player.wait_for(lambda r: r.get("event") == "play", 10, "play start")
        self.publish_for(3)
        wait_until(lambda: self.srs.log().count("publish stop") >= 1, 10, what="unpublish")
        first = len(frames(player.records))
        self.publish_for(3)
        # The player sees the second publish: its sequence header, then frames.
        player.wait_for(lambda r: len(frames(player.records)) >= first + 50, 10,
                        what="frames from the second publish")
        player.stop()
        records = player.records
        self.assertGreaterEqual(first, 50)
        headers = [r for r in media_records(records, "video") if r["sh"]]
        self.assertGreaterEqual(len(headers), 2)
        self.assertIsNone(backwards(records, "video"))
        self.assertIsNone(backwards(records, "audio"))

    def test_a_player_that_leaves_is_closed_at_once(self):
        self.addCleanup(kill, publish(self.url))
        self.srs.wait_log("publish start", timeout=15)
        code, records, err = play(self.url, 1)
        self.assertEqual(code, 0, err)
        self.assertTrue(frames(records))
        # Not left half-open until the 30 s identification timeout.
        wait_until(lambda: close_wait(self.srs.rtmp) == 0, 5, what="the server to close")

    def test_pause_stops_media_and_unpause_resumes_it(self):
        self.addCleanup(kill, publish(self.url))
        self.srs.wait_log("publish start", timeout=15)
        code, records, err = play(self.url, 7, "--pause-at", "2000", "--resume-at", "4500")
        self.assertEqual(code, 0, err)
        codes = [r.get("code") for r in records]
        self.assertIn("NetStream.Pause.Notify", codes)
        self.assertIn("NetStream.Unpause.Notify", codes)
        paused = codes.index("NetStream.Pause.Notify")
        resumed = codes.index("NetStream.Unpause.Notify")
        self.assertGreater(len(media_records(records[:paused])), 50)
        # Between the server's two answers nothing may arrive (TCP keeps the order).
        self.assertEqual(media_records(records[paused:resumed]), [])
        self.assertGreater(len(frames(records[resumed:])), 25)


if __name__ == "__main__":
    unittest.main()
