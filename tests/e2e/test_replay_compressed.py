#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compressed captures (-r FILE.gz, .zst, .xz, and on standard input).

- every sample capture under pcaps/ (pcaps/lab aside), gzip'd, zstd'd and
  xz'd, gives byte for byte the report (text and --json, stderr, exit
  status) of the plain file: the compressed copy keeps the plain file's
  name in a copy of the tree, so the magic bytes alone tell it;
- the same through a pipe (`cat f.gz | vrrpwatch -r -`);
- a truncated .gz and a corrupted .zst give one line on stderr naming the
  file, the record and the compressed byte where it broke, the report of
  what was read before, and exit 2;
- a file named .gz that holds a plain pcap is read as one;
- Ctrl-C on a gzip pipe whose writer stays open reports what was read;
- the damaged and interrupted cases run with the decompressor in its own
  thread and in line (VRRPWATCH_UNZIP_THREAD=0).

zstd needs the zstd command to make its files; without it (or a build
without libzstd / liblzma) those cases skip, or fail under
VRRPWATCH_NO_SKIP.

usage: test_replay_compressed.py VRRPWATCH SOURCE_ROOT
"""
import gzip
import lzma
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

FAILED = []
SKIPPED = []
SUPPORTED = set()  # the kinds that this build reads and this machine can make


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def skip(what):
    print("skip " + what)
    SKIPPED.append(what)


def zstd_bytes(data, extra=()):
    p = subprocess.run(["zstd", "-q", "-c", *extra], input=data, capture_output=True,
                       timeout=60, check=True)
    return p.stdout


COMPRESSORS = {
    "gz": lambda d: gzip.compress(d, mtime=0),
    "xz": lzma.compress,
}
if shutil.which("zstd"):
    COMPRESSORS["zst"] = zstd_bytes


def captures(root):
    found = []
    for d, dirs, files in os.walk(os.path.join(root, "pcaps")):
        dirs[:] = [x for x in dirs if x != "lab"]  # many; the goldens cover them
        found += [os.path.relpath(os.path.join(d, f), root) for f in files
                  if f.endswith((".pcap", ".pcapng"))]
    return sorted(found)


def arguments(root, capture):
    """As test_replay_golden.py runs the capture."""
    args = ["-r", capture]
    conf = os.path.join(os.path.dirname(capture), "keepalived.conf")
    args += ["-c", conf] if os.path.exists(os.path.join(root, conf)) else ["--no-config"]
    extra = os.path.join(root, capture.rsplit(".", 1)[0] + ".args")
    if os.path.exists(extra):
        with open(extra) as f:
            args += f.read().split()
    return args


ENV = dict(os.environ, TZ="UTC")


def run(vw, args, cwd, stdin=None):
    p = subprocess.run([vw] + args, cwd=cwd, input=stdin, capture_output=True, timeout=60,
                       env=ENV)
    return p.stdout, p.stderr, p.returncode


def unsupported(vw, tmp, ext):
    """Whether this build refuses the kind (built without its library)."""
    path = os.path.join(tmp, "probe." + ext)
    with open(path, "wb") as f:
        f.write(COMPRESSORS[ext](b"x"))
    _, err, _ = run(vw, ["-r", path, "--no-config"], tmp)
    return b"built without" in err


def copy_tree(root, dst, compress):
    """pcaps/ (less lab) under dst, each capture compressed under its own name."""
    for d, dirs, files in os.walk(os.path.join(root, "pcaps")):
        dirs[:] = [x for x in dirs if x != "lab"]
        rel = os.path.relpath(d, root)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for f in files:
            src, out = os.path.join(d, f), os.path.join(dst, rel, f)
            if f.endswith((".pcap", ".pcapng")):
                with open(src, "rb") as i, open(out, "wb") as o:
                    o.write(compress(i.read()))
            else:
                shutil.copyfile(src, out)


def test_samples(vw, root, tmp, ext):
    tree = os.path.join(tmp, ext)
    copy_tree(root, tree, COMPRESSORS[ext])
    n = differ = 0
    for cap in captures(root):
        args = arguments(root, cap)
        for extra in ([], ["--json"]):
            plain = run(vw, args + extra, root)
            packed = run(vw, args + extra, tree)
            n += 1
            if plain != packed:
                differ += 1
                print(f"  {ext}: {cap} {' '.join(extra)}: output differs\n"
                      f"    plain  {plain[1][:300]!r} exit {plain[2]}\n"
                      f"    {ext:6} {packed[1][:300]!r} exit {packed[2]}")
        # standard input, through a pipe
        with open(os.path.join(tree, cap), "rb") as f:
            packed_bytes = f.read()
        with open(os.path.join(root, cap), "rb") as f:
            plain_bytes = f.read()
        sargs = ["-r", "-"] + args[2:]
        for extra in ([], ["--json"]):
            plain = run(vw, sargs + extra, root, stdin=plain_bytes)
            packed = run(vw, sargs + extra, tree, stdin=packed_bytes)
            n += 1
            if plain != packed:
                differ += 1
                print(f"  {ext} on stdin: {cap} {' '.join(extra)}: output differs\n"
                      f"    plain  {plain[1][:300]!r} exit {plain[2]}\n"
                      f"    {ext:6} {packed[1][:300]!r} exit {packed[2]}")
    check(n > 40 and differ == 0,
          f".{ext}: {n} runs (files and stdin, text and --json) match the plain captures "
          f"byte for byte ({differ} differ)")


def pcap_header():
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    assert struct.unpack("<I", data[:4])[0] == 0xA1B2C3D4, path
    out, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        out.append(data[off:off + 16 + incl])
        off += 16 + incl
    return out


def summary_frames(out):
    first = out.decode(errors="replace").splitlines()[:1]
    return int(first[0].split()[0]) if first and first[0].split()[0].isdigit() else -1


def one_error_line(err, name, words):
    lines = err.decode(errors="replace").splitlines()
    return len(lines) == 1 and name in lines[0] and all(w in lines[0] for w in words), lines


def test_damaged(vw, root, tmp):
    sample = os.path.join(root, "pcaps", "collision", "capture.pcap")
    recs = records(sample)
    # Enough records that a cut in the middle leaves whole ones before it.
    body = b"".join(recs * 40)
    plain = pcap_header() + body

    # Truncated .gz: cut in the middle of the compressed stream.
    gz = gzip.compress(plain, mtime=0)
    cut = os.path.join(tmp, "cut.pcap.gz")
    with open(cut, "wb") as f:
        f.write(gz[:len(gz) // 2])
    out, err, rc = run(vw, ["-r", cut, "--no-config"], tmp)
    ok, lines = one_error_line(err, "cut.pcap.gz", ["record ", "gzip", "truncated",
                                                    "compressed byte", "read before it"])
    frames = summary_frames(out)
    check(rc == 2 and ok and 0 < frames < len(recs) * 40,
          f"truncated .gz: one line naming the file, record and byte ({lines}), "
          f"the report of the {frames} frames before it, exit 2 (got {rc})")
    # ... and the same through a pipe
    out, err, rc = run(vw, ["-r", "-", "--no-config"], tmp, stdin=gz[:len(gz) // 2])
    ok, lines = one_error_line(err, "-:", ["record ", "gzip", "truncated"])
    check(rc == 2 and ok and summary_frames(out) == frames,
          f"truncated .gz on stdin: the same ({lines}, exit {rc})")

    # Corrupted .zst: two frames, the second one damaged.
    if "zst" not in SUPPORTED:
        skip("corrupted .zst: no zstd command to make one, or a build without libzstd")
        return
    half = len(recs) * 20
    first = pcap_header() + b"".join((recs * 40)[:half])
    second = zstd_bytes(b"".join((recs * 40)[half:]))
    bad = bytearray(second)
    bad[len(bad) // 2] ^= 0x55
    path = os.path.join(tmp, "bad.pcap.zst")
    with open(path, "wb") as f:
        f.write(zstd_bytes(first) + bytes(bad))
    out, err, rc = run(vw, ["-r", path, "--no-config"], tmp)
    ok, lines = one_error_line(err, "bad.pcap.zst", ["zstd", "corrupt", "compressed byte",
                                                     f"record {half + 1}:",
                                                     f"({half} records read before it)"])
    frames = summary_frames(out)
    check(rc == 2 and ok and frames == half,
          f"corrupted .zst: one line naming the file, record {half + 1} and the byte "
          f"({lines}), the report of the {frames} frames before it, exit 2 (got {rc})")


def test_magic_decides(vw, root, tmp):
    sample = os.path.join(root, "pcaps", "healthy", "capture.pcap")
    fake = os.path.join(tmp, "plain.pcap.gz")
    shutil.copyfile(sample, fake)
    out, err, rc = run(vw, ["-r", fake, "--no-config"], tmp)
    ref = run(vw, ["-r", sample, "--no-config"], tmp)
    check(rc == ref[2] and err == ref[1] and summary_frames(out) == summary_frames(ref[0]) > 0,
          f"a plain pcap named .gz is read as a pcap (exit {rc}, {err!r})")
    # and a gzip file named .pcap as gzip (the tree copies above do that too)
    packed = os.path.join(tmp, "really-gzip.pcap")
    with open(sample, "rb") as i, open(packed, "wb") as o:
        o.write(gzip.compress(i.read()))
    out, err, rc = run(vw, ["-r", packed, "--no-config"], tmp)
    check(rc == ref[2] and summary_frames(out) == summary_frames(ref[0]),
          f"a gzip file named .pcap is decompressed (exit {rc}, {err!r})")
    # standard input redirected from a compressed regular file (mapped, then read)
    with open(packed, "rb") as f:
        p = subprocess.run([vw, "-r", "-", "--no-config"], stdin=f, capture_output=True,
                           timeout=60, cwd=tmp)
    check(p.returncode == ref[2] and summary_frames(p.stdout) == summary_frames(ref[0]),
          f"-r - < FILE.gz is decompressed (exit {p.returncode}, {p.stderr!r})")
    # gzip inside gzip: refused in one line
    twice = os.path.join(tmp, "twice.gz")
    with open(sample, "rb") as i, open(twice, "wb") as o:
        o.write(gzip.compress(gzip.compress(i.read())))
    out, err, rc = run(vw, ["-r", twice, "--no-config"], tmp)
    ok, lines = one_error_line(err, "twice.gz", ["compressed twice"])
    check(rc == 2 and ok and out == b"", f"gzip in gzip: one line, exit 2 ({lines})")


def test_interrupted_pipe(vw, root, tmp):
    """`tcpdump -w - | gzip | vrrpwatch -r -`, then Ctrl-C: what was read is reported."""
    with open(os.path.join(root, "pcaps", "collision", "capture.pcap"), "rb") as f:
        data = f.read()
    co = zlib.compressobj(6, zlib.DEFLATED, 31)
    part = co.compress(data) + co.flush(zlib.Z_SYNC_FLUSH)  # the stream is not ended
    p = subprocess.Popen([vw, "-r", "-", "--no-config"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=tmp)
    p.stdin.write(part)
    p.stdin.flush()  # the writer stays open
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        check(False, "Ctrl-C ends a replay from a gzip pipe that stays open")
        return
    check(p.returncode == 1 and summary_frames(out) == len(records(
        os.path.join(root, "pcaps", "collision", "capture.pcap"))) and b"interrupted" in err,
          f"Ctrl-C on an open gzip pipe reports what was read (exit {p.returncode}, {err!r})")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vw, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="vw-compressed-") as tmp:
        for ext in ("gz", "zst", "xz"):
            if ext not in COMPRESSORS:
                skip(f".{ext}: no compressor (apt-get install zstd)")
            elif unsupported(vw, tmp, ext):
                skip(f".{ext}: this vrrpwatch was built without its library")
            else:
                SUPPORTED.add(ext)
                test_samples(vw, root, tmp, ext)
        for threaded in ("1", "0"):
            ENV["VRRPWATCH_UNZIP_THREAD"] = threaded
            print(f"-- decompressor {'in its own thread' if threaded == '1' else 'in line'}")
            test_damaged(vw, root, tmp)
            test_interrupted_pipe(vw, root, tmp)
        del ENV["VRRPWATCH_UNZIP_THREAD"]
        test_magic_decides(vw, root, tmp)
    print(f"{len(FAILED)} failed, {len(SKIPPED)} skipped")
    if FAILED:
        return 1
    if SKIPPED:
        return 1 if os.environ.get("VRRPWATCH_NO_SKIP") else 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
