"""A real browser plays live HLS: Debian's chromium (headless, via playwright-core) runs
hls.js from a page served from the same directory as the stream (hls_path is the HTTP
static dir), and video.currentTime must advance for at least 10 s with no fatal error.

Set-up: `./configure` installs chromium; the npm packages (tests/browser/package-lock.json)
are installed here with `npm ci` from the registry when missing. Browsers are never
downloaded. Without chromium, node or the packages the test is skipped, saying why.
"""
import json
import os
import shutil
import unittest

from harness import SOURCE_DIR, ServerTestCase, kill, run, wait_until
from hls_check import read_playlist
from media import publish

BROWSER_DIR = os.path.join(SOURCE_DIR, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PLAY_SECONDS = 10

CONF = """
listen {rtmp};
daemon off;
srs_log_tank console;
srs_log_level trace;
pid {dir}/srs.pid;
http_server {{ enabled on; listen {http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    hls {{ enabled on; hls_path {dir}/html; hls_fragment 2; hls_window 10; }}
}}
"""


def browser_ready():
    """None when chromium, node and the npm packages are there, else why not."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (./configure installs the chromium package)"
    if not shutil.which("node") or not shutil.which("npm"):
        return "node/npm are missing"
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        r = run(["npm", "ci", "--no-audit", "--no-fund"], timeout=300, cwd=BROWSER_DIR)
        if r.returncode != 0:
            return f"npm ci failed: {(r.stderr or b'').decode()[-500:]}"
    return None


class HlsInBrowser(ServerTestCase):
    def test_chromium_with_hlsjs_plays_the_live_stream(self):
        why = browser_ready()
        if why:
            self.skipTest(why)
        srs = self.server(CONF)
        html = os.path.join(srs.dir, "html")
        os.makedirs(html, exist_ok=True)
        shutil.copy(os.path.join(BROWSER_DIR, "hls_player.html"), html)
        shutil.copy(os.path.join(BROWSER_DIR, "node_modules", "hls.js", "dist", "hls.min.js"),
                    html)
        p = publish(f"rtmp://127.0.0.1:{srs.rtmp}/live/s")
        self.addCleanup(kill, p)
        m3u8 = os.path.join(html, "live", "s.m3u8")
        wait_until(lambda: (pl := read_playlist(m3u8)) and len(pl.segments) >= 2, 30, 0.1,
                   "two HLS segments")

        # srs's own HTTP server (http_server.dir is hls_path): same origin for all.
        page = f"http://127.0.0.1:{srs.http}/hls_player.html?src=/live/s.m3u8"
        r = run(["node", os.path.join(BROWSER_DIR, "play.js"), page, str(PLAY_SECONDS), "40"],
                timeout=70, cwd=BROWSER_DIR)
        out = (r.stdout or b"").decode().strip().splitlines()
        self.assertTrue(out, f"no report from the browser: {(r.stderr or b'').decode()[-2000:]}")
        result = json.loads(out[-1])
        self.assertNotIn("crash", result, result)
        self.assertIsNone(result["fatal"], result)
        self.assertTrue(result["manifest"], result)
        self.assertIsNotNone(result["start"], f"video never started: {result}")
        self.assertGreaterEqual(result["end"] - result["start"], PLAY_SECONDS, result)
        print(f"browser: {result}")


if __name__ == "__main__":
    unittest.main()
