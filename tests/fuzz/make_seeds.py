#!/usr/bin/env python3
"""Writes the seed corpora tests/fuzz/corpus/<target>/ from a capture of capture_rtmp.py,
the media files in tests/data/ and a few hand-built AMF0 commands (see tests/fuzz/README.md).

    python3 tests/fuzz/capture_rtmp.py /tmp/rtmp-capture
    python3 tests/fuzz/make_seeds.py /tmp/rtmp-capture
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
HANDSHAKE = 1536
SPLIT_WHOLE, SPLIT_SMALL, SPLIT_MTU = b"\x00", b"\x09", b"\x0b"  # Splitter modes (fuzz_util.hpp)


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rtmp_messages(stream):
    """(type, payload) of each whole message of a client's chunk stream (RTMP spec 5.3)."""
    chunk_size, pos, streams, out = 128, 0, {}, []
    while pos < len(stream):
        fmt, cid = stream[pos] >> 6, stream[pos] & 0x3F
        pos += 1
        if cid == 0:
            cid, pos = 64 + stream[pos], pos + 1
        elif cid == 1:
            cid, pos = 64 + stream[pos] + 256 * stream[pos + 1], pos + 2
        s = streams.setdefault(cid, {"len": 0, "type": 0, "ts": 0, "buf": b""})
        if fmt <= 2:
            ts = int.from_bytes(stream[pos:pos + 3], "big")
            pos += 3
            if fmt <= 1:
                s["len"] = int.from_bytes(stream[pos:pos + 3], "big")
                s["type"] = stream[pos + 3]
                pos += 4
            if fmt == 0:
                pos += 4
            if ts == 0xFFFFFF:
                pos += 4
        take = min(chunk_size, s["len"] - len(s["buf"]))
        if pos + take > len(stream):
            break  # the capture ends inside this chunk
        s["buf"] += stream[pos:pos + take]
        pos += take
        if len(s["buf"]) == s["len"]:
            out.append((s["type"], s["buf"]))
            if s["type"] == 1:
                chunk_size = struct.unpack(">I", s["buf"])[0]
            s["buf"] = b""
    return out


# ---- AMF0, for the hand-built commands ----
def num(n):
    return b"\x00" + struct.pack(">d", n)


def string(s):
    b = s.encode()
    return b"\x02" + struct.pack(">H", len(b)) + b


