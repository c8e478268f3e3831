#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every scenario of the real-incident lab gives the findings keepalived's
own logs imply.

pcaps/lab/<scenario>/ holds a capture of real keepalived daemons made by
tools/lab/lab, the local node's keepalived.conf, the truth taken from
keepalived's logs (truth.json) and expected-findings, derived from that
truth (one "kind severity" per line).  Each is replayed with its
capture.args (the local address and the group, --peer) and must give
exactly those findings and the exit status they imply.  Scenarios listed in
pcaps/lab/known-differences are printed as KNOWN, and fail the test when
they start to agree (so that the list only shrinks).

usage: test_lab_findings.py VRRPWATCH SOURCE_ROOT
"""
import glob
import json
import os
import subprocess
import sys


def known(lab):
    path = os.path.join(lab, "known-differences")
    out = {}
    for line in open(path) if os.path.exists(path) else []:
        if line.strip() and not line.startswith("#"):
            name, why = line.split(None, 1)
            out[name] = why.strip()
    return out


def expected(path):
    want = []
    for line in open(path):
        line = line.split("#")[0].replace("?", "").strip()
        if line:
            want.append(tuple(line.split()[:2]))
    return sorted(want)


def replay(vrrpwatch, d):
    args = [vrrpwatch, "-r", os.path.join(d, "capture.pcap"), "--json",
            "-c", os.path.join(d, "keepalived.conf")]
    args += open(os.path.join(d, "capture.args")).read().split()
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    got = sorted((r["kind"], r["severity"]) for r in map(json.loads, p.stdout.splitlines())
                 if r["type"] == "finding")
    return got, p.returncode


def main():
    vrrpwatch, root = sys.argv[1], sys.argv[2]
    lab = os.path.join(root, "pcaps", "lab")
    skip = known(lab)
    checked = failed = 0
    for exp in sorted(glob.glob(os.path.join(lab, "*", "expected-findings"))):
        d = os.path.dirname(exp)
        name = os.path.basename(d)
        want = expected(exp)
        got, rc = replay(vrrpwatch, d)
        status = 1 if any(s in ("critical", "warning") for _, s in want) else 0
        agrees = got == want and rc == status
        checked += 1
        if name in skip:
            if agrees:
                failed += 1
                print(f"FAIL {name}: now agrees with keepalived; remove it from known-differences")
            else:
                print(f"KNOWN {name}: expected {want}, got {got}: {skip[name]}")
            continue
        if not agrees:
            failed += 1
            print(f"FAIL {name}: expected {want} (exit {status}), got {got} (exit {rc})")
        else:
            print(f"ok   {name}: {', '.join(k + ' ' + s for k, s in want) or 'no findings'}")
    print(f"{checked} lab scenarios replayed, {len(skip)} known differences, {failed} failed")
    return 1 if failed or checked < 30 else 0


if __name__ == "__main__":
    sys.exit(main())
