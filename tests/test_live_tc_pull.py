#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The TC egress program pulls an skb's headers into its linear part for
VRRP candidates alone, and decodes them right.

usage: test_live_tc_pull.py VRRPWATCH

A packet socket's frame longer than a page keeps only its link header in
the skb's linear part, the rest in pages: what the TC program sees of
such a frame in place is 14 bytes.  Namespace S sends, through a veth
pair (MTU 9000) to R, frames made with Debian's scapy: large frames that are not VRRP
(TCP, UDP, ARP, an 802.1Q-tagged TCP), small VRRP adverts (all linear)
and large ones (a VRRPv2 and a VRRPv3 advert padded past a page, an
802.1Q-tagged one).  vrrpwatch on S (tx) with tcx and with the clsact
fallback must count exactly the large adverts as pulled (tc_pulls in the
capture record), and report every advert with the right count, VLAN and
direction.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, require_root_tools, skip_or_fail  # noqa: E402

SCAPY_PY = "/usr/bin/python3"  # Debian's, with python3-scapy
PAD = 5000  # bytes of trailer: past a page, so the frame is not linear

SENDER = r"""
import socket
import sys
from scapy.all import ARP, Dot1Q, Ether, IP, IPv6, TCP, UDP
from scapy.layers.vrrp import VRRP, VRRPv3
pad = b"\0" * int(sys.argv[2])  # a trailer past the IP datagram
mac, bc = "02:00:00:00:07:01", "ff:ff:ff:ff:ff:ff"
m4, m6 = "01:00:5e:00:00:12", "33:33:00:00:00:12"
def v2(src):
    return (IP(src=src, dst="224.0.0.18", ttl=255, proto=112) /
            VRRP(version=2, vrid=70, priority=100, ipcount=1, authtype=0, adv=1,
                 addrlist=["198.18.7.100"]))
v3 = (IPv6(src="fd00::7:3", dst="ff02::12", hlim=255, nh=112) /
      VRRPv3(version=3, vrid=71, priority=100, ipcount=1, adv=100, addrlist=["fd00::7:100"]))
tcp = IP(src="198.18.7.9", dst="198.18.7.10") / TCP(sport=1234, dport=80)
udp = IP(src="198.18.7.9", dst="198.18.7.10") / UDP(sport=1234, dport=53)
frames = (
    [bytes(Ether(src=mac, dst=bc) / tcp) + pad] * 30 +
    [bytes(Ether(src=mac, dst=bc) / udp) + pad] * 30 +
    [bytes(Ether(src=mac, dst=bc) / ARP(psrc="198.18.7.9", pdst="198.18.7.10")) + pad] * 10 +
    [bytes(Ether(src=mac, dst=bc) / Dot1Q(vlan=100) / tcp) + pad] * 10 +
    [bytes(Ether(src=mac, dst=bc) / tcp)] * 30 +
    [bytes(Ether(src=mac, dst=m4) / v2("198.18.7.1"))] * 10 +
    [bytes(Ether(src=mac, dst=m4) / v2("198.18.7.2")) + pad] * 20 +
    [bytes(Ether(src=mac, dst=m6) / v3) + pad] * 10 +
    [bytes(Ether(src=mac, dst=m4) / Dot1Q(vlan=100) / v2("198.18.7.4")) + pad] * 5)
assert all(len(f) > 4096 for f in frames[:80])
# a plain packet socket: a frame over a page is not linear
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for f in frames:
    s.send(f)
"""
# src -> (adverts, VLANs, pulled)
EXPECT = {"198.18.7.1": (10, [], False), "198.18.7.2": (20, [], True),
          "fd00::7:3": (10, [], True), "198.18.7.4": (5, [100], True)}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def pair(lab):
    lab.add_ns("s")
    lab.add_ns("r")
    subprocess.run(["ip", "link", "add", "eth0", "mtu", "9000", "netns", lab.ns("s"), "type",
                    "veth", "peer", "name", "eth0", "mtu", "9000", "netns", lab.ns("r")],
                   check=True)
    for n in ("s", "r"):
        subprocess.run(["ip", "-n", lab.ns(n), "link", "set", "eth0", "up"], check=True)


def case(lab, vrrpwatch, sender, mode):
    env = ["env", "VRRPWATCH_TC_ATTACH=clsact"] if mode == "clsact" else []
    p = lab.spawn("s", env + [vrrpwatch, "-i", "eth0", "--no-config", "--json", "--backend",
                              "xdp", "--duration", "5s"], f"pull-{mode}", secs=60)
    if not p.wait_stderr(rf"egress {'clsact' if mode == 'clsact' else 'tcx'}", 20):
        fail(f"{mode}: vrrpwatch did not attach as expected: {p.stderr_text()}")
        p.stop()
        return
    lab.run("s", SCAPY_PY, sender, "eth0", str(PAD))
    try:
        p.p.wait(30)
    except subprocess.TimeoutExpired:
        fail(f"{mode}: vrrpwatch did not end with --duration")
    p.stop()
    adv, cap = {}, None
    for _, line in p.lines:
        r = json.loads(line)
        if r["type"] == "advertiser" and "event" not in r:
            adv[r["src"]] = r
        elif r["type"] == "capture":
            cap = r
    if not cap:
        fail(f"{mode}: no capture record: {p.stderr_text()}")
        return
    want_pulls = sum(n for n, _, pulled in EXPECT.values() if pulled)
    print(f"{mode}: tc_pulls {cap['tc_pulls']} (want {want_pulls}), "
          f"advertisers {sorted((s, r['packets'], r['direction']) for s, r in adv.items())}")
    if cap["tc_pulls"] != want_pulls:
        fail(f"{mode}: {cap['tc_pulls']} frames pulled, not {want_pulls} (the large adverts)")
    if set(adv) != set(EXPECT):
        fail(f"{mode}: advertisers {sorted(adv)}, not {sorted(EXPECT)}")
    for src, (n, vlan, _) in EXPECT.items():
        r = adv.get(src)
        if r and (r["packets"] != n or r["vlan"] != vlan or r["direction"] != "tx"):
            fail(f"{mode}: {src}: {r['packets']} adverts, VLAN {r['vlan']}, "
                 f"{r['direction']}; want {n}, {vlan}, tx")


def main():
    vrrpwatch = os.path.abspath(sys.argv[1])
    require_root_tools("tc")
    if subprocess.run([SCAPY_PY, "-c", "import scapy.layers.vrrp"],
                      capture_output=True).returncode:
        skip_or_fail("Debian's python3-scapy is not installed")
    lab = Lab("tp")
    sender = os.path.join(lab.dir, "send_frames.py")
    with open(sender, "w") as f:
        f.write(SENDER)
    pair(lab)
    for mode in ("tcx", "clsact"):
        case(lab, vrrpwatch, sender, mode)
    lab.close()
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print("only the VRRP candidates that needed it were pulled; every advert counted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
