"""Shared helpers for integration tests: run the real objs/srs on free loopback ports with a
generated config, drive real clients, and always clean up.

Rules (TESTING.md): ports come from binding port 0; every client is bounded by time; the
server is stopped by PID (SIGTERM, then SIGKILL after a grace period); waits poll for an
event (a port accepting, a file appearing, a log line) with a deadline, never a bare sleep.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

SRS_BINARY = os.environ.get("SRS_BINARY") or os.path.join(
    os.path.dirname(__file__), "..", "..", "objs", "srs")
TOOLS_DIR = os.environ.get("SRS_TOOLS_DIR") or os.path.join(
    os.path.dirname(__file__), "..", "..", "objs")
SOURCE_DIR = os.environ.get("SRS_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")


def free_port():
    """A TCP port nobody listens on right now (bind 0, read it back, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=10.0, interval=0.02, what="condition"):
    """Polls predicate() until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Server:
    """One objs/srs process with its own directory and generated config.

    `body` is the config text; it may use {rtmp}, {api}, {http} and {dir} placeholders,
    which are replaced by free ports and the server's directory.
    """

    def __init__(self, body=None, name="srs"):
        self.dir = tempfile.mkdtemp(prefix=f"{name}-")
        self.rtmp = free_port()
        self.api = free_port()
        self.http = free_port()
        if body is None:
            body = DEFAULT_CONF
        self.conf_text = body.format(rtmp=self.rtmp, api=self.api, http=self.http, dir=self.dir)
        self.conf = os.path.join(self.dir, "srs.conf")
        with open(self.conf, "w") as f:
            f.write(self.conf_text)
        self.log_path = os.path.join(self.dir, "console.log")
        self.proc = None

    def start(self, wait_port=True, extra_args=()):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([SRS_BINARY, "-c", self.conf, *extra_args], cwd=self.dir,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        if wait_port:
            wait_until(lambda: port_open(self.rtmp) or self.proc.poll() is not None, 10,
                       what=f"srs listening on {self.rtmp}")
            if self.proc.poll() is not None:
                raise AssertionError(f"srs exited with {self.proc.returncode}:\n{self.log()}")
        return self

    def stop(self, grace=5.0):
        """SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def log(self):
        text = ""
        for p in (self.log_path, os.path.join(self.dir, "objs", "srs.log")):
            if os.path.exists(p):
                with open(p, "rb") as f:
                    text += f.read().decode(errors="replace")
        return text

    def wait_log(self, needle, timeout=10.0):
        return wait_until(lambda: needle in self.log(), timeout, what=f"log line {needle!r}")

    def cleanup(self):
        self.stop()
        if getattr(self, "_log", None):
            self._log.close()
        if os.environ.get("SRS_KEEP_TEST_DIRS"):
            return
        shutil.rmtree(self.dir, ignore_errors=True)


DEFAULT_CONF = """
listen {rtmp};
max_connections 1000;
daemon off;
srs_log_tank console;
srs_log_level trace;
pid {dir}/srs.pid;
http_api {{ enabled on; listen {api}; }}
http_server {{ enabled on; listen {http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
}}
"""


class ServerTestCase(unittest.TestCase):
    """Base class: self.server(...) starts a server that is always stopped after the test;
    on failure its log is printed."""

    def server(self, body=None, start=True, **kw):
        s = Server(body, **kw)
        self.addCleanup(self._finish, s)
        if start:
            s.start()
        return s

    def _finish(self, s):
        failed = any(err for _, err in getattr(self._outcome, "errors", []) if err) if hasattr(
            self, "_outcome") else False
        s.stop()
        if failed or os.environ.get("SRS_SHOW_LOGS"):
            print(f"\n--- srs log ({s.dir}) ---\n{s.log()[-20000:]}")
        s.cleanup()


def run(cmd, timeout, **kw):
    """Runs a client command bounded by time; returns CompletedProcess (never raises on
    timeout: the result then has returncode None and whatever output was produced)."""
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(cmd, None, e.stdout or b"", e.stderr or b"")


def spawn(cmd, **kw):
    """Starts a long-running client (a publisher); the caller must kill it (use
    ServerTestCase.addCleanup(kill, proc))."""
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def kill(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for f in (proc.stdout, proc.stderr):
        if f:
            f.close()
