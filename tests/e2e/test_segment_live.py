#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live segment label: two hosts on one L2 segment get the same one.

Two network namespaces joined by a veth pair, each with a VLAN 100
interface on it (the segment), numbered differently: host a 198.18.5.1/24
and fd00:5::1/64, host b 198.18.5.2/24, fd00:5::2/64 and a keepalived-like
virtual address 198.18.5.100/32.  vrrpwatch watches the VLAN interface in
each (libpcap backend, 2 s) and writes a textfile.  Checked:
  - both say vrrpwatch_segment_info{segment="198.18.5.0/24 fd00:5::/64 vlan 100"}:
    networks, sorted, the /32 and fe80::/64 left out, the VLAN added (where
    the kernel has no VLAN interfaces, the veth itself, without the VLAN);
  - --segment IFACE=NAME overrides it for that interface.

198.18.0.0/15 and fd00::/8 addresses only, namespaces removed at the end.
Needs root and ip(8): skips (77) without them unless VRRPWATCH_NO_SKIP.

usage: test_segment_live.py VRRPWATCH
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prom_e2e  # noqa: E402

WANT = "198.18.5.0/24 fd00:5::/64 vlan 100"


def sh(*argv):
    subprocess.run(argv, check=True, timeout=30, capture_output=True)


def segment_info(vrrpwatch, ns, dev, tmp, extra=()):
    path = os.path.join(tmp, f"{ns}.prom")
    subprocess.run(["ip", "netns", "exec", ns, vrrpwatch, "-i", dev, "--backend", "pcap",
                    "--no-config", "--duration", "2s", "--prom-file", path, *extra],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    with open(path) as f:
        samples, _ = prom_e2e.parse(f.read())
    return sorted(dict(k[1]).get("segment", "") for k in samples
                  if k[0] == "vrrpwatch_segment_info")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    vrrpwatch = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("needs root and ip(8) for network namespaces")
        return 1 if os.environ.get("VRRPWATCH_NO_SKIP") else 77
    tag = f"vws{os.getpid() % 100000}"
    ns = (f"{tag}a", f"{tag}b")
    ok = True
    try:
        for n in ns:
            sh("ip", "netns", "add", n)
        sh("ip", "link", "add", ns[0], "netns", ns[0], "type", "veth", "peer", "name", ns[1],
           "netns", ns[1])
        addrs = ((("198.18.5.1/24",), ("fd00:5::1/64",)),
                 (("198.18.5.2/24", "198.18.5.100/32"), ("fd00:5::2/64",)))
        devs = []
        for n, (v4, v6) in zip(ns, addrs):
            sh("ip", "-n", n, "link", "set", n, "up")
            dev = f"{n}.100"
            try:
                sh("ip", "-n", n, "link", "add", "link", n, "name", dev, "type", "vlan", "id",
                   "100")
            except subprocess.CalledProcessError:  # no 8021q in this kernel
                dev = n
            sh("ip", "-n", n, "link", "set", dev, "up")
            for a in v4:
                sh("ip", "-n", n, "addr", "add", a, "dev", dev)
            for a in v6:
                sh("ip", "-n", n, "addr", "add", a, "dev", dev, "nodad")
            devs.append(dev)
        want = WANT if devs[0] != ns[0] else WANT.replace(" vlan 100", "")
        if devs[0] == ns[0]:
            print("no VLAN interfaces here (8021q): the veth itself, without a VLAN")
        with tempfile.TemporaryDirectory(prefix="vw-segment-live.") as tmp:
            got = [segment_info(vrrpwatch, n, dev, tmp) for n, dev in zip(ns, devs)]
            named = segment_info(vrrpwatch, ns[1], devs[1], tmp,
                                 ("--segment", f"{devs[1]}=dc1-vlan100"))
    except (subprocess.SubprocessError, OSError) as e:
        print(f"FAIL {e}")
        return 1
    finally:
        for n in ns:
            subprocess.run(["ip", "netns", "del", n], timeout=30, capture_output=True)
    print(f"host a: {got[0]}, host b: {got[1]}; --segment IFACE=NAME: {named}")
    if got != [[want], [want]]:
        print(f"FAIL want {want!r} on both hosts")
        ok = False
    if named != ["dc1-vlan100"]:
        print("FAIL --segment IFACE=NAME did not name the interface's segment")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
