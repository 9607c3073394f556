#!/usr/bin/env python3
"""Records a real RTMP publish session for the fuzz seed corpora (see tests/fuzz/README.md).

An ffmpeg in listen mode plays the server; a publishing ffmpeg connects through a recording
TCP proxy in between. Both directions are written to OUT/c2s.bin and OUT/s2c.bin, each cut
after --limit bytes. Nothing here is a hand-written RTMP peer: every byte is ffmpeg's.

    python3 tests/fuzz/capture_rtmp.py /tmp/rtmp-capture
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pump(src, dst, path, limit):
    """Forwards src -> dst until either side closes, keeping the first `limit` bytes."""
    kept = bytearray()
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if len(kept) < limit:
                kept += data[: limit - len(kept)]
            dst.sendall(data)
    except OSError:
        pass
    finally:
        with open(path, "wb") as f:
            f.write(kept)
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--limit", type=int, default=64 * 1024)
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    server_port, proxy_port = free_port(), free_port()
    server = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-listen", "1", "-i",
         f"rtmp://127.0.0.1:{server_port}/live/s", "-f", "null", "-"])
    time.sleep(1.0)

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", proxy_port))
    listener.listen(1)
    publisher = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
         "-t", str(args.seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
         "-c:a", "aac", "-b:a", "64k", "-f", "flv", f"rtmp://127.0.0.1:{proxy_port}/live/s"])
    client, _ = listener.accept()
    upstream = socket.create_connection(("127.0.0.1", server_port))
    threads = [
        threading.Thread(target=pump, args=(client, upstream, f"{args.out}/c2s.bin", args.limit)),
        threading.Thread(target=pump, args=(upstream, client, f"{args.out}/s2c.bin", args.limit)),
    ]
    for t in threads:
        t.start()
    publisher.wait(timeout=60)
    for t in threads:
        t.join(timeout=10)
    server.wait(timeout=10)
    print(f"captured {os.path.getsize(args.out + '/c2s.bin')} bytes from the client, "
          f"{os.path.getsize(args.out + '/s2c.bin')} from the server", file=sys.stderr)


if __name__ == "__main__":
    main()
