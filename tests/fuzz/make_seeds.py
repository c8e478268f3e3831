#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make_seeds.py - the seed corpora of the fuzz targets, from the tree.

usage: make_seeds.py SOURCE_ROOT OUT_DIR

Writes OUT_DIR/<target>/ for every target (tests/fuzz/README.md):
  decode           every distinct frame of the sample captures (pcaps/),
                   behind the control byte of its link type, also as a
                   record cut by the capture (fuzz_decode.c)
  capture,         the sample captures, whole files, and the small ones of
  capture_libpcap  pcaps/edge/ gzip-, xz- and zstd-compressed
  kaconf           tests/kaconf/*.conf and every pcaps/**/keepalived.conf
  http             tests/fuzz/seeds/http
plus what is committed under tests/fuzz/seeds/<target>/ and
tests/fuzz/crashes/<target>/.  File names are content hashes: rerunning
adds nothing twice.
"""
import gzip
import hashlib
import lzma
import pathlib
import shutil
import struct
import subprocess
import sys

TARGETS = ["decode", "capture", "capture_libpcap", "kaconf", "http"]
# DLT / LINKTYPE -> enum vw_link (ingest.c: vw_link_from_dlt)
LINKS = {1: 0, 113: 1, 276: 2, 12: 3, 14: 3, 101: 3, 228: 4, 229: 5}


def pcap_frames(data):
    """(linktype, frame) of a classic pcap file."""
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    link = struct.unpack(e + "I", data[20:24])[0] & 0x03FFFFFF
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + caplen]
        if len(frame) < caplen:
            return
        yield link, frame
        off += 16 + caplen


def pcapng_frames(data):
    """(linktype, frame) of the enhanced and simple packet blocks of a pcapng file."""
    off, e, links = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 8:
            links.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            ifid, caplen = struct.unpack(e + "I", body[:4])[0], struct.unpack(e + "I", body[12:16])[0]
            if ifid < len(links):
                yield links[ifid], body[20:20 + caplen]
        elif btype == 3 and len(body) >= 4 and links:
            yield links[0], body[4:]
        off += blen


def compressed(data):
    """data gzip-, xz- and (where the zstd command is) zstd-compressed."""
    out = [gzip.compress(data, mtime=0), lzma.compress(data)]
    if shutil.which("zstd"):
        r = subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=False)
        if r.returncode == 0:
            out.append(r.stdout)
    return out


def put(out, target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    captures = sorted(p for p in (root / "pcaps").rglob("*") if p.suffix in (".pcap", ".pcapng"))
    frames = set()
    for p in captures:
        data = p.read_bytes()
        put(out, "capture", data)
        put(out, "capture_libpcap", data)
        reader = pcapng_frames if p.suffix == ".pcapng" else pcap_frames
        for link, frame in reader(data):
            if link in LINKS:
                frames.add(bytes([LINKS[link]]) + frame)
    # compressed captures (capture/unzip.c: gzip, zstd, xz, told by their
    # first bytes): the small edge captures in each
    for p in sorted((root / "pcaps" / "edge").glob("*.pcap*")):
        data = p.read_bytes()
        for packed in compressed(data):
            put(out, "capture", packed)
            put(out, "capture_libpcap", packed)
    for f in frames:
        put(out, "decode", f)
    # the same frames as records cut by the capture, some of them
    for f in sorted(frames)[::8]:
        put(out, "decode", bytes([f[0] | 0x10]) + f[1:len(f) // 2])
    confs = sorted((root / "tests" / "kaconf").glob("*.conf"))
    confs += sorted((root / "pcaps").rglob("keepalived.conf"))
    for p in confs:
        put(out, "kaconf", p.read_bytes())
    for kind in ("seeds", "crashes"):
        for t in TARGETS:
            d = root / "tests" / "fuzz" / kind / t
            for p in sorted(d.glob("*")) if d.is_dir() else []:
                if p.is_file():
                    put(out, t, p.read_bytes())
    for t in TARGETS:
        n = len(list((out / t).glob("*"))) if (out / t).is_dir() else 0
        print(f"{t}: {n} seeds")


if __name__ == "__main__":
    main()
