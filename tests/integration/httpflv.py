"""A raw HTTP client for live streams and an FLV parser, so tests see the exact bytes the
server sends (status line, headers, chunked framing, FLV tags)."""
import socket
import struct
import time


class LiveResponse:
    def __init__(self, status, headers, body, ended):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body        # de-chunked
        self.ended = ended      # the chunked body was finished by the server


def open_get(port, path, host="127.0.0.1", timeout=10.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: srs-test\r\n\r\n".encode())
    return s


class ChunkedReader:
    """Reads an HTTP/1.1 response with a chunked body incrementally from a socket."""

    def __init__(self, sock):
        self.sock = sock
        self.raw = b""
        self.status = None
        self.headers = {}
        self.body = bytearray()
        self.ended = False
        self._pos = 0  # parse position in raw after the header block

    def feed(self, data):
        self.raw += data
        if self.status is None:
            end = self.raw.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.raw[:end].decode("latin-1").split("\r\n")
            self.status = int(lines[0].split()[1])
            for line in lines[1:]:
                k, _, v = line.partition(":")
                self.headers[k.strip().lower()] = v.strip()
            self._pos = end + 4
        while not self.ended:
            eol = self.raw.find(b"\r\n", self._pos)
            if eol < 0:
                return
            size = int(self.raw[self._pos:eol].split(b";")[0], 16)
            if size == 0:
                self.ended = True
                return
            if len(self.raw) < eol + 2 + size + 2:
                return
            self.body += self.raw[eol + 2:eol + 2 + size]
            self._pos = eol + 2 + size + 2
            if self._pos > 1 << 20:  # keep memory flat on long reads
                self.raw = self.raw[self._pos:]
                self._pos = 0

    def read_some(self):
        data = self.sock.recv(65536)
        if data:
            self.feed(data)
        return data


def read_live(port, path, want_bytes, timeout=20.0, host="127.0.0.1", on_headers=None):
    """GETs `path` and reads until `want_bytes` of body, the end of the body, or `timeout`."""
    s = open_get(port, path, host=host, timeout=timeout)
    r = ChunkedReader(s)
    deadline = time.monotonic() + timeout
    called = False
    try:
        while len(r.body) < want_bytes and not r.ended and time.monotonic() < deadline:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                if not r.read_some():
                    break
            except socket.timeout:
                break
            if r.status is not None and on_headers and not called:
                called = True
                on_headers(r)
    finally:
        s.close()
    return LiveResponse(r.status, r.headers, bytes(r.body), r.ended)


class Tag:
    def __init__(self, kind, timestamp, data):
        self.kind = kind  # 8 audio, 9 video, 18 script
        self.timestamp = timestamp
        self.data = data

    def is_video_sh(self):
        return self.kind == 9 and len(self.data) >= 2 and self.data[0] == 0x17 and self.data[1] == 0

    def is_audio_sh(self):
        return self.kind == 8 and len(self.data) >= 2 and self.data[0] >> 4 == 10 and \
            self.data[1] == 0

    def is_keyframe(self):
        return self.kind == 9 and len(self.data) >= 1 and self.data[0] >> 4 == 1


def parse_flv(data):
    """(flags, tags). Checks the signature and every PreviousTagSize; a tag cut off at the
    end of `data` (the read stopped mid-stream) is ignored."""
    if data[:3] != b"FLV":
        raise AssertionError(f"no FLV signature: {data[:16]!r}")
    flags = data[4]
    offset = struct.unpack(">I", data[5:9])[0]
    if struct.unpack(">I", data[offset:offset + 4])[0] != 0:
        raise AssertionError("PreviousTagSize0 is not 0")
    pos = offset + 4
    tags = []
    while pos + 11 <= len(data):
        kind = data[pos]
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | (data[pos + 7] << 24)
        end = pos + 11 + size
        if end + 4 > len(data):
            break
        prev = struct.unpack(">I", data[end:end + 4])[0]
        if prev != 11 + size:
            raise AssertionError(f"tag {len(tags)} at {pos}: PreviousTagSize {prev} != {11 + size}")
        if kind not in (8, 9, 18):
            raise AssertionError(f"tag {len(tags)} at {pos}: type {kind}")
        tags.append(Tag(kind, ts, data[pos + 11:end]))
        pos = end + 4
    return flags, tags
