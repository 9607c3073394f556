#!/usr/bin/env python3
"""A sample receiver for SRS HTTP callbacks (http_hooks), Python standard library only.

Every POST (on_connect, on_close, on_publish, on_unpublish, on_play, on_stop, on_dvr, on_hls)
and GET (on_hls_notify) is logged with its JSON body. The answer is `0` (allow) unless a
--deny rule matches, then `1` (deny): SRS allows a gated event only on HTTP 200 with a body
of `0` or {"code":0}.

    python3 research/api-server/server.py --port 8085
    python3 research/api-server/server.py --deny-stream secret --deny-action on_play
    python3 research/api-server/server.py --deny-ip 10.0.0.8 --log events.jsonl

Rules combine with OR: an event is denied when any rule matches it.
"""
import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="sample SRS http_hooks receiver")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8085, help="port (default 8085; 0 picks one)")
    p.add_argument("--deny-stream", action="append", default=[], metavar="NAME",
                   help="deny events whose stream is NAME (repeatable)")
    p.add_argument("--deny-action", action="append", default=[], metavar="ACTION",
                   help="deny every event of ACTION, e.g. on_play (repeatable)")
    p.add_argument("--deny-ip", action="append", default=[], metavar="IP",
                   help="deny events of clients from IP (repeatable)")
    p.add_argument("--deny-app", action="append", default=[], metavar="APP",
                   help="deny events of app APP (repeatable)")
    p.add_argument("--log", metavar="FILE", help="also append each event as a JSON line to FILE")
    return p.parse_args(argv)


def denied(rules, event):
    """The reason an event is denied, or None."""
    checks = (("action", rules.deny_action), ("stream", rules.deny_stream),
              ("ip", rules.deny_ip), ("app", rules.deny_app))
    for field, values in checks:
        if event.get(field) in values:
            return f"{field}={event.get(field)}"
    return None


def make_handler(rules):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                event = json.loads(raw)
            except ValueError:
                event = {"action": "?", "raw": raw.decode(errors="replace")}
            if not isinstance(event, dict):
                event = {"action": "?", "raw": event}
            reason = denied(rules, event)
            self.record(event, reason)
            # Exactly `0`, no newline: SRS 2.0 compares the raw text.
            self.answer("1" if reason else "0")

        def do_GET(self):
            # on_hls_notify: SRS reads a few bytes of the answer and ignores them.
            self.record({"action": "on_hls_notify", "url": self.path}, None)
            self.answer("0")

        def record(self, event, reason):
            verdict = f"DENY ({reason})" if reason else "allow"
            line = json.dumps(event, separators=(",", ":"))
            print(f"{time.strftime('%H:%M:%S')} {self.path} {verdict} {line}", flush=True)
            if rules.log:
                with open(rules.log, "a") as f:
                    f.write(json.dumps({"path": self.path, "verdict": verdict, "event": event}) + "\n")

        def answer(self, text):
            body = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # one line per event is printed by record()
            pass

    return Handler


def main(argv=None):
    rules = parse_args(argv)
    server = ThreadingHTTPServer((rules.host, rules.port), make_handler(rules))
    print(f"listening on http://{rules.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
