#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Send crafted VRRPv2 adverts, tagged and untagged, out of IFACE (AF_PACKET).

usage: /usr/bin/python3 inject_vrrp.py IFACE ROUNDS

The 8021q module is missing here, so tagged frames are made by hand:
  198.18.8.1  VRID 10  untagged
  198.18.8.2  VRID 11  802.1Q VID 100 in the frame
  198.18.8.3  VRID 12  802.1ad 200 + 802.1Q 100 in the frame
  198.18.9.9  VRID 20  untagged: tests/vlan_pusher tags it VID 300 on egress
Each ROUNDS times, 100 ms apart.  Needs Debian's python3-scapy.
"""
import sys
import time

from scapy.all import Dot1AD, Dot1Q, Ether, IP, sendp
from scapy.layers.vrrp import VRRP

MCAST = "01:00:5e:00:00:12"


def advert(src, vrid, mac):
    return (IP(src=src, dst="224.0.0.18", ttl=255, proto=112) /
            VRRP(version=2, vrid=vrid, priority=100, ipcount=1, authtype=0, adv=1,
                 addrlist=[src.rsplit(".", 1)[0] + ".100"]))


def frames():
    mac = "02:00:00:00:08:01"
    return [
        Ether(src=mac, dst=MCAST) / advert("198.18.8.1", 10, mac),
        Ether(src=mac, dst=MCAST) / Dot1Q(vlan=100) / advert("198.18.8.2", 11, mac),
        Ether(src=mac, dst=MCAST, type=0x88a8) / Dot1AD(vlan=200) / Dot1Q(vlan=100) /
        advert("198.18.8.3", 12, mac),
        Ether(src=mac, dst=MCAST) / advert("198.18.9.9", 20, mac),
    ]


def main():
    iface, rounds = sys.argv[1], int(sys.argv[2])
    fs = frames()
    for _ in range(rounds):
        sendp(fs, iface=iface, verbose=False)
        time.sleep(0.1)


if __name__ == "__main__":
    main()
