#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The lab's truth stays what keepalived logged.

tools/lab/labreport.py turns keepalived's logs (truth.json) and the capture
into the findings a scenario must give (expected-findings).  This checks:
  - when two nodes' MASTER times make two masters (both_master), table-driven:
    a handover whose two log stamps differ by a millisecond is none, a
    MASTER moment inside the other's is one;
  - when an address is claimed with no router advertising it
    (claim_without_master), table-driven from the adverts and announcements
    of real runs: a master by its log whose advert timer the other master's
    adverts kept restarting, so that it sent one advert and then only its
    gratuitous ARPs, is one;
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


# (adverts listing the address: (t, priority), announcements of it, capture length,
#  expected?, why); VRRPv2, advert_int 1, so master-down 3.22 s at priority 200
CLAIMS = [
    ([(5.754, 200)], [5.755, 10.756], 22.0, True,
     "foreign_other_vips_higher as CI ran it once: e MASTER by its log from 5.8 s, one "
     "advert, its 5 s gratuitous ARP refresh with no advert (a's adverts restarted its timer)"),
    ([(5.786, 200), (13.789, 200), (15.790, 200), (17.791, 200), (19.791, 200)],
     [5.787, 10.788], 22.0, False,
     "the same scenario in another run: e silent 8 s, under its 10 s episode, then advertising"),
    ([(5.754, 200)], [5.755, 10.756], 15.0, False, "the capture ends before the episode does"),
    ([(5.754, 200)], [5.755, 7.0], 22.0, False,
     "announced within the master-down interval of its last advert"),
    ([(1.0, 200)], [50.0], 60.0, True, "announced long after the only advert"),
    ([(1.0, 200), (9.0, 200), (17.0, 200), (25.0, 200), (33.0, 200)], [5.0], 60.0, False,
     "announced at 5 s by an advertiser silent 8 s at a time: in its episode until the "
     "claim is 30 s old"),
    ([(1.0, 200), (9.0, 200), (17.0, 200)], [5.0], 60.0, True,
     "the same advertiser stops at 17 s: its episode ends at 27 s, the claim is 22 s old"),
    ([], [2.0], 10.0, True, "announced with no advert at all, the local config's address"),
    ([], [2.0], 10.0, False, "announced with no advert at all, an address nobody watches"),
]


def check_claims(labreport):
    bad = 0
    for adverts, claims, dur, want, why in CLAIMS:
        fr = [{"at": 100.0 + t, "prio": p, "ver": 2, "int_cs": 100, "addrs": "198.18.0.150"}
              for t, p in adverts]
        ann = [{"at": 100.0 + t, "mac": "02:00:00:00:00:05", "addr": "198.18.0.150"}
               for t in claims]
        out = []
        vips = ["198.18.0.150/24"] if "local config" in why else ["198.18.0.100/24"]
        run = {"t0": 100.0, "local": "a", "nodes": {"a": {"vips": vips}}}
        labreport.claim_without_master(run, fr, ann, "198.18.0.150",
                                       {"e": [(5.7, dur)]}, ["e"], dur,
                                       lambda *a, **kw: out.append(a[0]))
        if bool(out) != want:
            print("FAIL claim_without_master %s: got %s, want %s" % (why, bool(out), want))
            bad += 1
    print("claim_without_master: %d cases, %d wrong" % (len(CLAIMS), bad))
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
    bad = (check_both_master(labreport) + check_claims(labreport) +
           check_samples(labreport, root))
    print("%d failed" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
