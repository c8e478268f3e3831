#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The decoder and tshark agree.

For every frame of every sample capture that vrrpwatch's decoder accepts
as a VRRP advert, tshark's VRRP dissector must decode the same version,
VRID, priority, interval, source and address list.  Frames the decoder
refuses are counted, not compared: tshark shows malformed VRRP too --
except in the captures of real keepalived traffic (all but pcaps/edge),
where every frame tshark decodes as VRRP must be one the decoder accepts,
so a decoder that refused good adverts could not pass by saying little.
Frames a capture cut short (caplen below the wire length: the samples
cut at a short snaplen) are not compared.

usage: test_tshark_agree.py DECODE_DUMP CAPTURE-OR-DIRECTORY...
Exit 77 (skip) without tshark, unless VRRPWATCH_NO_SKIP is set.
"""
import os
import shutil
import subprocess
import sys

FIELDS = ["frame.number", "frame.len", "frame.cap_len", "vrrp.version", "vrrp.virt_rtr_id", "vrrp.prio",
          "vrrp.adver_int", "vrrp.short_adver_int", "ip.src", "ipv6.src",
          "vrrp.ip_addr", "vrrp.ipv6_addr"]


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if f.endswith((".pcap", ".pcapng")):
                        yield os.path.join(root, f)
        else:
            yield p


def crafted(path):
    """The crafted edge cases live in pcaps/edge (judged from the pcaps
    directory down, whatever the checkout's own path)."""
    parts = os.path.normpath(path).split(os.sep)
    return "pcaps" in parts and parts[len(parts) - 1 - parts[::-1].index("pcaps") + 1] == "edge"


def ours(dump, path):
    out = subprocess.run([dump, path], capture_output=True, text=True, timeout=60)
    frames = {}
    for line in out.stdout.splitlines():
        n, verdict, reason, ver, vrid, prio, intv, src, addrs = line.split("\t")
        if verdict == "advert":
            frames[int(n)] = (int(ver), int(vrid), int(prio), int(intv), src,
                              addrs.split(",") if addrs else [])
    return frames, out.returncode


def last(value):
    # inner-most value when a field repeats (e.g. tunnelled IP)
    return value.split(",")[-1] if value else ""


def num(value, scale=1):
    # tshark leaves a field empty where a malformed frame ends early
    return int(last(value)) * scale if last(value) else None


def theirs(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", "vrrp", "-T", "fields",
           "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0 and not out.stdout.strip():
        return None  # tshark refuses the file (the deliberately damaged samples)
    frames, cut = {}, set()
    for line in out.stdout.splitlines():
        n, wire, cap, ver, vrid, prio, adv, sadv, src4, src6, a4, a6 = line.split("\t")
        if cap != wire:
            # cut short by the capture (snaplen): the decoder alone refuses
            # it (truncated; replay counts it from its fixed header) unless
            # only padding was cut, tshark shows what is there
            cut.add(int(n))
        ver = num(ver)
        intv = num(adv, 100) if ver == 2 else num(sadv)
        src = last(src6) or last(src4)
        addrs = (a6 or a4).split(",") if (a6 or a4) else []
        frames[int(n)] = (ver, num(vrid), num(prio), intv, src, addrs)
    return frames, cut


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    if not shutil.which("tshark"):
        if os.environ.get("VRRPWATCH_NO_SKIP"):
            print("FAIL: tshark is not installed (VRRPWATCH_NO_SKIP is set)")
            return 1
        print("SKIP: tshark is not installed")
        return 77
    dump, compared, failures = sys.argv[1], 0, 0
    for path in captures(sys.argv[2:]):
        mine, rc = ours(dump, path)
        if rc != 0:
            continue  # the damaged samples: libpcap refuses them
        tshark, cut = theirs(path) or (None, None)
        if tshark is None:
            print(f"note: tshark cannot read {path}; not compared")
            continue
        if not crafted(path):
            for n in sorted(set(tshark) - set(mine) - cut):
                failures += 1
                print(f"FAIL {path} frame {n}: tshark decodes VRRP {tshark[n]}, "
                      "vrrpwatch refuses it")
        for n, fields in sorted(mine.items()):
            compared += 1
            if tshark.get(n) != fields:
                failures += 1
                print(f"FAIL {path} frame {n}: vrrpwatch {fields} tshark {tshark.get(n)}")
    print(f"{compared} adverts compared with tshark, {failures} disagree")
    return 1 if failures or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