def key(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def obj(pairs):
    return b"\x03" + b"".join(key(k) + v for k, v in pairs) + b"\x00\x00\x09"


def ecma(pairs):
    body = b"".join(key(k) + v for k, v in pairs)
    return b"\x08" + struct.pack(">I", len(pairs)) + body + b"\x00\x00\x09"


NULL = b"\x05"
TRUE, FALSE = b"\x01\x01", b"\x01\x00"


def flv_tags(data):
    """(type, body) of each tag of an FLV file."""
    pos = int.from_bytes(data[5:9], "big") + 4
    while pos + 11 <= len(data):
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        yield data[pos], data[pos + 11:pos + 11 + size]
        pos += 11 + size + 4


def main():
    cap = sys.argv[1]
    c2s, s2c = read(os.path.join(cap, "c2s.bin")), read(os.path.join(cap, "s2c.bin"))

    # handshake: ffmpeg's C0C1 and the S1 of ffmpeg's server, then the option byte.
    c0c1, s1 = c2s[:1 + HANDSHAKE], s2c[1:1 + HANDSHAKE]
    write("handshake_fuzz", "ffmpeg_c0c1_s1", c0c1 + s1 + b"\x00")
    write("handshake_fuzz", "ffmpeg_c0c1_signed_schema1", c0c1 + s1 + b"\x0f")

    # chunk stream after C2: the first 8 KB (commands, metadata, first frames).
    chunks = c2s[1 + 2 * HANDSHAKE:][:8192]
    write("chunk_reader_fuzz", "ffmpeg_publish_whole", SPLIT_WHOLE + chunks)
    write("chunk_reader_fuzz", "ffmpeg_publish_small_pieces", SPLIT_SMALL + chunks[:2048])
    write("chunk_reader_fuzz", "ffmpeg_server_replies", SPLIT_MTU + s2c[1 + 2 * HANDSHAKE:][:4096])

    # hand-built: SetChunkSize 256, an aggregate of two audio tags, a message aborted halfway.
    def chunk0(cid, ts, mtype, payload, stream_id=1):
        return (bytes([cid]) + ts.to_bytes(3, "big") + len(payload).to_bytes(3, "big")
                + bytes([mtype]) + stream_id.to_bytes(4, "little"))

    def sub(mtype, ts, data):
        return (bytes([mtype]) + len(data).to_bytes(3, "big") + ts.to_bytes(3, "big") + b"\x00"
                + bytes(3) + data + (11 + len(data)).to_bytes(4, "big"))

    agg = sub(8, 1000, b"\xaf\x01" + bytes(20)) + sub(8, 1023, b"\xaf\x01" + bytes(30))
    big = bytes(range(256)) * 2
    stream = (chunk0(2, 0, 1, struct.pack(">I", 256), 0) + struct.pack(">I", 256)
              + chunk0(4, 40, 22, agg) + agg
              + chunk0(5, 80, 9, big) + big[:256]
              + chunk0(2, 0, 2, struct.pack(">I", 5), 0) + struct.pack(">I", 5)
              + chunk0(5, 120, 8, b"\xaf\x01\x21") + b"\xaf\x01\x21")
    write("chunk_reader_fuzz", "aggregate_chunk_size_abort", SPLIT_WHOLE + stream)

    # commands and data messages of the session, as the server receives them.
    msgs = rtmp_messages(c2s[1 + 2 * HANDSHAKE:])
    type_byte = {20: b"\x00", 17: b"\x01", 18: b"\x02", 15: b"\x03"}
    seen = set()
    for t, payload in msgs:
        if t not in type_byte or len(payload) < 3:
            continue
        name = payload[3:3 + int.from_bytes(payload[1:3], "big")].decode(errors="replace")
        if name in seen:
            continue
        seen.add(name)
        safe = name.strip("@_|")
        write("rtmp_command_fuzz", f"ffmpeg_{safe}", type_byte[t] + payload)
        write("amf0_fuzz", f"ffmpeg_{safe}", payload)
    for t, payload in rtmp_messages(s2c[1 + 2 * HANDSHAKE:]):
        if t == 20 and payload[3:10] == b"_result":
            write("rtmp_command_fuzz", "ffmpeg_server_result", b"\x00" + payload)
            break
    # hand-built: play with every optional argument, pause, and an AMF3 command.
    write("rtmp_command_fuzz", "play_all_args",
          b"\x00" + string("play") + num(4) + NULL + string("live/s") + num(-2) + num(-1) + FALSE)
    write("rtmp_command_fuzz", "pause_amf3", b"\x01\x00" + string("pause") + num(5) + NULL + TRUE
          + num(1000))
    write("rtmp_command_fuzz", "on_status_reply",
          b"\x00" + string("onStatus") + num(0) + NULL
          + obj([("level", string("status")), ("code", string("NetStream.Play.Start")),
                 ("description", string("Started"))]))
    write("amf0_fuzz", "every_type",
          num(1.5) + TRUE + string("s") + obj([("a", NULL), ("b", b"\x06")])
          + ecma([("w", num(640)), ("n", ecma([]))])
          + b"\x0a" + struct.pack(">I", 2) + num(1) + string("x")
          + b"\x0b" + struct.pack(">dh", 1.7e12, 0)
          + b"\x0c" + struct.pack(">I", 3) + b"abc")

    # media: FLV whole and cut in pieces, and the codec payloads inside it.
    flv = read(os.path.join(DATA, "tiny.flv"))
    write("flv_fuzz", "tiny_whole", SPLIT_WHOLE + flv)
    write("flv_fuzz", "tiny_head_small_pieces", SPLIT_SMALL + flv[:3000])
    tags = list(flv_tags(flv))
    video = [b for t, b in tags if t == 9]
    audio = [b for t, b in tags if t == 8]
    script = [b for t, b in tags if t == 18]
    if script:
        write("amf0_fuzz", "tiny_flv_metadata", script[0])
        write("rtmp_command_fuzz", "tiny_flv_metadata", b"\x02" + script[0])
    write("avc_fuzz", "h264_annexb_head", read(os.path.join(DATA, "h264_high_640x360.h264"))[:2048])
    write("avc_fuzz", "flv_avc_sequence_header_tag", video[0])
    write("avc_fuzz", "flv_avc_decoder_config", video[0][5:])
    write("avc_fuzz", "flv_avc_keyframe_avcc", video[1][5:][:2048])
    write("aac_mp3_fuzz", "aac_44100_stereo", read(os.path.join(DATA, "aac_44100_stereo.adts")))
    write("aac_mp3_fuzz", "aac_48000_mono_head", read(os.path.join(DATA, "aac_48000_mono.adts"))[:400])
    write("aac_mp3_fuzz", "mp3_22050_mono", read(os.path.join(DATA, "mp3_22050_mono.mp3")))
    write("aac_mp3_fuzz", "mp3_44100_stereo_head", read(os.path.join(DATA, "mp3_44100_stereo.mp3"))[:1200])
    write("aac_mp3_fuzz", "mp3_after_id3v2",
          b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + read(os.path.join(DATA, "mp3_22050_mono.mp3"))[:800])
    write("aac_mp3_fuzz", "flv_aac_sequence_header_tag", audio[0])
    write("aac_mp3_fuzz", "flv_aac_config", audio[0][2:])


if __name__ == "__main__":
    main()
