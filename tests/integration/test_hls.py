"""Live HLS from RTMP publishers (hls-dvr.md §2): ffmpeg publishes, the test reads the
playlist and segments from hls_path, checks every segment with its own TS checker and with
ffprobe, and drives republish, hls_dispose and a reload of hls_fragment."""
import json
import os
import signal
import time

from harness import ServerTestCase, kill, run, wait_until
from hls_check import check_continuity, check_ts_file, read_playlist
from media import count, packets, publish

FRAGMENT = 2  # seconds; the test media has a 2 s GOP

CONF = """
listen {rtmp};
daemon off;
srs_log_tank console;
srs_log_level trace;
pid {dir}/srs.pid;
vhost __defaultVhost__ {{
    hls {{
        enabled on;
        hls_path {dir}/html;
        hls_fragment FRAGMENT;
        hls_window 6;
        hls_cleanup on;
        hls_dispose DISPOSE;
    }}
}}
"""


def conf(fragment=FRAGMENT, dispose=0):
    return CONF.replace("FRAGMENT", str(fragment)).replace("DISPOSE", str(dispose))


def probe(path):
    r = run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
            timeout=20)
    assert r.returncode == 0, (r.stderr or b"").decode()
    return json.loads(r.stdout)


class Hls(ServerTestCase):
    def start(self, dispose=0):
        self.srs = self.server(conf(dispose=dispose))
        self.html = os.path.join(self.srs.dir, "html")

    def publisher(self, stream="s", name="avc_aac.flv"):
        p = publish(f"rtmp://127.0.0.1:{self.srs.rtmp}/live/{stream}", name)
        self.addCleanup(kill, p)
        return p

    def m3u8(self, stream="s"):
        return os.path.join(self.html, "live", f"{stream}.m3u8")

    def playlist(self, stream="s"):
        return read_playlist(self.m3u8(stream))

    def wait_playlist(self, predicate, what, timeout=30, stream="s"):
        def check():
            pl = self.playlist(stream)
            return pl if pl and predicate(pl) else None
        return wait_until(check, timeout, interval=0.1, what=what)

    def check_segments(self, pl, stream="s", min_count=3):
        """Every listed segment passes the TS checker; consecutive ones continue the CCs."""
        errors, previous, checked = [], None, 0
        for duration, uri, disc in pl.segments:
            path = os.path.join(self.html, "live", uri)
            if not os.path.exists(path):
                # Only a segment that left the window since `pl` was read may be gone.
                now = self.playlist(stream)
                self.assertNotIn(uri, [u for _, u, _ in now.segments], now.text)
                previous = None
                continue
            report, errs = check_ts_file(path)
            checked += 1
            errors += errs
            if previous and not disc:
                errors += check_continuity(previous, report, uri)
            previous = report
        self.assertGreaterEqual(checked, min_count, pl.text)
        self.assertEqual(errors, [], pl.text)

    def test_h264_aac_segments_window_and_cleanup(self):
        self.start()
        self.publisher()
        self.srs.wait_log("publish start", timeout=15)
        started = time.monotonic()
        wait_until(lambda: os.path.exists(self.m3u8()), 3 * FRAGMENT + 1, 0.05, "the m3u8")
        self.assertLessEqual(time.monotonic() - started, 3 * FRAGMENT + 1)
        first = self.playlist()
        self.assertEqual(first.sequence, 0, first.text)
        # The window (6 s) is full after about four segments: the sequence moves on and the
        # segments it dropped are deleted (hls_cleanup).
        pl = self.wait_playlist(lambda p: p.sequence >= 1, "media sequence to advance")
        self.check_segments(pl)
        self.assertGreaterEqual(pl.target, int(FRAGMENT * 1.5))
        # The server lists the new window, then deletes what left it: a reader can come
        # between the two (a preempted server), so wait for the deletion, not assume it.
        def left_window():
            return [seq for seq in range(pl.sequence)
                    if os.path.exists(os.path.join(self.html, "live", f"s-{seq}.ts"))]
        wait_until(lambda: not left_window(), 5, 0.05, "segments out of the window deleted")
        for duration, uri, _ in pl.segments:
            self.assertAlmostEqual(duration, FRAGMENT, delta=0.5, msg=pl.text)
        for _, uri, _ in pl.segments[:3]:
            info = probe(os.path.join(self.html, "live", uri))
            codecs = sorted(s["codec_name"] for s in info["streams"])
            self.assertEqual(codecs, ["aac", "h264"], uri)
            self.assertAlmostEqual(float(info["format"]["duration"]), FRAGMENT, delta=0.5, msg=uri)
        # A graceful quit (SIGTERM) closes the open segment: it is listed, no .tmp is left.
        live = os.path.join(self.html, "live")
        self.assertTrue(any(f.endswith(".ts.tmp") for f in os.listdir(live)))
        before = self.playlist().segments[-1][1]
        self.assertEqual(self.srs.stop(), 0)
        self.assertEqual([f for f in os.listdir(live) if f.endswith(".tmp")], [])
        after = self.playlist().segments[-1][1]
        self.assertGreater(int(after[2:-3]), int(before[2:-3]), self.playlist().text)

    def test_audio_only_and_mp3_streams(self):
        self.start()
        self.publisher("a", "audio_only.flv")
        self.publisher("m", "avc_mp3.flv")
        # Audio only is cut at hls_aof_ratio (2) x hls_fragment.
        pa = self.wait_playlist(lambda p: len(p.segments) >= 2, "audio-only segments", 30, "a")
        self.wait_playlist(lambda p: len(p.segments) >= 3, "mp3 segments", 30, "m")
        pm = self.playlist("m")
        self.check_segments(pa, "a", 2)
        self.check_segments(pm, "m", 3)
        for duration, _, _ in pa.segments:
            self.assertAlmostEqual(duration, 2 * FRAGMENT, delta=0.5, msg=pa.text)
        # The PMT still announces hls_vcodec (h264) for a stream without video (spec §2.5);
        # only audio packets are in it.
        a = os.path.join(self.html, "live", pa.segments[-1][1])
        self.assertIn("aac", [s["codec_name"] for s in probe(a)["streams"]])
        self.assertEqual(count(packets(a), "video"), 0)
        self.assertGreater(count(packets(a), "audio"), 100)
        m = probe(os.path.join(self.html, "live", self.playlist("m").segments[-1][1]))
        self.assertEqual(sorted(s["codec_name"] for s in m["streams"]), ["h264", "mp3"])

    def test_republish_adds_a_discontinuity_and_dispose_removes_files(self):
        self.start(dispose=2)
        p = self.publisher()
        first = self.wait_playlist(lambda pl: len(pl.segments) >= 2, "first publish segments")
        last_uri = first.segments[-1][1]
        kill(p)
        self.srs.wait_log("publish stop", timeout=10)
        second = self.publisher()
        pl = self.wait_playlist(
            lambda pl: pl.discontinuities >= 2 and pl.segments[-1][1] != last_uri,
            "a segment of the second publish")
        self.assertTrue(any(d for _, _, d in pl.segments[1:]), pl.text)
        names = [u for _, u, _ in pl.segments]
        seqs = [int(u[len("s-"):-len(".ts")]) for u in names]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))), pl.text)
        self.check_segments(pl, min_count=3)
        # Stop publishing: after hls_dispose seconds every file of the stream goes.
        kill(second)
        wait_until(lambda: not os.path.exists(self.m3u8()), 10, 0.1, "m3u8 disposed")
        left = [f for f in os.listdir(os.path.join(self.html, "live")) if f.startswith("s")]
        self.assertEqual(left, [])

    def test_on_error_disconnect_drops_the_publisher(self):
        # hls_path below a regular file: no segment can be opened.
        body = conf().replace("hls_path {dir}/html;",
                              "hls_path {dir}/srs.conf/html; hls_on_error disconnect;")
        self.srs = self.server(body)
        p = self.publisher()
        wait_until(lambda: p.poll() is not None, 20, 0.1, "the publisher to be disconnected")
        self.assertIn("kick publisher", self.srs.log())
        self.assertIsNone(self.srs.proc.poll(), "the server must keep running")

    def test_reload_of_hls_fragment_keeps_the_publisher(self):
        self.start()
        p = self.publisher()
        self.wait_playlist(lambda pl: len(pl.segments) >= 1, "a first segment")
        with open(self.srs.conf, "w") as f:
            f.write(conf(fragment=4).format(rtmp=self.srs.rtmp, dir=self.srs.dir))
        self.srs.signal(signal.SIGHUP)
        self.srs.wait_log("hls: reload", timeout=10)
        pl = self.wait_playlist(lambda pl: any(d >= 3.5 for d, _, _ in pl.segments),
                                "a segment of the new fragment", 30)
        self.assertIsNone(p.poll(), "the publisher was dropped")
        self.assertNotIn("publish stop", self.srs.log())
        self.assertGreaterEqual(pl.discontinuities, 2, pl.text)
        self.check_segments(pl, min_count=2)
