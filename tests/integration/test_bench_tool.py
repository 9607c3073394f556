"""objs/srs_bench against our server: each mode runs briefly and its summary must be sane
(everyone connected, nothing failed, bytes flowed, frames measured). Reports only: no
timing is asserted. HTTP-FLV players run against a tiny local FLV source (a Python server
that sends a file with chunked encoding and keeps the connection open, like a live stream)."""
import http.server
import os
import socketserver
import subprocess
import threading
import time
import unittest

from harness import TOOLS_DIR, ServerTestCase, kill, run, spawn
from media import media
from test_http_server import conf as http_conf

BENCH = os.path.join(TOOLS_DIR, "srs_bench")


def summary(output, mode):
    """The key=value pairs of the SUMMARY line of `mode`."""
    for line in output.decode(errors="replace").splitlines():
        if line.startswith("SUMMARY ") and f"mode={mode} " in line + " ":
            return dict(kv.split("=", 1) for kv in line.split()[1:])
    raise AssertionError(f"no SUMMARY for {mode} in:\n{output.decode(errors='replace')}")


def bench(*args, seconds):
    r = run([BENCH, *args, "-d", str(seconds)], timeout=seconds + 30)
    if r.returncode != 0:
        raise AssertionError(
            f"srs_bench {args} exited {r.returncode}: {r.stdout!r} {r.stderr!r}")
    return r.stdout


class BenchTool(ServerTestCase):
    def setUp(self):
        self.srs = self.server()
        self.base = f"rtmp://127.0.0.1:{self.srs.rtmp}/live"
        self.flv = media("avc_aac.flv")

    def test_publish_mode(self):
        s = summary(bench("publish", "-u", f"{self.base}/p", "-n", "3", "-r", "10",
                          "-i", self.flv, seconds=4), "publish")
        self.assertEqual(s["connected"], "3")
        self.assertEqual(s["failed"], "0")
        self.assertGreater(float(s["kbps"]), 0)

    def test_play_mode(self):
        p = spawn([BENCH, "publish", "-u", f"{self.base}/s", "-n", "1", "-i", self.flv,
                   "-d", "20"])
        self.addCleanup(kill, p)
        self.srs.wait_log("publish start", timeout=15)
        s = summary(bench("play", "-u", f"{self.base}/s", "-n", "50", "-r", "100",
                          seconds=4), "play")
        self.assertEqual(s["connected"], "50")
        self.assertEqual(s["failed"], "0")
        self.assertGreater(float(s["kbps"]), 0)
        self.assertEqual(s["startup_samples"], "50")  # every player saw a keyframe
        self.assertEqual(s["ts_regressions"], "0")

    def test_many_players_served_by_write_groups_lose_nothing(self):
        # 300 players: past the 256 from which the source writes to its players in groups
        # at ticks, by direct sends. Every player decodes the chunk stream (our client
        # library), sees a keyframe and rising timestamps; the probes' frames all arrive.
        self.players_lose_nothing(self.srs, "play", f"{self.base}/g", [])

    def test_many_flv_players_served_by_write_groups_lose_nothing(self):
        # The same through HTTP-FLV: the direct sends write chunked FLV bodies; the probes
        # play the HTTP-FLV stream too.
        srs = self.server(http_conf())
        flv = f"http://127.0.0.1:{srs.http}/live/g.flv"
        self.players_lose_nothing(srs, "flv", flv, ["--flv-url", flv])

    def players_lose_nothing(self, srs, mode, play_url, probe_args):
        """300 `mode` players of `play_url` while three latency probes (publishing
        /live/g, joining after 3 s) measure it: all decode, none misses a frame."""
        lat = subprocess.Popen([BENCH, "latency", "-u", f"rtmp://127.0.0.1:{srs.rtmp}/live/g",
                                *probe_args, "-i", self.flv, "-n", "3", "--join-after", "3",
                                "-d", "9"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.addCleanup(kill, lat)
        srs.wait_log("publish start", timeout=15)
        s = summary(bench(mode, "-u", play_url, "-n", "300", "-r", "1000", seconds=6), mode)
        self.assertEqual(s["connected"], "300")
        self.assertEqual(s["failed"], "0")
        self.assertEqual(s["startup_samples"], "300")
        self.assertEqual(s["ts_regressions"], "0")
        out, _ = lat.communicate(timeout=30)
        probe = summary(out, "latency")
        self.assertGreater(int(probe["received"]), 3 * 50)
        self.assertEqual(probe["missing"], "0")
        self.assertEqual(probe["unmatched"], "0")

    def test_play_of_a_missing_server_fails_with_a_reason(self):
        out = bench("play", "-u", "rtmp://127.0.0.1:1/live/s", "-n", "2", "-r", "100",
                    seconds=1)
        s = summary(out, "play")
        self.assertEqual(s["failed"], "2")
        self.assertIn(b"failure x2", out)

    def test_latency_mode(self):
        out = bench("latency", "-u", f"{self.base}/lat", "-i", self.flv, seconds=5)
        s = summary(out, "latency")
        self.assertGreater(int(s["received"]), 50)  # 25 fps for ~5 s
        self.assertEqual(s["unmatched"], "0")

    def test_latency_probes_joining_a_running_stream(self):
        # Three players join 2 s after the publisher: primed with the GOP cache, whose
        # frames are matched but neither sampled nor counted as lost.
        out = bench("latency", "-u", f"{self.base}/late", "-i", self.flv, "-n", "3",
                    "--join-after", "2", seconds=5)
        s = summary(out, "latency")
        self.assertGreater(int(s["received"]), 3 * 50)
        self.assertEqual(s["missing"], "0")
        self.assertEqual(s["unmatched"], "0")
        self.assertLess(float(s["delay_max_ms"]), 1000)  # no cached frame is a sample


class FlvSource(http.server.BaseHTTPRequestHandler):
    """Sends the FLV file chunked, then holds the connection like a live stream would."""
    protocol_version = "HTTP/1.1"
    path_to_file = None

    def do_GET(self):
        with open(self.path_to_file, "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "video/x-flv")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for i in range(0, len(data), 65536):
                piece = data[i:i + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            # Live: no end. The client closes; bounded in case it never does.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.rfile.read(1):
                pass
        except OSError:
            pass

    def log_message(self, *args):
        pass


class BenchFlv(unittest.TestCase):
    def test_flv_mode_against_a_local_source(self):
        FlvSource.path_to_file = media("avc_aac.flv")
        httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FlvSource)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.addCleanup(httpd.server_close)
        self.addCleanup(httpd.shutdown)
        port = httpd.server_address[1]
        s = summary(bench("flv", "-u", f"http://127.0.0.1:{port}/live/s.flv", "-n", "3",
                          "-r", "100", seconds=2), "flv")
        self.assertEqual(s["connected"], "3")
        self.assertEqual(s["failed"], "0")
        self.assertGreater(float(s["kbps"]), 0)
        self.assertEqual(s["startup_samples"], "3")


if __name__ == "__main__":
    unittest.main()
