"""Drives objs/srs_rtmp_client (our client library as a command-line tool) from tests.

The play mode prints one JSON line per received message; Player follows them live in a
thread so a test can wait for an event (first keyframe, a status code) with a deadline.
"""
import json
import os
import subprocess
import threading

from harness import TOOLS_DIR, run, wait_until

CLIENT = os.path.join(TOOLS_DIR, "srs_rtmp_client")


def rtmp_conf(vhosts):
    """An RTMP-only server config (harness.Server placeholders kept) with these vhost
    blocks, written with single braces."""
    head = ("listen {rtmp};\nmax_connections 1000;\ndaemon off;\nsrs_log_tank console;\n"
            "pid {dir}/srs.pid;\n")
    return head + vhosts.replace("{", "{{").replace("}", "}}")


def parse(lines):
    out = []
    for line in lines:
        line = line.strip()
        if line:
            out.append(json.loads(line))
    return out


def play(url, seconds, *extra, timeout=None):
    """Plays for `seconds` and returns (returncode, records, stderr)."""
    r = run([CLIENT, "play", url, "--seconds", str(seconds), *extra],
            timeout=timeout or seconds + 15)
    return r.returncode, parse((r.stdout or b"").decode().splitlines()), (r.stderr or b"").decode()


def publish(url, path, seconds, *extra):
    """Starts a tool publisher (real-time paced); the caller kills it (harness.kill)."""
    return subprocess.Popen([CLIENT, "publish", url, path, "--seconds", str(seconds), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Player:
    """A tool player whose records are collected live."""

    def __init__(self, url, seconds, *extra):
        self.records = []
        self.proc = subprocess.Popen([CLIENT, "play", url, "--seconds", str(seconds), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._thread.start()

    def _follow(self):
        for line in self.proc.stdout:
            line = line.strip()
            if line:
                self.records.append(json.loads(line))

    def wait_for(self, predicate, timeout, what):
        """The first record matching predicate, waiting up to `timeout` seconds for it."""
        def find():
            return next((r for r in list(self.records) if predicate(r)), None)
        return wait_until(find, timeout, what=what)

    def finish(self, timeout=20):
        """Waits for the tool to reach its time limit; returns its exit code."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._thread.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.finish()


def media_records(records, kind=None):
    """Audio/video records (optionally of one kind), in arrival order."""
    return [r for r in records if r.get("type") in ("audio", "video")
            and (kind is None or r["type"] == kind)]


def frames(records, kind="video"):
    """Media records that are frames, not sequence headers."""
    return [r for r in media_records(records, kind) if not r["sh"]]


def backwards(records, kind):
    """The first pair of `kind` records whose timestamp goes back, or None."""
    rs = media_records(records, kind)
    return next(((a, b) for a, b in zip(rs, rs[1:]) if b["ts"] < a["ts"]), None)


def monotonic(records, kind):
    return backwards(records, kind) is None


def is_keyframe(r):
    return r.get("type") == "video" and r["key"] and not r["sh"]


def close_wait(port):
    """Server-side sockets on `port` whose client has closed but the server has not
    (TCP state CLOSE_WAIT in /proc/net/tcp)."""
    n = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            if int(local.split(":")[1], 16) == port and state == "08":
                n += 1
    return n
