"""The HTTP server with real clients: static files (types, HEAD, Range, FLV ?start=), the
API and server listeners (separate and shared), and live remux: HTTP-FLV parsed tag by
tag, ffprobe on the FLV/TS/AAC/MP3 mounts (the mount follows reload), hstrs, and the end
of the response when the publisher leaves."""
import os
import shutil
import signal
import subprocess
import unittest

from harness import ServerTestCase, kill, run, spawn, wait_until
from httpflv import parse_flv, read_live
from media import count, media, monotonic_dts, packets, publish, streams

CONF = """
listen 127.0.0.1:{rtmp};
max_connections 1000;
daemon off;
srs_log_tank console;
pid {dir}/srs.pid;
http_api {{ enabled on; listen 127.0.0.1:{api}; }}
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].MOUNT_EXT; }}
}}
vhost v.test {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
"""


def conf(ext="flv"):
    return CONF.replace("MOUNT_EXT", ext)


def curl(*args, timeout=15):
    return run(["curl", "-s", "--max-time", str(timeout - 5), *args], timeout=timeout)


def headers_of(text):
    out = {}
    for line in text.splitlines()[1:]:
        k, _, v = line.partition(":")
        if v:
            out[k.strip().lower()] = v.strip()
    return out


class StaticFiles(ServerTestCase):
    def setUp(self):
        self.srs = self.server(conf(), start=False)
        html = os.path.join(self.srs.dir, "html")
        os.makedirs(os.path.join(html, "live"))
        os.makedirs(os.path.join(html, "console"))
        self.files = {
            "index.html": b"<h1>srs</h1>", "live/a.m3u8": b"#EXTM3U\n", "live/a-1.ts": bytes(188 * 4),
            "app.js": b"var a;", "site.css": b"p{}", "v.mp4": bytes(range(256)) * 4,
            "console/index.html": b"console",
        }
        for name, data in self.files.items():
            with open(os.path.join(html, name), "wb") as f:
                f.write(data)
        shutil.copy(media("avc_aac.flv"), os.path.join(html, "vod.flv"))
        self.srs.start()
        self.base = f"http://127.0.0.1:{self.srs.http}"

    def get(self, path, *extra):
        hdr = os.path.join(self.srs.dir, "h.txt")
        body = os.path.join(self.srs.dir, "b.bin")
        r = curl("-D", hdr, "-o", body, *extra, self.base + path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(hdr) as f:
            head = f.read()
        with open(body, "rb") as f:
            data = f.read()
        return int(head.split()[1]), headers_of(head), data

    def test_types_and_bodies(self):
        want = {"/index.html": "text/html", "/live/a.m3u8": "application/vnd.apple.mpegurl",
                "/live/a-1.ts": "video/MP2T", "/app.js": "text/javascript",
                "/site.css": "text/css", "/v.mp4": "video/mp4", "/vod.flv": "video/x-flv"}
        for path, ctype in want.items():
            status, h, data = self.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(h["content-type"], ctype, path)
            self.assertEqual(int(h["content-length"]), len(data), path)
            self.assertTrue(h["server"].startswith("SRS/"), path)
        status, _, data = self.get("/")
        self.assertEqual((status, data), (200, b"<h1>srs</h1>"))
        status, h, data = self.get("/missing.html")
        self.assertEqual((status, data), (404, b"Not Found"))

    def test_head_has_the_get_headers_and_no_body(self):
        status, h, data = self.get("/v.mp4", "-I")  # curl -I writes the header as the output
        self.assertEqual(status, 200)
        self.assertEqual(int(h["content-length"]), 1024)
        self.assertTrue(data.endswith(b"\r\n\r\n"))
        self.assertEqual(data.count(b"\r\n\r\n"), 1)
        self.assertNotIn(b"\x00", data)  # no byte of the file

    def test_range(self):
        status, h, data = self.get("/v.mp4", "-r", "10-19")
        self.assertEqual(status, 206)
        self.assertEqual(h["content-range"], "bytes 10-19/1024")
        self.assertEqual(data, self.files["v.mp4"][10:20])

    def test_flv_start_serves_a_playable_tail(self):
        size = os.path.getsize(media("avc_aac.flv"))
        status, h, data = self.get(f"/vod.flv?start={size // 2}")
        self.assertEqual(status, 200)
        self.assertEqual(data[:3], b"FLV")
        self.assertLess(len(data), size)
        self.assertGreater(len(data), size // 2)

    def test_console_is_served_by_the_api_listener(self):
        r = curl(f"http://127.0.0.1:{self.srs.api}/console/index.html")
        self.assertEqual(r.stdout, b"console")


class SharedPort(ServerTestCase):
    def test_one_port_serves_files_and_the_api_routes(self):
        body = conf().replace("listen 127.0.0.1:{api}", "listen 127.0.0.1:{http}")
        srs = self.server(body, start=False)
        os.makedirs(os.path.join(srs.dir, "html", "console"))
        for name, data in (("index.html", b"home"), ("console/index.html", b"console")):
            with open(os.path.join(srs.dir, "html", name), "wb") as f:
                f.write(data)
        srs.start()
        base = f"http://127.0.0.1:{srs.http}"
        self.assertEqual(curl(base + "/index.html").stdout, b"home")
        self.assertEqual(curl(base + "/console/index.html").stdout, b"console")
        self.assertNotIn("bind", srs.log())


class LiveRemux(ServerTestCase):
    def setUp(self):
        self.srs = self.server(conf())
        self.rtmp = f"rtmp://127.0.0.1:{self.srs.rtmp}/live"
        self.http = f"http://127.0.0.1:{self.srs.http}/live"

    def publish(self, stream="s", name="avc_aac.flv"):
        p = publish(f"{self.rtmp}/{stream}", name)
        self.addCleanup(kill, p)
        self.srs.wait_log(f"publish start, stream=/live/{stream},", timeout=15)
        return p

    def reload_mount(self, ext):
        with open(self.srs.conf, "w") as f:
            f.write(conf(ext).format(rtmp=self.srs.rtmp, api=self.srs.api, http=self.srs.http,
                                     dir=self.srs.dir))
        self.srs.signal(signal.SIGHUP)
        self.srs.wait_log(f"mount /[app]/[stream].{ext}")

    def record(self, url, fmt, out, seconds=4):
        r = run(["ffmpeg", "-y", "-v", "error", "-rw_timeout", "15000000", "-i", url, "-t",
                 str(seconds), "-c", "copy", "-f", fmt, out], timeout=seconds + 25)
        self.assertEqual(r.returncode, 0, (r.stderr or b"").decode())
        return packets(out), sorted(s["codec_name"] for s in streams(out))

    def test_http_flv_parses_tag_by_tag(self):
        self.publish()
        r = read_live(self.srs.http, "/live/s.flv", 400_000)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-type"], "video/x-flv")
        self.assertEqual(r.headers["transfer-encoding"], "chunked")
        self.assertNotIn("content-length", r.headers)
        flags, tags = parse_flv(r.body)
        self.assertEqual(flags, 0x05)
        self.assertGreater(len(tags), 50)
        self.assertEqual(tags[0].kind, 18)
        self.assertIn(b"onMetaData", tags[0].data)
        first_frame = next(i for i, t in enumerate(tags) if t.kind in (8, 9) and
                           not (t.is_video_sh() or t.is_audio_sh()))
        heads = tags[:first_frame]
        self.assertTrue(any(t.is_video_sh() for t in heads), "video sequence header first")
        self.assertTrue(any(t.is_audio_sh() for t in heads), "audio sequence header first")
        first_video = next(t for t in tags[first_frame:] if t.kind == 9)
        self.assertTrue(first_video.is_keyframe(), "the GOP cache starts at a keyframe")
        for kind in (8, 9):
            ts = [t.timestamp for t in tags if t.kind == kind]
            self.assertEqual(ts, sorted(ts), f"type {kind} timestamps go back")

    def test_ffprobe_reads_flv_ts_aac_mp3_mounts_as_they_follow_reload(self):
        self.publish()
        self.publish("m", "avc_mp3.flv")
        out = os.path.join(self.srs.dir, "o")
        pkts, codecs = self.record(f"{self.http}/s.flv", "flv", out + ".flv")
        self.assertEqual(codecs, ["aac", "h264"])
        self.assertGreater(count(pkts, "video"), 50)
        self.assertTrue(monotonic_dts(pkts, "video") and monotonic_dts(pkts, "audio"))

        self.reload_mount("ts")
        pkts, codecs = self.record(f"{self.http}/s.ts", "mpegts", out + ".ts")
        self.assertEqual(codecs, ["aac", "h264"])
        self.assertGreater(count(pkts, "video"), 50)
        self.assertTrue(monotonic_dts(pkts, "video") and monotonic_dts(pkts, "audio"))
        self.assertEqual(curl(f"{self.http}/s.flv").stdout, b"Not Found")  # old mount gone

        self.reload_mount("aac")
        pkts, codecs = self.record(f"{self.http}/s.aac", "adts", out + ".aac")
        self.assertEqual(codecs, ["aac"])
        self.assertGreater(count(pkts, "audio"), 80)
        self.assertTrue(monotonic_dts(pkts, "audio"))

        self.reload_mount("mp3")
        pkts, codecs = self.record(f"{self.http}/m.mp3", "mp3", out + ".mp3")
        self.assertEqual(codecs, ["mp3"])
        self.assertGreater(count(pkts, "audio"), 80)
        self.assertTrue(monotonic_dts(pkts, "audio"))

    def test_an_audio_only_stream_over_ts(self):
        self.reload_mount("ts")
        self.publish("a", "audio_only.flv")
        self.srs.wait_log("got metadata")
        pkts, codecs = self.record(f"{self.http}/a.ts", "mpegts",
                                   os.path.join(self.srs.dir, "a.ts"), seconds=3)
        self.assertEqual(codecs, ["aac"])
        self.assertGreater(count(pkts, "audio"), 80)
        self.assertTrue(monotonic_dts(pkts, "audio"))

    def test_a_named_vhost_is_chosen_by_host_or_query(self):
        p = publish(f"rtmp://127.0.0.1:{self.srs.rtmp}/live?vhost=v.test/s")
        self.addCleanup(kill, p)
        self.srs.wait_log("publish start, stream=v.test/live/s,", timeout=15)
        for path, host in (("/live/s.flv", "v.test"), ("/live/s.flv?vhost=v.test", "127.0.0.1")):
            r = read_live(self.srs.http, path, 50_000, host=host)
            self.assertEqual(r.status, 200, (path, host))
            _, tags = parse_flv(r.body)
            self.assertTrue(any(t.is_video_sh() for t in tags), (path, host))
        # The default vhost's /live/s is another stream, not published: held open, no data.
        r = read_live(self.srs.http, "/live/s.flv", 1, timeout=2)
        self.assertEqual((r.status, r.body), (200, b""))

    def test_a_player_before_the_publish_waits_for_it(self):
        publishers = []

        def start_publisher(response):
            self.assertEqual(response.status, 200)  # answered at once, then held open
            publishers.append(publish(f"{self.rtmp}/late"))

        r = read_live(self.srs.http, "/live/late.flv", 100_000, timeout=30,
                      on_headers=start_publisher)
        for p in publishers:
            kill(p)
        self.assertEqual(len(publishers), 1)
        _, tags = parse_flv(r.body)
        self.assertTrue(any(t.is_video_sh() for t in tags))
        self.assertGreaterEqual(len(r.body), 100_000)

    def test_the_response_ends_when_the_publisher_leaves(self):
        p = self.publish("gone")
        out = os.path.join(self.srs.dir, "gone.flv")
        player = subprocess.Popen(["curl", "-s", "--max-time", "40", "-o", out,
                                   f"{self.http}/gone.flv"])
        self.addCleanup(kill, player)
        wait_until(lambda: os.path.exists(out) and os.path.getsize(out) > 50_000, 20,
                   what="the player getting data")
        kill(p)
        self.assertEqual(player.wait(timeout=20), 0)  # curl saw the chunked body end
        with open(out, "rb") as f:
            _, tags = parse_flv(f.read())
        self.assertGreater(len(tags), 10)

    def test_the_response_ends_when_the_publisher_finishes(self):
        # ffmpeg ends its file with a clean unpublish right after the last frames: the
        # player may still hold some when told, and must send them, then end the body.
        p = publish(f"{self.rtmp}/done", loop=False)
        self.addCleanup(kill, p)
        self.srs.wait_log("publish start, stream=/live/done,", timeout=15)
        out = os.path.join(self.srs.dir, "done.flv")
        player = subprocess.Popen(["curl", "-s", "--max-time", "90", "-o", out,
                                   f"{self.http}/done.flv"])
        self.addCleanup(kill, player)
        self.assertEqual(p.wait(timeout=60), 0)
        self.assertEqual(player.wait(timeout=20), 0)  # curl saw the chunked body end
        with open(out, "rb") as f:
            _, tags = parse_flv(f.read())
        self.assertGreater(len(tags), 10)

    def test_a_player_waiting_for_a_publish_is_let_go_when_it_leaves(self):
        # Nothing is written to it (the stream is not published), so only the socket tells.
        player = subprocess.Popen(["curl", "-s", "-o", os.devnull, f"{self.http}/later.flv"])
        self.addCleanup(kill, player)
        self.srs.wait_log("http: play start, stream=/live/later,", timeout=15)
        kill(player)
        self.srs.wait_log("http: play stop, stream=/live/later,", timeout=15)


if __name__ == "__main__":
    unittest.main()
