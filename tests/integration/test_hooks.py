"""HTTP callbacks, security and refer with real clients (http-hooks.md, config.md §4.4-4.5).

A hook receiver in this process (a threaded HTTP server on port 0) records every body and
answers per action as each test says. ffmpeg publishes and plays; pageUrl is set with
-rtmp_pageurl. Kick-off through the HTTP API is not on this branch: killing the publisher
stands in for it (the server sees the same disconnect and fires the same hooks).
"""
import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import SOURCE_DIR, ServerTestCase, free_port, kill, run, spawn, wait_until
from media import count, packets, publish

ALL_EVENTS = ("on_connect", "on_close", "on_publish", "on_unpublish", "on_play", "on_stop")
FIELDS = {
    "on_connect": ["action", "client_id", "ip", "vhost", "app", "tcUrl", "pageUrl"],
    "on_close": ["action", "client_id", "ip", "vhost", "send_bytes", "recv_bytes", "app"],
    "on_publish": ["action", "client_id", "ip", "vhost", "app", "tcUrl", "stream", "param"],
    "on_unpublish": ["action", "client_id", "ip", "vhost", "app", "stream", "param"],
    "on_play": ["action", "client_id", "ip", "vhost", "app", "stream", "param", "pageUrl"],
    "on_stop": ["action", "client_id", "ip", "vhost", "app", "stream", "param"],
    "on_hls": ["action", "client_id", "ip", "vhost", "app", "stream", "param", "duration", "cwd",
               "file", "url", "m3u8", "m3u8_url", "seq_no"],
}


class HookReceiver:
    """Records (path, body as parsed JSON, in key order) of each call. `answers` maps an
    action to (status, body), or to "close" (the request is read, then the connection is
    closed with no answer at all); anything unlisted gets 200 `0`."""

    def __init__(self):
        self.events = []
        self.gets = []
        self.answers = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                event = json.loads(raw)
                with receiver.lock:
                    receiver.events.append((self.path, event))
                    answer = receiver.answers.get(event.get("action"), (200, "0"))
                if answer == "close":
                    self.close_connection = True
                    return
                status, text = answer
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                if text:
                    self.wfile.write(text.encode())

            def do_GET(self):  # on_hls_notify: the answer is ignored
                with receiver.lock:
                    receiver.gets.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def of(self, action, **match):
        with self.lock:
            return [e for _, e in self.events
                    if e["action"] == action and all(e.get(k) == v for k, v in match.items())]

    def wait(self, action, n=1, timeout=15, **match):
        return wait_until(lambda: len(self.of(action, **match)) >= n and self.of(action, **match),
                          timeout, what=f"{n} {action} {match}")

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def hooks_block(receiver, enabled="on", events=ALL_EVENTS, url=None):
    lines = [f"enabled {enabled};"]
    for e in events:
        lines.append(f"{e} {url or receiver.url('/api/v1/' + e)};")
    return "http_hooks { " + " ".join(lines) + " }"


HTTP_SERVER = "http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}\n"
HTTP_API = "http_api {{ enabled on; listen 127.0.0.1:{api}; }}\n"


def conf(vhost_body, servers=""):
    """A config template for harness.Server ({rtmp}, {http}, {api} and {dir} are filled in
    there): `servers` (template text, e.g. HTTP_SERVER) and the default vhost with
    `vhost_body` (plain text)."""
    body = vhost_body.replace("{", "{{").replace("}", "}}")
    return ("listen {rtmp}; daemon off; srs_log_tank console; pid {dir}/srs.pid;\n" + servers +
            "vhost __defaultVhost__ {{ " + body + " }}\n")


# --- a bare RTMP publisher: ffmpeg sends no pageUrl when it publishes, refer_publish needs one ---

