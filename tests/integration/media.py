"""Test media and real-client helpers: make small FLV files once, publish them with ffmpeg in
real time, record/probe what players receive with ffmpeg/ffprobe/rtmpdump."""
import json
import os
import subprocess
import tempfile

from harness import run, spawn

_CACHE = os.path.join(tempfile.gettempdir(), "srs-test-media")

# name -> ffmpeg arguments producing it (deterministic, small).
_RECIPES = {
    # H.264 + AAC, 25 fps, 2 s GOP.
    "avc_aac.flv": ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                    "-b:v", "300k", "-c:a", "aac", "-b:a", "64k", "-f", "flv"],
    # 10 s GOP to prove the GOP cache.
    "long_gop.flv": ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                     "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                     "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-g", "250",
                     "-keyint_min", "250", "-sc_threshold", "0",
                     "-b:v", "300k", "-c:a", "aac", "-b:a", "64k", "-f", "flv"],
    "audio_only.flv": ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "12",
                       "-c:a", "aac", "-b:a", "64k", "-f", "flv"],
    "video_only.flv": ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "12",
                       "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-b:v", "300k",
                       "-f", "flv"],
    "avc_mp3.flv": ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                    "-b:v", "300k", "-c:a", "libmp3lame", "-ar", "44100", "-b:a", "64k",
                    "-f", "flv"],
}


def media(name):
    """Path of a test media file, generated on first use and cached across tests."""
    os.makedirs(_CACHE, exist_ok=True)
    path = os.path.join(_CACHE, name)
    if not os.path.exists(path):
        tmp = path + ".part"
        r = run(["ffmpeg", "-y", "-v", "error", *_RECIPES[name], tmp], timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"ffmpeg could not make {name}: {r.stderr.decode()}")
        os.replace(tmp, path)
    return path


def publish(url, name="avc_aac.flv", loop=True, extra=()):
    """ffmpeg publishing a test file in real time (looped); returns the process."""
    args = ["ffmpeg", "-v", "error", "-re"]
    if loop:
        args += ["-stream_loop", "-1"]
    args += ["-i", media(name), "-c", "copy", *extra, "-f", "flv", url]
    return spawn(args)


def record(url, seconds, out, timeout=None):
    """ffmpeg plays `url` and copies `seconds` of media into the FLV file `out`."""
    return run(["ffmpeg", "-y", "-v", "error", "-rw_timeout", "15000000", "-i", url,
                "-t", str(seconds), "-c", "copy", "-f", "flv", out],
               timeout=timeout or seconds + 25)


def packets(path):
    """ffprobe's packets of a file: list of dicts with codec_type, dts_time, pts_time, flags."""
    r = run(["ffprobe", "-v", "error", "-show_packets", "-show_entries",
             "packet=codec_type,dts,pts,flags", "-of", "json", path], timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"ffprobe failed on {path}: {r.stderr.decode()}")
    return json.loads(r.stdout or b"{}").get("packets", [])


def streams(path_or_url, timeout=20):
    """ffprobe's streams (codec_type, codec_name, width, height, sample_rate...)."""
    r = run(["ffprobe", "-v", "error", "-rw_timeout", "10000000", "-show_streams", "-of", "json",
             path_or_url], timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"ffprobe failed on {path_or_url}: {(r.stderr or b'').decode()}")
    return json.loads(r.stdout or b"{}").get("streams", [])


def monotonic_dts(pkts, kind):
    """True when the dts of every packet of `kind` never goes backwards."""
    last = None
    for p in pkts:
        if p.get("codec_type") != kind or "dts" not in p:
            continue
        d = int(p["dts"])
        if last is not None and d < last:
            return False
        last = d
    return True


def count(pkts, kind):
    return sum(1 for p in pkts if p.get("codec_type") == kind)
