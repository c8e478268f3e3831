#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The lab's truth stays what keepalived logged.

tools/lab/labreport.py turns keepalived's logs (truth.json) and the capture
into the findings a scenario must give (expected-findings).  This checks:
  - when two nodes' MASTER times make two masters (both_master), table-driven:
    a handover whose two log stamps differ by a millisecond is none, a
    MASTER moment inside the other's is one;
  - every committed sample (pcaps/lab/*) derives again, from its own
    truth.json and capture, exactly the expected-findings it carries, so that
    a change to the derivation shows which samples it moves.

usage: test_lab_truth.py SOURCE_ROOT
"""
import glob
import json
import os
import shutil
import sys

# (MASTER time of x, MASTER time of y, two masters?, why)
CASES = [
    ((16.074, 21.440), (21.439, 24.0), False,
     "handover: the old master's BACKUP stamped 1 ms after the new one's MASTER"),
    ((10.459, 16.0), (5.469, 10.459), False, "handover stamped at the same millisecond"),
    ((-2.085, 30.0), (11.045, 11.046), True, "a 1 ms MASTER time inside the other's"),
    ((0.0, 10.0), (10.0, 10.0), True, "a MASTER moment of no length on the other's edge"),
    ((0.0, 10.0), (5.0, 20.0), True, "five seconds of two masters"),
    ((0.0, 10.0), (9.95, 20.0), True, "50 ms of two masters, more than a handover takes"),
    ((0.0, 10.0), (10.5, 20.0), False, "apart"),
]


def check_both_master(labreport):
    bad = 0
    for (a1, b1), (a2, b2), want, why in CASES:
        for got in (labreport.both_master(a1, b1, a2, b2), labreport.both_master(a2, b2, a1, b1)):
            if got != want:
                print("FAIL both_master %s: got %s, want %s" % (why, got, want))
                bad += 1
    print("both_master: %d cases, %d wrong" % (len(CASES), bad))
    return bad


def derived_lines(labreport, d):
    with open(os.path.join(d, "run.json")) as f:
        run = json.load(f)
    fr = labreport.frames(os.path.join(d, "capture.pcap"))
    truth = labreport.truth_of(d, run, fr)
    run["_announcements"] = labreport.announcements(os.path.join(d, "capture.pcap"))
    return ["%s %s%s\n" % (k, v, "  # ? unsure, see README" if u else "")
            for k, v, w, u in labreport.derive(run, truth, fr)]


def check_samples(labreport, root):
    bad = n = 0
    for d in sorted(glob.glob(os.path.join(root, "pcaps", "lab", "*", ""))):
        if not os.path.exists(os.path.join(d, "run.json")):
            continue
        n += 1
        with open(os.path.join(d, "expected-findings")) as f:
            want = f.readlines()
        got = derived_lines(labreport, d)
        if got != want:
            bad += 1
            print("FAIL %s: derived %s, committed %s" % (os.path.basename(d.rstrip("/")),
                                                        "".join(got).strip().split("\n"),
                                                        "".join(want).strip().split("\n")))
    print("%d lab samples derived again from their truth, %d differ" % (n, bad))
    return bad if n else 1


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    if not shutil.which("tshark"):
        print("SKIP: tshark not installed (apt-get install tshark)")
        return 77
    sys.path.insert(0, os.path.join(root, "tools", "lab"))
    import labreport
    bad = check_both_master(labreport) + check_samples(labreport, root)
    print("%d failed" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
