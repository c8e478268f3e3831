#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Send crafted VRRPv2 adverts, tagged and untagged, out of IFACE (AF_PACKET).

usage: /usr/bin/python3 inject_vrrp.py IFACE ROUNDS [SLOW_EVERY]

The 8021q module is missing here, so tagged frames are made by hand:
  198.18.8.1  VRID 10  untagged
  198.18.8.2  VRID 11  802.1Q VID 100 in the frame
  198.18.8.3  VRID 12  802.1ad 200 + 802.1Q 100 in the frame
  198.18.9.9  VRID 20  untagged: tests/vlan_pusher tags it VID 300 on egress
Each ROUNDS times, 100 ms apart.  With SLOW_EVERY (whole seconds), also,
every SLOW_EVERY seconds while the rounds last, from the first round on:
  198.18.7.7  VRID 10  untagged, advert_int SLOW_EVERY, priority 50, the
              address of 198.18.8.1's: a slow router of its virtual
              router (an interval_mismatch)
Needs Debian's python3-scapy.
"""
import sys
import time

from scapy.all import Dot1AD, Dot1Q, Ether, IP, sendp
from scapy.layers.vrrp import VRRP

MCAST = "01:00:5e:00:00:12"


def advert(src, vrid, mac, adv=1, priority=100, vip=None):
    return (IP(src=src, dst="224.0.0.18", ttl=255, proto=112) /
            VRRP(version=2, vrid=vrid, priority=priority, ipcount=1, authtype=0, adv=adv,
                 addrlist=[vip or src.rsplit(".", 1)[0] + ".100"]))


def frames():
    mac = "02:00:00:00:08:01"
    return [
        Ether(src=mac, dst=MCAST) / advert("198.18.8.1", 10, mac),
        Ether(src=mac, dst=MCAST) / Dot1Q(vlan=100) / advert("198.18.8.2", 11, mac),
        Ether(src=mac, dst=MCAST, type=0x88a8) / Dot1AD(vlan=200) / Dot1Q(vlan=100) /
        advert("198.18.8.3", 12, mac),
        Ether(src=mac, dst=MCAST) / advert("198.18.9.9", 20, mac),
    ]


def slow_frame(every):
    mac = "02:00:00:00:07:07"
    return Ether(src=mac, dst=MCAST) / advert("198.18.7.7", 10, mac, adv=every, priority=50,
                                              vip="198.18.8.100")


def main():
    iface, rounds = sys.argv[1], int(sys.argv[2])
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    fs = frames()
    slow, next_slow = slow_frame(every) if every else None, time.monotonic()
    for _ in range(rounds):
        out = list(fs)
        if slow is not None and time.monotonic() >= next_slow:
            out.append(slow)
            next_slow += every
        sendp(out, iface=iface, verbose=False)
        time.sleep(0.1)


if __name__ == "__main__":
    main()
