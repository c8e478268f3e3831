#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A capture cut short (tcpdump -s N, editcap -s N, a packet broker's
64 or 96 bytes) replays as the whole capture did, as far as the cut allows.

Every sample capture of IPv4 VRRPv2, IPv4 VRRPv3 and IPv6 VRRPv3 adverts
(pcaps/healthy, collision, unicast, version_mismatch, ipv6, and the crafted
pcaps/snaplen/mixed.pcap with 802.1Q-tagged and untagged advertisers of
each kind) is cut here at 38, 64 and 96 bytes (and where the cut falls
inside the address list or the v2 auth data) and replayed beside the
whole one.  For each cut:

- every frame whose VRRP fixed header was captured is counted as an
  advert of its advertiser, which has the whole capture's priority,
  version, interval, VRID, source, MAC and destination; every other VRRP
  frame is rejected as capture_cut;
- nothing is blamed on the senders: no truncated, no bad_checksum, no
  malformed finding; the address list is the whole capture's where it was
  captured whole, else flagged addresses_cut and a prefix of it;
- the report says once, in text and in JSON, that the capture was cut at N
  bytes, and never when no advert was cut;
- where the cut leaves the address lists whole (46 and 64 bytes of a
  54-byte VRRPv2 advert), the findings are those of the whole capture;
- libpcap (--reader libpcap) and pcapng (editcap, when installed) give the
  same report.