def _amf(value):
    if value is None:
        return b"\x05"
    if isinstance(value, (int, float)):
        return b"\x00" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode()
        return b"\x02" + struct.pack(">H", len(data)) + data
    body = b"".join(struct.pack(">H", len(k)) + k.encode() + _amf(v) for k, v in value.items())
    return b"\x03" + body + b"\x00\x00\x09"


def _command(*values, stream_id=0):
    """One AMF0 command message on chunk stream 3, split at the default chunk size 128."""
    payload = b"".join(_amf(v) for v in values)
    header = b"\x03" + b"\x00\x00\x00" + struct.pack(">I", len(payload))[1:] + b"\x14" + \
        struct.pack("<I", stream_id)
    chunks = [payload[i:i + 128] for i in range(0, len(payload), 128)]
    return header + b"\xc3".join(chunks)


def _recv_exact(sock, n):
    data = b""
    while len(data) < n:
        more = sock.recv(n - len(data))
        if not more:
            raise ConnectionError("closed during handshake")
        data += more
    return data


def rtmp_publish_with_page(port, stream, page, seconds=10):
    """Publishes `stream` (no media) with connect's pageUrl set to `page`; returns the open
    socket once commands are sent (the caller closes it), after a simple handshake."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    sock.sendall(b"\x03" + bytes(8) + os.urandom(1528))
    s1 = _recv_exact(sock, 1 + 1536 + 1536)[1:1537]
    sock.sendall(s1)
    tc_url = f"rtmp://127.0.0.1:{port}/live"
    commands = [_command("connect", 1, {"app": "live", "type": "nonprivate", "flashVer": "FMLE/3.0",
                                        "tcUrl": tc_url, "pageUrl": page}),
                _command("releaseStream", 2, None, stream),
                _command("FCPublish", 3, None, stream),
                _command("createStream", 4, None),
                _command("publish", 5, None, stream, "live", stream_id=1)]
    try:
        for c in commands:
            sock.sendall(c)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused at connect and closed before the rest was sent: the caller sees it
    return sock


class HooksTestCase(ServerTestCase):
    def receiver(self):
        r = HookReceiver()
        self.addCleanup(r.stop)
        return r

    def url(self, stream):
        return f"rtmp://127.0.0.1:{self.srs.rtmp}/live/{stream}"

    def try_publish(self, stream, page=None, timeout=15):
        """ffmpeg publishing `stream`: the process once the server started the publish,
        None when the server refused it (ffmpeg exited first)."""
        extra = ["-rtmp_pageurl", page] if page else []
        p = publish(self.url(stream), extra=extra)
        self.addCleanup(kill, p)
        needle = f"publish start, stream=/live/{stream.split('?')[0]},"
        state = wait_until(lambda: ("ok" if needle in self.srs.log() else
                                    "gone" if p.poll() is not None else None),
                           timeout, what=f"publish {stream} to start or fail")
        return p if state == "ok" else None

    def try_publish_page(self, stream, page, timeout=10):
        """True when a publisher with this pageUrl was let in (publish started), False when
        the server closed it."""
        sock = rtmp_publish_with_page(self.srs.rtmp, stream, page)
        self.addCleanup(sock.close)
        needle = f"publish start, stream=/live/{stream},"
        deadline = time.monotonic() + timeout
        sock.settimeout(0.2)
        while time.monotonic() < deadline:
            if needle in self.srs.log():
                return True
            try:
                if not sock.recv(65536):
                    return False
            except socket.timeout:
                pass
            except OSError:
                return False
        raise AssertionError(f"publish of {stream} neither started nor was refused")

    def try_play_started(self, stream, page=None, timeout=15):
        """True when the server started playing `stream` to an ffmpeg player (media or not),
        False when it closed the player first."""
        needle = f"play start, stream=/live/{stream},"
        before = self.srs.log().count(needle)
        args = ["ffmpeg", "-v", "error", "-rw_timeout", "10000000"]
        if page:
            args += ["-rtmp_pageurl", page]
        p = spawn(args + ["-i", self.url(stream), "-t", "1", "-f", "null", "-"])
        self.addCleanup(kill, p)
        state = wait_until(lambda: ("ok" if self.srs.log().count(needle) > before else
                                    "gone" if p.poll() is not None else None),
                           timeout, what=f"play {stream} to start or fail")
        kill(p)
        return state == "ok"

    def try_play(self, stream, page=None, seconds=1):
        """True when ffmpeg got media of `stream`."""
        out = os.path.join(self.srs.dir, f"play-{stream}-{len(os.listdir(self.srs.dir))}.flv")
        args = ["ffmpeg", "-y", "-v", "error", "-rw_timeout", "10000000"]
        if page:
            args += ["-rtmp_pageurl", page]
        r = run(args + ["-i", self.url(stream), "-t", str(seconds), "-c", "copy", "-f", "flv", out],
                timeout=seconds + 20)
        if r.returncode != 0 or not os.path.exists(out) or os.path.getsize(out) < 1000:
            return False
        return count(packets(out), "video") > 0

    def reload(self, vhost_body):
        before = self.srs.log().count(" loaded, ")
        self.srs.conf_text = conf(vhost_body).format(rtmp=self.srs.rtmp, dir=self.srs.dir)
        with open(self.srs.conf, "w") as f:
            f.write(self.srs.conf_text)
        self.srs.signal(signal.SIGHUP)
        wait_until(lambda: self.srs.log().count(" loaded, ") > before, 10, what="reload")


class HookEvents(HooksTestCase):
    def test_publish_and_play_send_each_event_with_its_fields_in_order(self):
        hooks = self.receiver()
        self.srs = self.server(conf(hooks_block(hooks)))
        pub = self.try_publish("s?token=abc")
        self.assertIsNotNone(pub, self.srs.log())
        self.assertTrue(self.try_play("s", page="http://player.example.com/p"))
        hooks.wait("on_stop")
        kill(pub)  # stands in for an API kick-off: the server sees the publisher go
        hooks.wait("on_unpublish")
        hooks.wait("on_close", n=2)

        for path, e in hooks.events:
            self.assertEqual(list(e.keys()), FIELDS[e["action"]], e)
            self.assertEqual(path, "/api/v1/" + e["action"])
            self.assertEqual((e["ip"], e["vhost"], e["app"]), ("127.0.0.1", "__defaultVhost__", "live"))
        publish_ = hooks.of("on_publish")[0]
        pid = publish_["client_id"]
        self.assertEqual(publish_["stream"], "s")
        self.assertEqual(publish_["param"], "?token=abc")
        self.assertEqual(publish_["tcUrl"], f"rtmp://127.0.0.1:{self.srs.rtmp}/live")
        connect = hooks.of("on_connect", client_id=pid)[0]
        self.assertEqual(connect["pageUrl"], "", "ffmpeg sends no pageUrl when it publishes")
        play = hooks.of("on_play")[0]
        self.assertNotEqual(play["client_id"], pid)
        self.assertEqual((play["stream"], play["param"]), ("s", ""))
        self.assertEqual(play["pageUrl"], "http://player.example.com/p")

        # Order per session (§5), and the byte counters of each connection.
        def actions(cid):
            return [e["action"] for _, e in hooks.events if e["client_id"] == cid]
        self.assertEqual(actions(pid), ["on_connect", "on_publish", "on_unpublish", "on_close"])
        self.assertEqual(actions(play["client_id"]), ["on_connect", "on_play", "on_stop", "on_close"])
        pub_close = hooks.of("on_close", client_id=pid)[0]
        play_close = hooks.of("on_close", client_id=play["client_id"])[0]
        self.assertGreater(pub_close["recv_bytes"], 50000)
        self.assertGreater(play_close["send_bytes"], 50000)
        self.assertLess(play_close["recv_bytes"], pub_close["recv_bytes"])
        for e in (pub_close, play_close):
            self.assertIsInstance(e["send_bytes"], int)

    def test_notifications_to_a_dead_receiver_do_not_disturb_streaming(self):
        dead = f"http://127.0.0.1:{free_port()}/gone"
        self.srs = self.server(conf(hooks_block(None, events=("on_close", "on_unpublish", "on_stop"),
                                                url=dead)))
        pub = self.try_publish("n")
        self.assertIsNotNone(pub)
        self.assertTrue(self.try_play("n"))
        self.assertTrue(self.try_play("n"))
        self.srs.wait_log("hook: on_stop failed")
        kill(pub)
        self.srs.wait_log("hook: on_unpublish failed")
        self.srs.wait_log("hook: on_close failed")
        again = self.try_publish("n")
        self.assertIsNotNone(again, "the server took a new publisher")


class HookGates(HooksTestCase):
    REFUSALS = [(403, "0"), (200, "1"), (200, "garbage"), (200, ""), (200, '{"code":"0"}'), "close"]

    def test_publish_and_play_are_denied_by_anything_but_zero(self):
        hooks = self.receiver()
        self.srs = self.server(conf(hooks_block(hooks)))
        for i, answer in enumerate(self.REFUSALS):
            hooks.answers["on_publish"] = answer
            self.assertIsNone(self.try_publish(f"p{i}"), answer)
            self.assertEqual(len(hooks.of("on_publish", stream=f"p{i}")), 1)
        self.assertEqual(hooks.of("on_unpublish"), [], "a denied publisher gets no on_unpublish")

        hooks.answers["on_publish"] = (200, '{"code":0,"data":null}')
        pub = self.try_publish("live1")
        self.assertIsNotNone(pub, "the object form allows")
        for i, answer in enumerate(self.REFUSALS):
            hooks.answers["on_play"] = answer
            self.assertFalse(self.try_play("live1"), answer)
            self.assertEqual(len(hooks.of("on_play")), i + 1)
        self.assertEqual(hooks.of("on_stop"), [], "a denied player gets no on_stop")
        hooks.answers["on_play"] = (200, "0\n")
        self.assertTrue(self.try_play("live1"), "0 with a newline allows (superset of 2.0)")

    def test_on_connect_denial_closes_before_publish_and_still_fires_on_close(self):
        hooks = self.receiver()
        self.srs = self.server(conf(hooks_block(hooks)))
        hooks.answers["on_connect"] = (200, "1")
        self.assertIsNone(self.try_publish("c1"))
        self.assertFalse(self.try_play("c1"))
        hooks.wait("on_close", n=2)
        self.assertEqual(hooks.of("on_publish") + hooks.of("on_play"), [])

    def test_hooks_follow_a_reload(self):
        hooks = self.receiver()
        hooks.answers["on_publish"] = (200, "1")
        self.srs = self.server(conf(hooks_block(hooks, enabled="off")))
        pub = self.try_publish("r1")
        self.assertIsNotNone(pub, "hooks off: no call, allowed")
        self.assertEqual(hooks.events, [])
        self.reload(hooks_block(hooks, enabled="on"))
        self.assertIsNone(self.try_publish("r2"), "hooks on after SIGHUP: denied")
        self.assertEqual(len(hooks.of("on_publish", stream="r2")), 1)
        kill(pub)
        hooks.wait("on_unpublish", stream="r1")  # read at the event: the reload applies


class Access(HooksTestCase):
    def test_security_matrix_for_publish_and_play_follows_reload(self):
        self.srs = self.server(conf(
            "security { enabled on; allow publish 127.0.0.1; allow play all; deny play 127.0.0.1; }"))
        pub = self.try_publish("sec")
        self.assertIsNotNone(pub, "allow publish 127.0.0.1")
        self.assertFalse(self.try_play("sec"), "deny play 127.0.0.1 wins over allow play all")
        self.assertIn("security denied", self.srs.log())

        self.reload("security { enabled on; allow play all; }")
        self.assertTrue(self.try_play("sec"), "allow play all")
        self.assertIsNone(self.try_publish("sec2"), "enabled without an allow publish rule")

        self.reload("security { enabled on; allow publish all; deny publish all; allow play 10.0.0.1; }")
        self.assertIsNone(self.try_publish("sec3"), "deny all wins")
        self.assertFalse(self.try_play("sec"), "another IP's allow does not apply")

        self.reload("security { enabled off; deny publish all; deny play all; }")
        self.assertIsNotNone(self.try_publish("sec4"), "disabled: allowed")
        self.assertTrue(self.try_play("sec4"))

    def test_refer_rules_check_the_page_url(self):
        self.srs = self.server(conf("refer a.com b.com; refer_publish a.com; refer_play b.com;"))
        self.assertFalse(self.try_publish_page("f1", "http://evil.com/a.com"), "refer")
        self.assertFalse(self.try_publish_page("f2", ""), "no pageUrl")
        self.assertFalse(self.try_publish_page("f3", "http://www.b.com/"), "refer_publish")
        self.assertIsNone(self.try_publish("f3b"), "ffmpeg sends no pageUrl when publishing")
        self.assertTrue(self.try_publish_page("f4", "http://live.a.com:8080/p.html"))
        self.assertIn("refer denied", self.srs.log())

        # Players: ffmpeg sends pageUrl when it plays; the stream comes from an open publisher.
        self.reload("refer a.com b.com; refer_play b.com;")
        src = self.try_publish_page("f6", "http://a.com/")
        self.assertTrue(src)
        self.assertTrue(self.try_play_started("f6", page="https://b.com/x"))
        self.assertFalse(self.try_play_started("f6", page="http://a.com/"), "refer_play")
        self.assertFalse(self.try_play_started("f6"), "no pageUrl")

def http_conf(vhost_body):
    """Like conf(), with the HTTP server on {http}; HTML_DIR in the body is its directory."""
    return conf(vhost_body, HTTP_SERVER).replace("HTML_DIR", "{dir}/html")


class HttpAndHlsHooks(HooksTestCase):
    def curl_flv(self, stream, seconds, *headers, query=""):
        args = ["curl", "-s", "-o", os.devnull, "-w", "%{http_code}", "--max-time", str(seconds)]
        for h in headers:
            args += ["-H", h]
        url = f"http://127.0.0.1:{self.srs.http}/live/{stream}.flv{query}"
        return run(args + [url], timeout=seconds + 10, text=True).stdout.strip()

    def test_http_flv_players_are_gated_by_on_play_and_report_on_stop(self):
        hooks = self.receiver()
        block = hooks_block(hooks, events=("on_play", "on_stop"))
        self.srs = self.server(http_conf(
            block + " http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }"))
        pub = self.try_publish("h")
        self.assertIsNotNone(pub)
        code = self.curl_flv("h", 2, "Referer: http://page.example/p",
                             "X-Forwarded-For: 10.1.2.3, 10.0.0.1", query="?k=v")
        self.assertEqual(code, "200")
        play = hooks.wait("on_play", stream="h")[0]
        self.assertEqual(list(play.keys()), FIELDS["on_play"])
        self.assertEqual((play["ip"], play["pageUrl"], play["param"]),
                         ("10.1.2.3", "http://page.example/p", "?k=v"))
        stop = hooks.wait("on_stop", stream="h")[0]
        self.assertEqual(stop["client_id"], play["client_id"])

        hooks.answers["on_play"] = (200, "1")
        self.assertEqual(self.curl_flv("h", 2), "403")
        self.assertEqual(len(hooks.of("on_stop")), 1, "a denied player gets no on_stop")

    def test_hls_segments_fire_on_hls_and_on_hls_notify(self):
        hooks = self.receiver()
        notify = hooks.url("/notify/[app]/[stream]/[ts_url]")
        block = (f"http_hooks {{ enabled on; on_hls {hooks.url('/api/v1/hls')}; "
                 f"on_hls_notify {notify}; }} "
                 "hls { enabled on; hls_fragment 1; hls_window 20; hls_path HTML_DIR; }")
        self.srs = self.server(http_conf(block))
        pub = self.try_publish("v")
        self.assertIsNotNone(pub)
        events = hooks.wait("on_hls", n=2, timeout=30, stream="v")
        for e in events:
            self.assertEqual(list(e.keys()), FIELDS["on_hls"])
            self.assertEqual((e["ip"], e["app"], e["m3u8_url"]), ("127.0.0.1", "live", "live/v.m3u8"))
            self.assertIsInstance(e["seq_no"], int)
            self.assertIsInstance(e["duration"], float)
            self.assertGreater(e["duration"], 0)
            self.assertTrue(e["url"].startswith("live/v-") and e["url"].endswith(".ts"), e)
            self.assertGreater(e["client_id"], 0)
        self.assertLess(events[0]["seq_no"], events[1]["seq_no"])
        wait_until(lambda: any(g.startswith("/notify/live/v/") and g.endswith(".ts")
                               for g in hooks.gets), 15, what="on_hls_notify GET")


class Kickoff(HooksTestCase):
    def kick(self, client_id):
        r = run(["curl", "-s", "-X", "DELETE",
                 f"http://127.0.0.1:{self.srs.api}/api/v1/clients/{client_id}"],
                timeout=10, text=True)
        self.assertEqual(json.loads(r.stdout)["code"], 0, r.stdout)

    def test_api_kickoff_of_a_publisher_ends_its_players_and_fires_the_hooks(self):
        hooks = self.receiver()
        self.srs = self.server(conf(hooks_block(hooks), HTTP_API))
        pub = self.try_publish("k")
        self.assertIsNotNone(pub)
        player = spawn(["ffmpeg", "-v", "error", "-rw_timeout", "10000000", "-i", self.url("k"),
                        "-t", "60", "-f", "null", "-"])
        self.addCleanup(kill, player)
        hooks.wait("on_play", stream="k")
        cid = hooks.of("on_publish", stream="k")[0]["client_id"]
        self.kick(cid)
        hooks.wait("on_unpublish", client_id=cid)
        hooks.wait("on_close", client_id=cid)
        wait_until(lambda: pub.poll() is not None, 10, what="the kicked publisher's ffmpeg to exit")
        # Its player is not cut off by the kick: it stays, waiting for a republish (hub rule);
        # a second kick ends it and fires on_stop.
        play_id = hooks.of("on_play", stream="k")[0]["client_id"]
        self.kick(play_id)
        hooks.wait("on_stop", client_id=play_id)
        hooks.wait("on_close", client_id=play_id)
        wait_until(lambda: player.poll() is not None, 15, what="the kicked player's ffmpeg to exit")


class SampleReceiver(HooksTestCase):
    def test_research_api_server_allows_and_denies_by_rule(self):
        script = os.path.join(SOURCE_DIR, "research", "api-server", "server.py")
        proc = subprocess.Popen(["python3", "-u", script, "--port", "0", "--deny-stream", "secret"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(kill, proc)
        first = proc.stdout.readline()  # "listening on http://127.0.0.1:PORT"
        self.assertIn("listening on http://127.0.0.1:", first)
        url = first.split()[-1] + "/api/v1/streams"
        self.srs = self.server(conf(f"http_hooks {{ enabled on; on_publish {url}; }}"))
        self.assertIsNotNone(self.try_publish("open"))
        self.assertIsNone(self.try_publish("secret"))
        lines = [proc.stdout.readline() for _ in range(2)]
        self.assertIn("allow", lines[0])
        self.assertIn('"stream":"open"', lines[0])
        self.assertIn("DENY (stream=secret)", lines[1])


if __name__ == "__main__":
    unittest.main()
