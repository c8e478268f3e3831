#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The TC egress program pulls an skb's headers into its linear part for
VRRP candidates alone, and decodes them right.

usage: test_live_tc_pull.py VRRPWATCH

A packet socket's frame longer than a page keeps only its link header in
the skb's linear part, the rest in pages: what the TC program sees of
such a frame in place is 14 bytes.  With PACKET_VNET_HDR, the
virtio_net_hdr's hdr_len sets the linear part instead (as a virtio NIC's
mergeable buffers hold 64-128 bytes there).  Namespace S sends, through
a veth pair (MTU 9000) to R, frames made with Debian's scapy: large
frames that are not VRRP (TCP, UDP, ARP, an 802.1Q-tagged TCP), small
VRRP adverts (all linear) and large ones (a VRRPv2 and a VRRPv3 advert
padded past a page, an 802.1Q-tagged one, a VRRPv3 advert with 255
addresses); then, with hdr_len 64 or 128, adverts whose headers are
linear but whose address list is not (pulled: the decoder reads the
whole datagram in place), one whose whole datagram is linear and a TCP
frame (neither pulled).  vrrpwatch on S (tx) with tcx and with the
clsact fallback must count exactly the adverts that needed it as pulled
(tc_pulls in the capture record), and report every advert with the
right count, VLAN and direction.
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
import struct
import sys
from scapy.all import ARP, Dot1Q, Ether, IP, IPv6, TCP, UDP
from scapy.layers.vrrp import VRRP, VRRPv3
pad = b"\0" * int(sys.argv[2])  # a trailer past the IP datagram
mac, bc = "02:00:00:00:07:01", "ff:ff:ff:ff:ff:ff"
m4, m6 = "01:00:5e:00:00:12", "33:33:00:00:00:12"
def v2(src, n=1):
    return (IP(src=src, dst="224.0.0.18", ttl=255, proto=112) /
            VRRP(version=2, vrid=70, priority=100, ipcount=n, authtype=0, adv=1,
                 addrlist=["198.18.7.%d" % (100 + i) for i in range(n)]))
def v3(src, n=1):
    return (IPv6(src=src, dst="ff02::12", hlim=255, nh=112) /
            VRRPv3(version=3, vrid=71, priority=100, ipcount=n, adv=100,
                   addrlist=["fd00::7:%x" % (0x100 + i) for i in range(n)]))
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
    [bytes(Ether(src=mac, dst=m6) / v3("fd00::7:3")) + pad] * 10 +
    [bytes(Ether(src=mac, dst=m4) / Dot1Q(vlan=100) / v2("198.18.7.4")) + pad] * 5 +
    # the largest advert: VRRPv3 over IPv6 with 255 addresses (4128 bytes)
    [bytes(Ether(src=mac, dst=m6) / v3("fd00::7:8", 255))] * 4)
assert all(len(f) > 4096 for f in frames[:80] + frames[-4:])
# a plain packet socket: a frame over a page is not linear, the link header
# alone is in the linear part
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for f in frames:
    s.send(f)
# a packet socket with a virtio_net_hdr (PACKET_VNET_HDR): its hdr_len is
# the linear part of a frame over a page, as a virtio NIC's skb holds the
# first 64 or 128 bytes of a frame in its linear part
SOL_PACKET, PACKET_VNET_HDR = 263, 15
v = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
v.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
v.bind((sys.argv[1], 0))
def vsend(frame, hdr_len):
    # flags, gso_type (none), hdr_len, gso_size, csum_start, csum_offset
    v.send(struct.pack("=BBHHHH", 0, 0, hdr_len, 0, 0, 0) + frame)
linear_frames = (
    # the headers (42, 62 bytes) are linear, the address list is not
    [(bytes(Ether(src=mac, dst=m4) / v2("198.18.7.5", 20)) + pad, 64)] * 6 +
    [(bytes(Ether(src=mac, dst=m6) / v3("fd00::7:6", 10)) + pad, 128)] * 7 +
    # the whole datagram (54 bytes) is linear: nothing to pull
    [(bytes(Ether(src=mac, dst=m4) / v2("198.18.7.7")) + pad, 128)] * 8 +
    # not VRRP, its headers linear
    [(bytes(Ether(src=mac, dst=bc) / tcp) + pad, 64)] * 20)
for f, hdr_len in linear_frames:
    vsend(f, hdr_len)
"""
# src -> (adverts, VLANs, pulled)
EXPECT = {"198.18.7.1": (10, [], False), "198.18.7.2": (20, [], True),
          "fd00::7:3": (10, [], True), "198.18.7.4": (5, [100], True),
          "fd00::7:8": (4, [], True), "198.18.7.5": (6, [], True),
          "fd00::7:6": (7, [], True), "198.18.7.7": (8, [], False)}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


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
    lab.veth_pair(mtu=9000)
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
