"""Hostile RTMP input while a real publisher -> player stream flows: every bad connection is
closed, the server stays up, the flowing player keeps >= 90% of its frames, and a new
player still works afterwards.

The server closes a client that has not finished handshake + connect within 30 s (spec
§6, no config directive), so the idle and slow connections are checked last, with a
bounded wait past that timeout.
"""
import os
import selectors
import socket
import struct
import threading
import time
import unittest

from harness import ServerTestCase, kill, wait_until
from media import publish
from rtmp_tool import Player, frames, is_keyframe, play

HANDSHAKE_SIZE = 1536
STEP_TIMEOUT = 30  # the server's handshake/connect timeout (seconds)
IDLE_CONNECTIONS = 500


def closed_by_server(sock, timeout):
    """True when the server closes `sock` (EOF or reset) within `timeout` seconds; whatever
    it sends first (S0S1S2, connect replies) is read and dropped."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            return False
        except OSError:
            return True


def handshaken(port):
    """A socket past a valid simple handshake, ready for chunks."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    c1 = struct.pack(">II", 0, 0) + os.urandom(HANDSHAKE_SIZE - 8)
    s.sendall(b"\x03" + c1)
    got = b""
    while len(got) < 1 + 2 * HANDSHAKE_SIZE:
        chunk = s.recv(1 + 2 * HANDSHAKE_SIZE - len(got))
        if not chunk:
            raise AssertionError("server closed during handshake")
        got += chunk
    s.sendall(got[1:1 + HANDSHAKE_SIZE])  # C2 = S1
    return s


def chunk(msg_type, payload, cid=3, declared=None):
    """One fmt-0 chunk carrying `payload` (declared length may lie)."""
    length = len(payload) if declared is None else declared
    header = bytes([cid]) + b"\x00\x00\x00" + length.to_bytes(3, "big") + bytes([msg_type])
    return header + struct.pack("<I", 0) + payload


def amf0_string(s):
    return b"\x02" + struct.pack(">H", len(s)) + s.encode()


class Hostile(ServerTestCase):
    def setUp(self):
        self.srs = self.server()
        self.url = f"rtmp://127.0.0.1:{self.srs.rtmp}/live/s"
        self.addCleanup(kill, publish(self.url))
        self.srs.wait_log("publish start", timeout=15)
        self.sockets = []
        self.addCleanup(self.close_all)

    def close_all(self):
        for s in self.sockets:
            s.close()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.srs.rtmp), timeout=5)
        self.sockets.append(s)
        return s

    def assert_closed(self, sock, what, timeout=5):
        self.assertTrue(closed_by_server(sock, timeout), f"{what}: connection left open")

    def slow_handshake(self, sock, stop):
        """Sends C0 and then one byte of C1 a second: never finishes in time."""
        try:
            sock.sendall(b"\x03")
            while not stop.is_set():
                sock.sendall(b"\x00")
                stop.wait(1.0)
        except OSError:
            pass  # closed by the server

    def test_bad_clients_are_closed_and_the_stream_keeps_flowing(self):
        seconds = 40
        player = Player(self.url, seconds)
        self.addCleanup(player.stop)
        player.wait_for(is_keyframe, 10, "the flowing player's first keyframe")
        started = time.monotonic()

        # Connections the timeout must reap: 500 idle half-open ones and a slow handshake.
        idle = [self.connect() for _ in range(IDLE_CONNECTIONS)]
        slow = self.connect()
        stop = threading.Event()
        trickle = threading.Thread(target=self.slow_handshake, args=(slow, stop), daemon=True)
        trickle.start()
        self.addCleanup(stop.set)

        # Garbage instead of C0.
        s = self.connect()
        s.sendall(b"\x07" + os.urandom(4095))
        self.assert_closed(s, "random bytes")
        # A truncated handshake: part of C1, then the client stops sending.
        s = self.connect()
        s.sendall(b"\x03" + os.urandom(700))
        s.shutdown(socket.SHUT_WR)
        self.assert_closed(s, "truncated handshake")
        # Set Chunk Size 0 and 2^31.
        for size in (0, 2**31):
            s = handshaken(self.srs.rtmp)
            self.sockets.append(s)
            s.sendall(chunk(1, struct.pack(">I", size), cid=2))
            self.assert_closed(s, f"chunk size {size}")
        # A message announcing 16 MiB (the largest 24-bit length).
        s = handshaken(self.srs.rtmp)
        self.sockets.append(s)
        s.sendall(chunk(20, b"\x02\x00\x07connect", declared=0xFFFFFF))
        self.assert_closed(s, "16 MiB message")
        # connect whose AMF0 is cut short inside its command object.
        s = handshaken(self.srs.rtmp)
        self.sockets.append(s)
        body = amf0_string("connect") + b"\x00" + struct.pack(">d", 1) + b"\x03\x00\x03app\x02\xff"
        s.sendall(chunk(20, body))
        self.assert_closed(s, "malformed AMF0 connect")
        # Random bytes after a valid handshake.
        s = handshaken(self.srs.rtmp)
        self.sockets.append(s)
        s.sendall(os.urandom(8192))
        random_after_handshake = s

        # A new player still works while all of this is open.
        code, records, err = play(self.url, 2)
        self.assertEqual(code, 0, err)
        self.assertTrue(frames(records) and is_keyframe(frames(records)[0]))

        # The timeout reaps the rest.
        budget = STEP_TIMEOUT + 15 - (time.monotonic() - started)
        self.assert_closed(slow, "slow handshake", timeout=budget)
        stop.set()
        budget = STEP_TIMEOUT + 15 - (time.monotonic() - started)
        self.assert_closed(random_after_handshake, "random after handshake", timeout=budget)
        sel = selectors.DefaultSelector()
        for sock in idle:
            sock.setblocking(False)
            sel.register(sock, selectors.EVENT_READ)
        open_left = set(idle)

        def reaped():
            for key, _ in sel.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(key.fileobj)
                    open_left.discard(key.fileobj)
            return not open_left

        wait_until(reaped, timeout=10, what=f"{len(open_left)} idle connections closed")
        sel.close()

        self.assertIsNone(self.srs.proc.poll(), "server died")
        code = player.finish(timeout=seconds + 10)
        self.assertEqual(code, 0)
        # Frames that arrived after the first second (the GOP-cache burst) until the end.
        live = [r for r in frames(player.records) if r["ms"] > 1000]
        expected = 25 * (seconds - 1)
        self.assertGreaterEqual(len(live), int(0.9 * expected))


if __name__ == "__main__":
    unittest.main()
