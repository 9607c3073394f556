"""HLS checks for integration tests: an MPEG-TS checker written for these tests (sync bytes,
continuity counters, PAT/PMT/PCR, PES timestamps) and an m3u8 reader."""
import os
import re

TS = 188
PMT_PID = 0x1001
VIDEO_PID = 0x100
AUDIO_PIDS = (0x101, 0x102)


class Playlist:
    def __init__(self, text):
        self.text = text
        m = re.search(r"^#EXT-X-MEDIA-SEQUENCE:(\d+)$", text, re.M)
        self.sequence = int(m.group(1)) if m else None
        m = re.search(r"^#EXT-X-TARGETDURATION:(\d+)$", text, re.M)
        self.target = int(m.group(1)) if m else None
        self.discontinuities = text.count("#EXT-X-DISCONTINUITY")
        # (duration, uri, discontinuous) per listed segment.
        self.segments = []
        disc = False
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line == "#EXT-X-DISCONTINUITY":
                disc = True
            elif line.startswith("#EXTINF:") and i + 1 < len(lines):
                self.segments.append((float(line[8:].split(",")[0]), lines[i + 1], disc))
                disc = False


def read_playlist(path):
    try:
        with open(path) as f:
            return Playlist(f.read())
    except FileNotFoundError:
        return None


def _pes_time(b):
    return (((b[0] >> 1) & 0x07) << 30) | (b[1] << 22) | ((b[2] >> 1) << 15) | (b[3] << 7) | (
        b[4] >> 1)


class TsReport:
    """What check_ts found in one segment."""

    def __init__(self):
        self.pids = set()
        self.pcr = 0
        self.pes = {}  # pid -> [(pts, dts)]
        self.first_cc = {}  # pid -> cc of its first payload packet
        self.last_cc = {}  # pid -> cc of its last payload packet


def check_ts(data, errors):
    """Parses TS bytes; appends every violation to `errors` and returns a TsReport."""
    r = TsReport()
    if len(data) == 0 or len(data) % TS:
        errors.append(f"size {len(data)} is not a positive multiple of 188")
    for off in range(0, len(data) - TS + 1, TS):
        p = data[off:off + TS]
        if p[0] != 0x47:
            errors.append(f"no sync byte at {off}")
            return r
        pid = ((p[1] & 0x1F) << 8) | p[2]
        start = bool(p[1] & 0x40)
        afc = (p[3] >> 4) & 3
        cc = p[3] & 0x0F
        r.pids.add(pid)
        pos = 4
        if afc & 2:
            alen = p[4]
            if alen > 183:
                errors.append(f"adaptation field of {alen} bytes at {off}")
                continue
            if alen and p[5] & 0x10:
                r.pcr += 1
            pos = 5 + alen
        if not afc & 1:
            continue
        if pid in r.last_cc and cc != (r.last_cc[pid] + 1) % 16:
            errors.append(f"pid {pid:#x}: cc {cc} after {r.last_cc[pid]} at {off}")
        r.first_cc.setdefault(pid, cc)
        r.last_cc[pid] = cc
        if start and (pid == VIDEO_PID or pid in AUDIO_PIDS):
            pes = p[pos:]
            if pes[:3] != b"\x00\x00\x01":
                errors.append(f"pid {pid:#x}: no PES start code at {off}")
                continue
            flags = pes[7] >> 6
            if flags not in (2, 3):
                errors.append(f"pid {pid:#x}: PES without PTS at {off}")
                continue
            pts = _pes_time(pes[9:14])
            dts = _pes_time(pes[14:19]) if flags == 3 else pts
            r.pes.setdefault(pid, []).append((pts, dts))
    if 0 not in r.pids:
        errors.append("no PAT")
    if PMT_PID not in r.pids:
        errors.append("no PMT")
    if VIDEO_PID in r.pids and not r.pcr:
        errors.append("no PCR")
    for pid, times in r.pes.items():
        for (pts0, dts0), (pts1, dts1) in zip(times, times[1:]):
            if dts1 < dts0:
                errors.append(f"pid {pid:#x}: dts {dts1} after {dts0}")
        for pts, dts in times:
            if pts < dts:
                errors.append(f"pid {pid:#x}: pts {pts} before dts {dts}")
    return r


def check_ts_file(path):
    errors = []
    with open(path, "rb") as f:
        report = check_ts(f.read(), errors)
    return report, [f"{os.path.basename(path)}: {e}" for e in errors]


def check_continuity(before, after, name):
    """CC continues from one segment into the next (same publish): every pid of `after` that
    `before` also carried starts at the next counter."""
    errors = []
    for pid, cc in after.first_cc.items():
        if pid in before.last_cc and cc != (before.last_cc[pid] + 1) % 16:
            errors.append(f"{name}: pid {pid:#x} starts at cc {cc} after {before.last_cc[pid]}")
    return errors
