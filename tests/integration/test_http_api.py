"""The HTTP API with real clients: curl every endpoint; ffmpeg publishes H.264 + AAC and
plays it back, and the API reports the stream's codecs, rates and clients; a DELETE kicks
the player off."""
import json
import subprocess
import unittest

from harness import ServerTestCase, kill, port_open, run, spawn, wait_until
from media import publish


def curl(url, *args, timeout=5):
    """(status, headers dict with lower-case names, body text) of one curl request."""
    r = run(["curl", "-s", "-i", "--max-time", str(timeout), *args, url], timeout=timeout + 5)
    raw = (r.stdout or b"").decode(errors="replace")
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class HttpApi(ServerTestCase):
    def setUp(self):
        self.srs = self.server()
        wait_until(lambda: port_open(self.srs.api), 10, what="api port")
        self.api = f"http://127.0.0.1:{self.srs.api}"
        self.rtmp = f"rtmp://127.0.0.1:{self.srs.rtmp}/live/s"

    def get(self, path, *args):
        status, headers, body = curl(self.api + path, *args)
        self.assertEqual(status, 200, f"{path}: {body}")
        self.assertEqual(headers.get("content-type"), "application/json", path)
        return json.loads(body)

    def test_every_endpoint_answers_its_shape(self):
        pid = self.srs.proc.pid
        self.assertEqual(self.get("/api/")["server"], pid)
        index = self.get("/api/v1/")
        self.assertEqual(index["code"], 0)
        self.assertEqual(self.get("/api/v1/reload"), index)  # unknown: the index
        data_keys = {
            "versions": "version", "rusages": "ru_maxrss", "self_proc_stats": "comm",
            "system_proc_stats": "idle", "meminfos": "MemTotal", "authors": "license",
            "features": "hls", "tests/requests": "headers",
        }
        for path, key in data_keys.items():
            j = self.get(f"/api/v1/{path}")
            self.assertEqual((j["code"], j["server"]), (0, pid), path)
            self.assertIn(key, j["data"], path)
        self.assertEqual(self.get("/api/v1/self_proc_stats")["data"]["pid"], pid)
        summary = wait_until(lambda: (lambda j: j if j["data"]["ok"] else None)(
            self.get("/api/v1/summaries")), 5, what="summaries sampled")
        self.assertNotIn("server", summary)
        self.assertEqual(summary["data"]["self"]["pid"], pid)
        self.assertGreater(summary["data"]["system"]["mem_ram_kbyte"], 0)
        self.assertEqual(self.get("/api/v1/tests/errors"), {"code": 100})
        self.assertEqual(self.get("/api/v1/vhosts/")["vhosts"], [])
        self.assertEqual(self.get("/api/v1/streams/")["streams"], [])
        self.assertEqual(self.get("/api/v1/clients/")["clients"], [])
        self.assertEqual(self.get("/api/v1/streams/123"), {"code": 2048})
        self.assertEqual(self.get("/api/v1/clients/123"), {"code": 2049})

        status, headers, body = curl(self.api + "/api/v1/streams?x=1")
        self.assertEqual((status, headers.get("location")), (302, "/api/v1/streams/?x=1"))
        status, headers, _ = curl(self.api + "/api/v1/tests/redirects")
        self.assertEqual((status, headers.get("location")), (301, "/api/v1/tests/errors"))
        status, headers, body = curl(self.api + "/")
        self.assertEqual((status, body), (404, "Not Found"))
        status, headers, body = curl(self.api + "/api/v1/versions?callback=cb")
        self.assertEqual(headers.get("content-type"), "text/javascript")
        self.assertTrue(body.startswith('cb({"code":0') and body.endswith("})"), body)
        status, headers, body = curl(self.api + "/api/v1/versions", "-X", "OPTIONS")
        self.assertEqual((status, body), (200, ""))
        self.assertEqual(headers.get("access-control-allow-origin"), "*")
        status, _, _ = curl(self.api + "/api/v1/clients/", "-X", "PUT")
        self.assertEqual(status, 405)

    def stream_when(self, predicate, what, timeout=20):
        def probe():
            streams = self.get("/api/v1/streams/")["streams"]
            return streams[0] if streams and predicate(streams[0]) else None
        return wait_until(probe, timeout, interval=0.2, what=what)

    def test_live_stream_clients_and_kick(self):
        pub = publish(self.rtmp)
        self.addCleanup(kill, pub)
        s = self.stream_when(lambda s: s["video"] and s["audio"] and s["kbps"]["recv_30s"] > 0,
                             "codecs and a receive rate")
        self.assertEqual(s["name"], "s")
        self.assertEqual(s["app"], "live")
        self.assertTrue(s["publish"]["active"])
        self.assertEqual(s["video"]["codec"], "H264")
        self.assertIn(s["video"]["profile"], ("High", "Main", "Baseline", "Baseline(Constrained)"))
        self.assertRegex(s["video"]["level"], r"^\d(\.\d)?$")
        self.assertEqual((s["video"]["width"], s["video"]["height"]), (320, 180))  # media.py
        self.assertEqual(s["audio"]["codec"], "AAC")
        self.assertEqual(s["audio"]["sample_rate"], 44100)
        self.assertEqual(s["audio"]["profile"], "LC")
        self.assertIn(s["audio"]["channel"], (1, 2))
        self.assertGreater(s["frames"], 0)
        vhost = self.get(f"/api/v1/vhosts/{s['vhost']}")["vhost"]
        self.assertEqual((vhost["name"], vhost["streams"]), ("__defaultVhost__", 1))
        self.assertEqual(self.get(f"/api/v1/clients/{s['publish']['cid']}")["client"]["type"],
                         "fmle-publish")

        player = spawn(["ffmpeg", "-v", "error", "-rw_timeout", "15000000", "-i", self.rtmp,
                        "-t", "40", "-f", "null", "-"])
        self.addCleanup(kill, player)
        s = self.stream_when(lambda s: s["clients"] == 2 and s["kbps"]["send_30s"] > 0,
                             "a player counted and a send rate")
        clients = self.get("/api/v1/clients/")["clients"]
        players = [c for c in clients if c["type"] == "Play"]
        self.assertEqual(len(players), 1)
        self.assertEqual(players[0]["stream"], s["id"])
        self.assertFalse(players[0]["publish"])

        status, _, body = curl(f"{self.api}/api/v1/clients/{players[0]['id']}", "-X", "DELETE")
        self.assertEqual((status, json.loads(body)), (200, {"code": 0}))
        wait_until(lambda: player.poll() is not None, 15, what="the kicked player to exit")
        wait_until(lambda: all(c["type"] != "Play" for c in self.get("/api/v1/clients/")["clients"]),
                   5, what="the player's entry gone")
        self.assertIsNone(pub.poll(), "the publisher must stay")
        self.assertEqual(self.get(f"/api/v1/clients/{players[0]['id']}"), {"code": 2049})


if __name__ == "__main__":
    unittest.main()
