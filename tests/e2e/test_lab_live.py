#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live equals offline, and both equal what keepalived logged, on real
incidents: a handful of lab scenarios (tools/lab/scenarios.py) run again with
real keepalived daemons in network namespaces while vrrpwatch watches live
(XDP on an observer port, and on node a itself); the capture of the same run
is replayed, and the findings of every run must have the same kinds and
severities as each other and as the truth of keepalived's logs of that run
(tools/lab/live-compare --strict).  The whole lab runs the same way with
`sudo tools/lab/live-compare build/src/vrrpwatch $(tools/lab/lab --list |
cut -d' ' -f1)`.

Root: skips (77) elsewhere, fails under VRRPWATCH_NO_SKIP=1.

usage: test_lab_live.py VRRPWATCH SOURCE_ROOT
"""
import os
import subprocess
import sys

# a failover, a preemption, the incident, a collision; and a pair that starts
# after the watch: the watch sees the daemons' start-up silence (no_advertiser,
# closed at their first advert), which a capture, whose clock starts with its
# first frame, cannot hold; live-compare lists it apart, and the rest must agree
SCENARIOS = ["origin_incident_int1", "failover_kill_5s", "preempt_5s", "foreign_other_vips_higher",
             "interval_mismatch_v3"]


def main():
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    if os.geteuid() != 0:
        print("lab_live: needs root (network namespaces, keepalived, XDP)")
        return 1 if os.environ.get("VRRPWATCH_NO_SKIP") else 77
    tool = os.path.join(root, "tools", "lab", "live-compare")
    p = subprocess.run([tool, "--strict", "--slot", "6", vrrpwatch] + SCENARIOS, timeout=900)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
