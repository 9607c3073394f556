"""The HTTP server under load and hostile input while a live stream keeps flowing: 100
concurrent HTTP-FLV players, garbage, a 1 MiB header (431), a never-ending header (closed
by the header timeout), 1000 idle sockets."""
import resource
import select
import selectors
import socket
import threading
import time
import unittest

from harness import ServerTestCase, kill, wait_until
from httpflv import ChunkedReader, open_get, parse_flv
from media import publish

CONF = """
listen 127.0.0.1:{rtmp};
max_connections 3000;
daemon off;
srs_log_tank console;
pid {dir}/srs.pid;
http_server {{ enabled on; listen 127.0.0.1:{http}; dir {dir}/html; }}
vhost __defaultVhost__ {{
    http_remux {{ enabled on; mount [vhost]/[app]/[stream].flv; }}
}}
"""


class FlowingPlayer(threading.Thread):
    """One HTTP-FLV player that keeps reading and counting bytes in the background."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = open_get(port, "/live/s.flv")
        self.reader = ChunkedReader(self.sock)
        self.received = 0
        self.error = None
        self.stopped = False

    def run(self):
        try:
            self.sock.settimeout(10)
            while not self.stopped:
                data = self.sock.recv(65536)
                if not data:
                    self.error = "closed by the server"
                    return
                self.received += len(data)
        except OSError as e:
            if not self.stopped:
                self.error = str(e)

    def stop(self):
        self.stopped = True
        self.sock.close()

    def still_flowing(self, more=50_000, timeout=15):
        start = self.received
        wait_until(lambda: self.received >= start + more or self.error, timeout,
                   what="the flowing player to receive more")
        return self.error is None and self.received >= start + more


def read_response_head(sock, timeout=10):
    """The status line (bytes) of whatever the server answers, b'' when it only closes."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data.split(b"\r\n")[0]


def closed_by_server(sock, timeout=10):
    """Reads (and drops) whatever is left until the server closes; False on a timeout."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        return False
    return True


class Robustness(ServerTestCase):
    def setUp(self):
        self.srs = self.server(CONF)
        p = publish(f"rtmp://127.0.0.1:{self.srs.rtmp}/live/s")
        self.addCleanup(kill, p)
        self.srs.wait_log("publish start, stream=/live/s,", timeout=15)
        self.player = FlowingPlayer(self.srs.http)
        self.player.start()
        self.addCleanup(self.player.stop)
        self.assertTrue(self.player.still_flowing())

    def assert_server_answers(self):
        s = open_get(self.srs.http, "/nothing")
        self.assertEqual(read_response_head(s), b"HTTP/1.1 404 Not Found")
        s.close()
        self.assertTrue(self.player.still_flowing(), self.player.error)

    def test_100_concurrent_players_each_get_data(self):
        sel = selectors.DefaultSelector()
        readers = []
        for _ in range(100):
            s = open_get(self.srs.http, "/live/s.flv")
            s.setblocking(False)
            r = ChunkedReader(s)
            readers.append(r)
            sel.register(s, selectors.EVENT_READ, r)
        want = 100_000
        deadline = time.monotonic() + 30
        try:
            while time.monotonic() < deadline and any(len(r.body) < want for r in readers):
                for key, _ in sel.select(timeout=1):
                    r = key.data
                    try:
                        if not r.read_some():
                            sel.unregister(r.sock)
                    except BlockingIOError:
                        pass
        finally:
            for r in readers:
                r.sock.close()
        short = [len(r.body) for r in readers if len(r.body) < want]
        self.assertEqual(short, [], "players that got too little")
        for r in readers:
            self.assertEqual(r.status, 200)
            flags, tags = parse_flv(r.body)
            self.assertTrue(any(t.is_video_sh() for t in tags))
        self.assertTrue(self.player.still_flowing())

    def test_garbage_gets_400_and_a_close(self):
        s = socket.create_connection(("127.0.0.1", self.srs.http), timeout=10)
        s.sendall(b"\x00\xff\x16\x03garbage garbage\r\n\r\n")
        self.assertEqual(read_response_head(s), b"HTTP/1.1 400 Bad Request")
        self.assertTrue(closed_by_server(s))
        s.close()
        self.assert_server_answers()

    def test_one_mebibyte_header_gets_431(self):
        s = socket.create_connection(("127.0.0.1", self.srs.http), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        s.setblocking(False)
        sent, answer = 0, b""
        block = b"a" * 65536
        deadline = time.monotonic() + 20
        # Send until the server answers: it does so as soon as the limit is passed.
        while sent < (1 << 20) and not answer and time.monotonic() < deadline:
            r, w, _ = select.select([s], [s], [], 1)
            if r:
                try:
                    answer = s.recv(4096)
                except OSError:
                    break
                break
            if w:
                try:
                    sent += s.send(block)
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    pass
        s.setblocking(True)
        if not answer:
            answer = read_response_head(s)
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 431"), answer[:80])
        self.assert_server_answers()

    def test_a_never_ending_header_is_closed_by_the_header_timeout(self):
        s = socket.create_connection(("127.0.0.1", self.srs.http), timeout=10)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        closed = False
        deadline = time.monotonic() + 30  # the header timeout is 10 s
        s.settimeout(0.5)
        while time.monotonic() < deadline and not closed:
            try:
                s.sendall(b"X-Slow: y\r\n")  # a client that trickles headers forever
                if s.recv(4096) == b"":
                    closed = True
            except socket.timeout:
                continue
            except OSError:
                closed = True
        s.close()
        self.assertTrue(closed)
        self.srs.wait_log("closed, read request: timeout")
        self.assert_server_answers()

    def test_1000_idle_sockets_leave_the_stream_and_the_server_working(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 2000:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        idle = []
        try:
            for _ in range(1000):
                idle.append(socket.create_connection(("127.0.0.1", self.srs.http), timeout=10))
            self.assert_server_answers()
            # Each idle socket is still open: the server has not dropped them.
            s = idle[-1]
            s.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_response_head(s), b"HTTP/1.1 404 Not Found")
        finally:
            for s in idle:
                s.close()
        self.assertTrue(self.player.still_flowing())


if __name__ == "__main__":
    unittest.main()
