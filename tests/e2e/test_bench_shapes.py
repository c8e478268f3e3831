#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The benchmark's captures (tools/bench/gen_bench_pcap.c) are what the
figures in README.md and src/README.md say they are.

- The default is GEN_ARRIVALS=rounds (the same bytes as no setting): each
  source advertises once in every round of 187 adverts, as routers
  advertising at their interval do (the property the hour's figures rest
  on).
- GEN_ARRIVALS=random (the stress rows br and cr of replay-shapes, and the
  default before) does not (a source may wait several rounds, or come
  twice), and a small vrrp shape keeps the digest it had when the earlier
  figures of src/README.md were taken on it.
- A wrong GEN_ARRIVALS is refused in one line, leaving no file.

usage: test_bench_shapes.py GEN_BENCH_PCAP
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

SOURCES = 187
# sha256 of `GEN_ARRIVALS=random gen_bench_pcap --shape vrrp 0.01`, the
# capture of the earlier figures of src/README.md (Replay performance);
# change it only with those figures
RANDOM_VRRP_001 = "6de9ca876b965e41fb6f665d5e3d3e97927ad6bf8a05f99ccdafc28b04cfc1ff"


def generate(gen, shape, scale, path, arrivals=None):
    env = dict(os.environ)
    env.pop("GEN_ARRIVALS", None)
    env.pop("GEN_BROKEN_PCT", None)
    if arrivals is not None:
        env["GEN_ARRIVALS"] = arrivals
    return subprocess.run([gen, "--shape", shape, str(scale), path], env=env,
                          capture_output=True, text=True, timeout=120)


def sources_in_order(path):
    """(source IPv4, VRID) of each advert, in file order."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    at = 24
    while at + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, at + 8)[0]
        frame = data[at + 16:at + 16 + caplen]
        at += 16 + caplen
        l3 = 14
        if frame[12:14] == b"\x81\x00":
            l3 = 18
        if frame[l3 - 2:l3] != b"\x08\x00" or frame[l3 + 9] != 112:
            continue
        ihl = (frame[l3] & 15) * 4
        out.append((frame[l3 + 12:l3 + 16], frame[l3 + ihl + 1]))
    return out


def rounds_hold(order):
    """Every whole round of SOURCES adverts names every source once."""
    everyone = set(order)
    for start in range(0, len(order) - SOURCES + 1, SOURCES):
        if set(order[start:start + SOURCES]) != everyone:
            return False
    return len(everyone) == SOURCES


def main():
    gen = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as d:
        plain, random_, rounds = (os.path.join(d, n) for n in ("p.pcap", "r.pcap", "t.pcap"))
        for path, arrivals in ((plain, None), (random_, "random"), (rounds, "rounds")):
            res = generate(gen, "vrrp", 0.01, path, arrivals)
            if res.returncode:
                print(f"FAIL: GEN_ARRIVALS={arrivals}: exit {res.returncode}: {res.stderr}")
                return 1
        with open(random_, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != RANDOM_VRRP_001:
            failures.append(f"random vrrp 0.01 capture changed: sha256 {digest}")
        with open(plain, "rb") as a, open(rounds, "rb") as b:
            if a.read() != b.read():
                failures.append("GEN_ARRIVALS=rounds differs from the default")
        taking_turns = sources_in_order(plain)
        drawn = sources_in_order(random_)
        if len(taking_turns) < 10 * SOURCES:
            failures.append(f"rounds capture holds {len(taking_turns)} adverts, too few to judge")
        if not rounds_hold(taking_turns):
            failures.append("GEN_ARRIVALS=rounds: a round of 187 adverts misses a source")
        if rounds_hold(drawn):
            failures.append("random capture takes turns: the check above tells nothing")
        if len(taking_turns) != len(drawn):
            failures.append(f"advert counts differ: {len(taking_turns)} against {len(drawn)}")

        bad = os.path.join(d, "bad.pcap")
        res = generate(gen, "vrrp", 0.01, bad, "sometimes")
        lines = res.stderr.strip().splitlines()
        if res.returncode != 2 or len(lines) != 1 or "GEN_ARRIVALS" not in lines[0]:
            failures.append(f"GEN_ARRIVALS=sometimes: exit {res.returncode}, stderr {res.stderr!r}")
        if os.path.exists(bad):
            failures.append("GEN_ARRIVALS=sometimes left a file behind")

    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"default (rounds): every source once per {SOURCES} adverts; random capture "
              "unchanged and not in rounds; a wrong GEN_ARRIVALS refused")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