usage: test_replay_snaplen.py VRRPWATCH SOURCE_ROOT
"""
import ipaddress
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def read_pcap(path):
    """(header fields, [(ts_sec, ts_frac, wirelen, data)]) of a classic pcap."""
    with open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack("<I", raw[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    hdr = struct.unpack(end + "IHHiIII", raw[:24])
    recs, off = [], 24
    while off + 16 <= len(raw):
        sec, frac, incl, orig = struct.unpack(end + "IIII", raw[off:off + 16])
        recs.append((sec, frac, orig, raw[off + 16:off + 16 + incl]))
        off += 16 + incl
    return end, hdr, recs


def cut(src, dst, n, which=lambda i: True):
    """What `editcap -s n` writes: records cut to n bytes, the wire length
    kept, the snaplen in the file header n.  which(i): cut record i (0-based)."""
    end, hdr, recs = read_pcap(src)
    with open(dst, "wb") as f:
        f.write(struct.pack(end + "IHHiIII", *hdr[:5], n, hdr[6]))
        for i, (sec, frac, orig, data) in enumerate(recs):
            data = data[:n] if which(i) else data
            f.write(struct.pack(end + "IIII", sec, frac, len(data), orig) + data)


def vrrp_frames(path):
    """Per VRRP frame of an Ethernet capture: (key, message offset, message
    length).  key: (vlans, family, vrid, source) as the JSON report has them."""
    out = []
    for _, _, _, d in read_pcap(path)[2]:
        off, vlans = 12, []
        etype = struct.unpack("!H", d[off:off + 2])[0]
        while etype in (0x8100, 0x88A8, 0x9100):
            vid = struct.unpack("!H", d[off + 2:off + 4])[0] & 0xFFF
            if vid:
                vlans.append(vid)
            off += 4
            etype = struct.unpack("!H", d[off:off + 2])[0]
        ip = off + 2
        if etype == 0x0800 and d[ip + 9] == 112:
            ihl = (d[ip] & 15) * 4
            total = struct.unpack("!H", d[ip + 2:ip + 4])[0]
            src = str(ipaddress.IPv4Address(d[ip + 12:ip + 16]))
            out.append(((tuple(vlans), "ipv4", d[ip + ihl + 1], src), ip + ihl, total - ihl))
        elif etype == 0x86DD and d[ip + 6] == 112:
            plen = struct.unpack("!H", d[ip + 4:ip + 6])[0]
            src = str(ipaddress.IPv6Address(d[ip + 8:ip + 24]))
            out.append(((tuple(vlans), "ipv6", d[ip + 41], src), ip + 40, plen))
    return out


def arguments(root, capture):
    """As tests/e2e/test_replay_golden.py: -c keepalived.conf, NAME.args."""
    conf = os.path.join(os.path.dirname(capture), "keepalived.conf")
    args = ["-c", conf] if os.path.exists(conf) else ["--no-config"]
    extra = os.path.splitext(capture)[0] + ".args"
    if os.path.exists(extra):
        with open(extra) as f:
            args += f.read().split()
    return args


def replay(vw, path, args, json_out=True, reader=None):
    cmd = [vw, "-r", path] + args + (["--json"] if json_out else [])
    if reader:
        cmd += ["--reader", reader]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, TZ="UTC"))
    if not json_out:
        return p.stdout + p.stderr
    recs = [json.loads(line) for line in p.stdout.splitlines()]
    return recs


def of_type(recs, t):
    return [r for r in recs if r["type"] == t]


def row_key(r):
    return (tuple(r["vlan"]), r["family"], r["vrid"], r["src"])


def finding_key(f):
    return (f["kind"], f["severity"], tuple(f["vlan"]), f["family"], f["vrid"],
            tuple(f["sources"]), f.get("subject", ""))


def one_cut(vw, tmp, capture, args, n, same_findings):
    name = f"{os.path.relpath(capture)} cut at {n}"
    path = os.path.join(tmp, f"cut{n}-" + os.path.basename(capture))
    cut(capture, path, n)
    whole, part = replay(vw, capture, args), replay(vw, path, args)
    frames = vrrp_frames(capture)
    header = [f for f in frames if f[1] + 8 <= n]
    affected = any(f[1] + f[2] > n for f in frames)

    summary = of_type(part, "summary")[0]
    check(summary["vrrp_frames"] == len(header),
          f"{name}: {summary['vrrp_frames']} adverts counted, {len(header)} fixed headers "
          "captured")
    rejected, whole_rejected = {}, {}
    for recs, into in ((part, rejected), (whole, whole_rejected)):
        for r in of_type(recs, "rejected"):  # one record per VLAN
            into[r["reason"]] = into.get(r["reason"], 0) + r["count"]
    check(rejected.get("capture_cut", 0) == len(frames) - len(header),
          f"{name}: {rejected.get('capture_cut', 0)} capture_cut, "
          f"{len(frames) - len(header)} cut before the fixed header")
    check(all(rejected.get(r, 0) == whole_rejected.get(r, 0)
              for r in ("truncated", "bad_checksum", "addr_count")),
          f"{name}: no truncated, bad_checksum or addr_count blamed on the senders "
          f"({rejected})")

    rows = {row_key(r): r for r in of_type(whole, "advertiser")}
    expect = {}
    for key, off, length in header:
        e = expect.setdefault(key, {"packets": 0, "list_whole": True})
        e["packets"] += 1
        e["list_whole"] &= off + length - (8 if key[1] == "ipv4" and
                                           rows.get(key, {}).get("version") == 2 else 0) <= n
    got = {row_key(r): r for r in of_type(part, "advertiser")}
    check(set(got) == set(expect), f"{name}: the advertisers whose headers were captured "
          f"({sorted(expect)} against {sorted(got)})")
    for key, e in expect.items():
        r, w = got.get(key), rows.get(key)
        if not r or not w:
            continue
        check(r["packets"] == e["packets"] and
              all(r[f] == w[f] for f in ("priority", "version", "interval_cs", "src_mac",
                                         "dst", "vrid", "src", "auth_type", "ttl")),
              f"{name}: {key}: {r['packets']} adverts, priority {r['priority']}, "
              f"v{r['version']}, {r['interval_cs']} cs as the whole capture "
              f"({w['packets']}, {w['priority']}, v{w['version']}, {w['interval_cs']})")
        check(r["bad_checksum"] == 0 and r["address_changes"] == w["address_changes"] and
              r["priority_changes"] == w["priority_changes"],
              f"{name}: {key}: no bad checksum, no address or priority change invented")
        if e["list_whole"]:
            check(r["addresses"] == w["addresses"] and not r.get("addresses_cut"),
                  f"{name}: {key}: the whole address list {r['addresses']}")
        else:
            check(r.get("addresses_cut") is True and
                  r["addresses"] == w["addresses"][:len(r["addresses"])] and
                  len(r["addresses"]) < len(w["addresses"]),
                  f"{name}: {key}: the address list flagged cut, what was seen a prefix "
                  f"({r['addresses']})")
        if affected and r["packets"] == r.get("cut_adverts"):
            check(r["checksum"] == "not_verified", f"{name}: {key}: checksum not_verified")

    notes = [x["message"] for x in of_type(part, "note") if "capture was cut" in x["message"]]
    text = replay(vw, path, args, json_out=False)
    text_notes = [line for line in text.splitlines() if "capture was cut" in line]
    if affected:
        check(len(notes) == 1 and f"cut at {n} bytes" in notes[0] and "-s 0" in notes[0],
              f"{name}: one JSON note: {notes}")
        check(len(text_notes) == 1 and text_notes[0].startswith("note: ") and
              f"cut at {n} bytes" in text_notes[0], f"{name}: one text note")
    else:
        check(not notes and not text_notes, f"{name}: no note, nothing of VRRP was cut")
    check("truncated" not in text, f"{name}: the text report blames no truncation")
    malformed = [f for f in of_type(part, "finding") if f["kind"] == "malformed"]
    check(len(malformed) == len([f for f in of_type(whole, "finding")
                                 if f["kind"] == "malformed"]),
          f"{name}: no malformed finding of its own")
    if same_findings:
        fw = sorted(finding_key(f) for f in of_type(whole, "finding"))
        fp = sorted(finding_key(f) for f in of_type(part, "finding"))
        check(fw == fp, f"{name}: the findings of the whole capture {[f[0] for f in fw]} "
              f"(cut: {[f[0] for f in fp]})")
    return path


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vw, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.chdir(root)
    # (capture, cuts, cuts whose findings must equal the whole capture's)
    cases = [
        ("pcaps/healthy/capture.pcap", (38, 42, 46, 50, 64, 96), (38, 42, 46, 50, 64, 96)),
        ("pcaps/collision/capture.pcap", (38, 42, 46, 64, 96), (46, 64, 96)),
        ("pcaps/unicast/capture.pcap", (38, 44, 64, 96), (38, 44, 64, 96)),
        # 45 cuts the address of every advert: the pair is not compared
        ("pcaps/version_mismatch/capture.pcap", (38, 42, 45, 46, 64, 96), (46, 64, 96)),
        ("pcaps/ipv6/capture.pcap", (38, 64, 78, 96), (64, 78, 96)),
        ("pcaps/snaplen/mixed.pcap", (38, 64, 96), (38, 64, 96)),
    ]
    with tempfile.TemporaryDirectory(prefix="vw-snaplen.") as tmp:
        for capture, cuts, same in cases:
            for n in cuts:
                one_cut(vw, tmp, capture, arguments(root, capture), n, n in same)
        # some records cut, some whole: the whole lists stand, nothing changed
        for what, which in (("every other round", lambda i: (i // 6) % 2 == 0),
                            ("the first half", lambda i: i < 15),
                            ("the second half", lambda i: i >= 15)):
            path = os.path.join(tmp, "some.pcap")
            cut("pcaps/snaplen/mixed.pcap", path, 64, which)
            whole = {row_key(r): r for r in of_type(replay(vw, "pcaps/snaplen/mixed.pcap",
                                                           ["--no-config"]), "advertiser")}
            part = replay(vw, path, ["--no-config"])
            rows = of_type(part, "advertiser")
            for r in rows:
                w = whole[row_key(r)]
                check(r["addresses"] == w["addresses"] and not r.get("addresses_cut") and
                      r["address_changes"] == 0 and r["priority_changes"] == 0 and
                      r["checksum"] == w["checksum"] and r["bad_checksum"] == 0,
                      f"mixed.pcap, {what} cut at 64: {row_key(r)}: the whole list and "
                      f"checksum variant stand, no change ({r['addresses']}, "
                      f"{r['checksum']})")
            check(len(rows) == 6 and not of_type(part, "finding"),
                  f"mixed.pcap, {what} cut at 64: 6 advertisers, no finding")
        # the other readers: libpcap, and pcapng's interface snaplen
        path = one_cut(vw, tmp, "pcaps/snaplen/mixed.pcap", ["--no-config"], 64, True)
        own = replay(vw, path, ["--no-config"])
        check(replay(vw, path, ["--no-config"], reader="libpcap") == own,
              "mixed.pcap cut at 64: libpcap gives the same report")
        if shutil.which("editcap"):
            ng = os.path.join(tmp, os.path.basename(path))
            ng = ng.replace(".pcap", ".pcapng")
            subprocess.run(["editcap", "-F", "pcapng", "-s", "64", "pcaps/snaplen/mixed.pcap",
                            ng], check=True, capture_output=True)
            recs = replay(vw, ng, ["--no-config"])
            strip = lambda rs: [{k: v for k, v in r.items() if k not in ("interface", "file",
                                                                          "files")}
                                for r in rs]
            check(strip(recs) == strip(own), "mixed.pcap cut at 64 by editcap, as pcapng: "
                  "the same report")
        else:
            print("skip pcapng: editcap is not installed")
    print(f"{len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
