"""Vhost directives reload on SIGHUP for streams already flowing: the chunk size changes
under a playing client without breaking its stream, and gop_cache off takes effect for
the next player. Also the delivery directives (send_min_interval, mr) in use."""
import signal
import unittest

from harness import ServerTestCase, kill, wait_until
from media import publish
from rtmp_tool import Player, rtmp_conf, frames, is_keyframe, backwards, play


def conf(chunk_size, gop_cache, mw_latency):
    return rtmp_conf(f"""
vhost __defaultVhost__ {{
    chunk_size {chunk_size};
    gop_cache {gop_cache};
    mw_latency {mw_latency};
}}
""")


class Reload(ServerTestCase):
    def test_chunk_size_and_gop_cache_reload_while_playing(self):
        srs = self.server(conf(chunk_size=128, gop_cache="on", mw_latency=350))
        url = f"rtmp://127.0.0.1:{srs.rtmp}/live/s"
        self.addCleanup(kill, publish(url, "long_gop.flv"))
        srs.wait_log("publish start", timeout=15)
        player = Player(url, 30)
        self.addCleanup(player.stop)
        player.wait_for(lambda r: len(frames(player.records)) >= 50, 15, "50 frames")

        with open(srs.conf, "w") as f:
            f.write(conf(chunk_size=4096, gop_cache="off", mw_latency=100).format(
                rtmp=srs.rtmp, dir=srs.dir))
        srs.signal(signal.SIGHUP)
        srs.wait_log("reload: vhost __defaultVhost__ chunk_size applied")
        srs.wait_log("reload: vhost __defaultVhost__ gop_cache applied")
        srs.wait_log("rtmp: chunk_size is 4096")
        before = len(frames(player.records))
        # The player reads on with the new chunk size (a mismatch would break its stream).
        player.wait_for(lambda r: len(frames(player.records)) >= before + 50, 10,
                        "frames after the reload")

        # No GOP cache now: a player joining just after a keyframe (10 s GOP) gets none.
        seen = len(player.records)
        wait_until(lambda: any(is_keyframe(r) for r in player.records[seen:]), 15,
                   what="the next keyframe")
        code, records, err = play(url, 2)
        self.assertEqual(code, 0, err)
        self.assertEqual([r for r in frames(records) if r["key"]], [])
        self.assertGreater(len(frames(records, "audio")), 20)

        player.stop()
        self.assertIsNone(backwards(player.records, "video"))
        self.assertIsNone(srs.proc.poll())

    def test_paced_sending_and_merged_read_deliver_every_frame(self):
        srs = self.server(rtmp_conf("""
vhost __defaultVhost__ {
    send_min_interval 5;
    mr { enabled on; latency 100; }
}
"""))
        url = f"rtmp://127.0.0.1:{srs.rtmp}/live/s"
        self.addCleanup(kill, publish(url))
        srs.wait_log("publish start", timeout=15)
        code, records, err = play(url, 4)
        self.assertEqual(code, 0, err)
        # One message per write with 5 ms between them still keeps up with 25 fps + audio.
        live = [r for r in frames(records) if r["ms"] > 1000]
        self.assertGreaterEqual(len(live), int(0.9 * 3 * 25))
        self.assertIsNone(backwards(records, "video"))


if __name__ == "__main__":
    unittest.main()
