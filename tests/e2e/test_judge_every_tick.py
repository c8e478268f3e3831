#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The change-driven detector gives what judging every domain at every tick gives.

src/detect/judge.c judges a collision domain again only when something in
it changed, and raises again what its last judgment raised otherwise.
VRRPWATCH_JUDGE_EVERY_TICK=1 turns that off (and folds every row at every
tick: src/model/activity.c folds only the rows the table marked).  Every
sample capture (with its keepalived.conf and arguments, as the golden test
runs it) must give the same terminal report, the same --json report and
the same Prometheus textfile both ways, byte for byte.  So must four
variants of each classic pcap, made here from a fixed seed: timestamps
jittered by up to 1.5 s either way (out of order), a 15 s silence after
every 20th record (episodes end and begin again), a 10 min silence after
every 50th (longer than a turn of activity.c's due wheel: times a turn
ahead, and ticks that pass a whole turn), a random quarter of the records
(episodes end and begin at most ticks: the domains are grouped again, and
those whose members did not change keep their judgments), neighbouring
records swapped, the second half before the first (as two files read
in the wrong order); with a keepalived.conf, the capture tiled over 100 s, alone, with its first
advertiser silent for 8 s and later 20 s, and with everyone silent so (with a
keepalived.conf, the calm ticks hold only while what its rules read of
the clock holds: detector.c calm, rules_config.c vw_config_holds);
a flaky sender's: one IPv4 advert in ten with a broken checksum and one in
thirty with TTL 64 (findings that open and close again and again, alone
in their domain: judge.c vw_judge_sources), also tiled over 100 s;
and two that land where the detector passes calm ticks over (detector.c
calm: every domain quiet, nothing open): a refused protocol-112 frame, and
a foreign MAC's gratuitous ARP for a virtual address, each once, a third
of the way in, among the adverts and after a 30 s silence.  Every file is also replayed
without its keepalived.conf (the configuration's rules run at every tick).

usage: test_judge_every_tick.py VRRPWATCH SOURCE_ROOT
"""
import os
import random
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_replay_golden import arguments, captures  # noqa: E402


def run(vrrpwatch, root, args, every):
    env = dict(os.environ, TZ="UTC")
    env.pop("VRRPWATCH_JUDGE_EVERY_TICK", None)
    if every:
        env["VRRPWATCH_JUDGE_EVERY_TICK"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        prom = os.path.join(tmp, "out.prom")
        p = subprocess.run([vrrpwatch] + args + ["--prom-file", prom], cwd=root,
                           capture_output=True, text=True, timeout=60, env=env)
        text = p.stdout + p.stderr + f"exit {p.returncode}\n"
        if os.path.exists(prom):
            with open(prom) as f:
                text += f.read()
    return text


def read_pcap(path):
    """(header, endian, ns, [(ts_ns, data, orig_len)]) of a classic pcap, or None."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        return None
    magic = raw[:4]
    kinds = {b"\xd4\xc3\xb2\xa1": ("<", False), b"\xa1\xb2\xc3\xd4": (">", False),
             b"\x4d\x3c\xb2\xa1": ("<", True), b"\xa1\xb2\x3c\x4d": (">", True)}
    if magic not in kinds:
        return None
    e, ns = kinds[magic]
    recs, off = [], 24
    while off + 16 <= len(raw):
        sec, frac, incl, orig = struct.unpack(e + "IIII", raw[off:off + 16])
        recs.append((sec * 10**9 + frac * (1 if ns else 1000), raw[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return raw[:24], e, ns, recs


def write_pcap(path, pcap, recs):
    header, e, ns, _ = pcap
    with open(path, "wb") as f:
        f.write(header)
        for ts, data, orig in recs:
            ts = max(ts, 0)
            frac = ts % 10**9 if ns else ts % 10**9 // 1000
            f.write(struct.pack(e + "IIII", ts // 10**9, frac, len(data), orig) + data)


def ipv4_vrrp(data):
    """(offset of the IPv4 header, offset of VRRP) in an Ethernet frame, or None."""
    off, etype = 12, None
    while off + 2 <= len(data):
        etype = struct.unpack("!H", data[off:off + 2])[0]
        if etype not in (0x8100, 0x88A8):
            break
        off += 4
    ip = off + 2
    if etype != 0x0800 or len(data) < ip + 20 or data[ip + 9] != 112:
        return None
    vrrp = ip + (data[ip] & 15) * 4
    return (ip, vrrp) if len(data) >= vrrp + 12 else None


def refused_frame(data):
    """The advert's frame cut to a VRRP header of 4 bytes (IP lengths to
    match): the decoder refuses it (truncated)."""
    ip, vrrp = ipv4_vrrp(data)
    b = bytearray(data[:vrrp + 4])
    struct.pack_into("!H", b, ip + 2, vrrp + 4 - ip)
    return bytes(b)


def vip_claim(data):
    """A gratuitous ARP reply for the advert's first virtual address from a
    MAC that is no router of it (02:00:5e:99:99:99)."""
    ip, vrrp = ipv4_vrrp(data)
    vip = data[vrrp + 8:vrrp + 12]
    mac = bytes.fromhex("02005e999999")
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + mac + vip + mac + vip
    return b"\xff" * 6 + mac + data[12:ip - 2] + b"\x08\x06" + arp


def flaky(data, how):
    """The advert broken as a flaky sender breaks it: its VRRP checksum off
    by one (every variant fails), or sent with TTL 64 (routed; the IPv4
    header checksum made right again)."""
    ip, vrrp = ipv4_vrrp(data)
    b = bytearray(data)
    if how == "csum":
        struct.pack_into("!H", b, vrrp + 6, (struct.unpack_from("!H", b, vrrp + 6)[0] + 1) & 0xFFFF)
        return bytes(b)
    b[ip + 8] = 64
    b[ip + 10:ip + 12] = b"\0\0"
    words = struct.unpack_from("!%dH" % ((data[ip] & 15) * 2), b, ip)
    total = sum(words)
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    struct.pack_into("!H", b, ip + 10, ~total & 0xFFFF)
    return bytes(b)


def calm_insert(recs, make, silence_s):
    """make(advert) inserted once a third of the way in, after silence_s
    of silence (the later records that much later), or None without an
    IPv4 advert of the Ethernet link type."""
    at = len(recs) // 3
    found = [i for i, (_, d, _) in enumerate(recs) if ipv4_vrrp(d)]
    if not found or at == 0:
        return None
    frame = make(recs[found[0]][1])
    ts = recs[at - 1][0] + silence_s * 10**9 + 10**6
    shifted = [(t + (silence_s + 1) * 10**9, d, o) for t, d, o in recs[at:]]
    return recs[:at] + [(ts, frame, len(frame))] + shifted


def source_of(data):
    """The IPv4 source of an advert of the Ethernet link type, or None."""
    found = ipv4_vrrp(data)
    return data[found[0] + 12:found[0] + 16] if found else None


def tiled(recs, span_s=100):
    """The records again and again, each copy one second after the last
    one ended, until span_s seconds: long stretches where every domain is
    quiet and, with a keepalived.conf, the configuration's rules hold."""
    if len(recs) < 2:
        return []
    times = sorted(ts for ts, _, _ in recs)
    first, step = times[0], times[-1] - times[0] + 10**9
    out, k = [], 0
    while k * step < span_s * 10**9:
        out += [(ts + k * step, d, o) for ts, d, o in recs]
        k += 1
    return out


def stopped(recs, who, windows=((40, 8), (70, 20))):
    """recs without who's records (every source's, for None) in windows
    of (from_s, for_s) seconds: a master or the whole segment falls silent
    for longer than its master-down interval and 3 intervals + 1 s, then
    comes back.  (A finding that opens late spans the same times: only a
    silence that ends before a late opening shows it.)"""
    first = min(ts for ts, _, _ in recs)

    def silent(ts):
        return any(first + a * 10**9 <= ts < first + (a + n) * 10**9 for a, n in windows)

    return [(ts, d, o) for ts, d, o in recs
            if not (silent(ts) and (who is None or source_of(d) == who))]


def variants(pcap, seed, ethernet, config):
    """Timestamps jittered, silences inserted, neighbours swapped."""
    rng = random.Random(seed)
    recs = pcap[3]
    yield "jitter", [(ts + rng.randint(-1500, 1500) * 10**6, d, o) for ts, d, o in recs]
    yield "gaps", [(ts + (i // 20) * 15 * 10**9, d, o) for i, (ts, d, o) in enumerate(recs)]
    yield "long_gaps", [(ts + (i // 50) * 600 * 10**9, d, o) for i, (ts, d, o) in enumerate(recs)]
    # a quarter of the records at random: advertisers heard every 4 intervals
    # on average, so that episodes end and begin at most ticks (every tick
    # groups the domains again)
    yield "thin", [r for r in recs if rng.random() < 0.25]
    swapped = list(recs)
    for i in range(0, len(swapped) - 1, 2):
        if rng.random() < 0.3:
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    yield "swap", swapped
    # the second half first, as `-r day2 -r day1` reads them: stamps that go
    # back past the start of every episode, which move the rows' first
    # adverts while their domains are left out of the ticks (judge.h: held)
    half = len(recs) // 2
    yield "halves", recs[half:] + recs[:half]
    long = tiled(recs) if config else []
    firsts = [source_of(d) for _, d, _ in long if source_of(d)] if ethernet else []
    if long and firsts:
        # the configuration's rules read the clock (a master within its
        # master-down interval, an instance heard within 3 intervals + 1 s):
        # calm ticks hold only while their answers do
        yield "tiled", long
        yield "tiled_stop", stopped(long, firsts[0])
        yield "tiled_silence", stopped(long, None)
    # a flaky sender: one advert in ten broken, one in thirty sent with
    # TTL 64; each opens its source's malformed or ttl_not_255 finding and
    # the next good one closes it (alone in its domain, an advertiser's
    # checksum state changes without waking it: judge.c vw_judge_sources)
    if ethernet and any(ipv4_vrrp(d) for _, d, _ in recs):
        out = []
        for ts, d, o in recs:
            pick = rng.random()
            if ipv4_vrrp(d) and pick < 0.13:
                d = flaky(d, "csum" if pick < 0.1 else "ttl")
            out.append((ts, d, o))
        yield "flaky", out
        if long:
            yield "flaky_tiled", [(ts, flaky(d, "csum") if ipv4_vrrp(d) and rng.random() < 0.1
                                   else d, o) for ts, d, o in long]
    for name, make in (("refused", refused_frame), ("vip_claim", vip_claim)):
        for silence in (0, 30):
            recs2 = calm_insert(recs, make, silence) if ethernet else None
            if recs2:
                yield f"{name}_{silence}", recs2


def compare(vrrpwatch, root, args):
    """1 when the two ways differ."""
    if run(vrrpwatch, root, args, False) == run(vrrpwatch, root, args, True):
        return 0
    print(f"FAIL {' '.join(args)}: differs from VRRPWATCH_JUDGE_EVERY_TICK=1")
    return 1


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    compared = failed = 0
    with tempfile.TemporaryDirectory(prefix="vw-every-tick-") as tmp:
        for capture in captures(root):
            pcap = read_pcap(os.path.join(root, capture))
            files = [capture]
            ethernet = pcap and struct.unpack(pcap[1] + "I", pcap[0][20:24])[0] == 1
            config = "-c" in arguments(root, capture)
            for name, recs in variants(pcap, capture, ethernet, config) if pcap else ():
                path = os.path.join(tmp, capture.replace("/", "_") + "." + name + ".pcap")
                write_pcap(path, pcap, recs)
                files.append(path)
            for f in files:
                for extra in ([], ["--json"], ["--no-config"]):
                    args = arguments(root, capture)
                    args[1] = f  # -r FILE: the variant, with the sample's arguments
                    if extra == ["--no-config"]:
                        if "-c" not in args:
                            continue  # the first run had none
                        i = args.index("-c")
                        args[i:i + 2] = []
                    compared += 1
                    failed += compare(vrrpwatch, root, args + extra)
    print(f"{compared} replays compared with every domain judged at every tick "
          f"(samples and their variants), {failed} differ")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
