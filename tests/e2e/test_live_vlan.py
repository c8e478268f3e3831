#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VLANs stay apart in live capture, tags in the frame or offloaded.

usage: test_live_vlan.py VRRPWATCH VLAN_PUSHER INJECT_VRRP_PY

Two namespaces joined by a veth pair: S sends, R receives.  There is no
8021q module, so S sends crafted frames with AF_PACKET (inject_vrrp.py,
with Debian's scapy): untagged, 802.1Q 100, 802.1ad 200 + 802.1Q 100 in the
frame, and one untagged frame that vlan_pusher tags VID 300 on S's egress,
in the skb: with S's tx-vlan-offload on the tag travels beside the frame
(R's XDP needs the driver's metadata, bpf_xdp_metadata_rx_vlan_tag, to see
it), with it off the kernel writes it into the frame.  vrrpwatch watches R
(receiving) and S (sending: its TC program reads the skb's tag), with:
  XDP (device-bound native), S txvlan on and off: every VLAN right;
  XDP generic, S txvlan on: VID 300 is lost, and vrrpwatch says once that
      VLANs on R cannot be told apart;
  libpcap, S txvlan on and off: every VLAN right.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, require_root_tools, skip_or_fail  # noqa: E402

SCAPY_PY = "/usr/bin/python3"  # Debian's, with python3-scapy
ALL_TAGS = {"198.18.8.1": [], "198.18.8.2": [100], "198.18.8.3": [200, 100],
            "198.18.9.9": [300]}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def seen(proc):
    """Source -> (VLAN list, direction) from the closing report."""
    out, hw = {}, None
    for _, line in proc.lines:
        r = json.loads(line)
        if r["type"] == "advertiser" and "event" not in r:
            out[r["src"]] = (r["vlan"], r["direction"])
        elif r["type"] == "capture":
            hw = r["hw_vlan_tags"]
    return out, hw


def case(lab, tools, txvlan, r_args, name, expect_r, blind, from_metadata=False):
    vrrpwatch, pusher, inject = tools
    lab.run("s", "ethtool", "-K", "eth0", "txvlan", txvlan)
    s_backend = "pcap" if "pcap" in r_args else "xdp"
    common = ["--no-config", "--json", "--duration", "5s"]
    r = lab.spawn("r", [vrrpwatch, "-i", "eth0"] + common + r_args, f"{name}-r")
    s = lab.spawn("s", [vrrpwatch, "-i", "eth0", "--backend", s_backend] + common, f"{name}-s")
    for p in (r, s):
        if not p.wait_stderr(r"XDP (native|generic)|libpcap, kernel filter", 20):
            fail(f"{name}: vrrpwatch did not start: {p.stderr_text()}")
            return
    # after vrrpwatch: the pusher goes first in the tcx chain, so S's TC
    # program sees the tag it adds
    push = lab.spawn("s", [pusher, "eth0"], f"{name}-pusher")
    deadline = time.time() + 10
    while not push.lines and time.time() < deadline:
        time.sleep(0.05)
    lab.run("s", SCAPY_PY, inject, "eth0", "3")
    for p in (r, s):
        p.p.wait(30)
        p.stop()
    push.stop()
    got_r, hw_r = seen(r)
    got_s, _ = seen(s)
    want_s = {src: (tags, "tx") for src, tags in ALL_TAGS.items()}
    want_r = {src: (tags, "rx") for src, tags in expect_r.items()}
    if got_r != want_r:
        fail(f"{name}: R saw {got_r}, expected {want_r}")
    if got_s != want_s:
        fail(f"{name}: S (egress) saw {got_s}, expected {want_s}")
    if from_metadata and not hw_r:
        fail(f"{name}: R did not read VID 300 from the NIC metadata (kfunc)")
    said = "cannot be told apart" in r.stderr_text()
    if blind != said:
        fail(f"{name}: the 'cannot be told apart' note {'missing' if blind else 'wrongly given'}")
    print(f"{name}: R {sorted((k, tuple(v[0])) for k, v in got_r.items())}, "
          f"tags from NIC metadata: {hw_r}, note: {said}")


def main():
    tools = tuple(os.path.abspath(a) for a in sys.argv[1:4])
    require_root_tools("ethtool")
    try:
        subprocess.run([SCAPY_PY, "-c", "import scapy.layers.vrrp"], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        skip_or_fail(f"{SCAPY_PY} has no scapy (apt-get install python3-scapy)")
    lab = Lab("vl")
    lab.veth_pair()
    no_300 = dict(ALL_TAGS, **{"198.18.9.9": []})
    case(lab, tools, "on", ["--backend", "xdp"], "xdp-offload-on", ALL_TAGS, False,
         from_metadata=True)
    case(lab, tools, "off", ["--backend", "xdp"], "xdp-offload-off", ALL_TAGS, False)
    case(lab, tools, "on", ["--backend", "xdp", "--xdp-mode", "generic"], "generic-offload-on",
         no_300, True)
    case(lab, tools, "on", ["--backend", "pcap"], "pcap-offload-on", ALL_TAGS, False)
    case(lab, tools, "off", ["--backend", "pcap"], "pcap-offload-off", ALL_TAGS, False)
    lab.close()
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print("VLANs apart: in the frame, in NIC metadata (device-bound XDP), in the skb (TC), "
          "and through libpcap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
