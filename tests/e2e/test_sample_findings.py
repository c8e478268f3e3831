#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Each real sample capture gives exactly the findings its README expects.

The golden files record whatever the tool printed; this test holds it to
what a person decided the capture contains: pcaps/<scenario>/expected-findings
lists one "kind severity" per line (an empty file: no finding at all),
taken from the "Expected findings" of the scenario's README.  Replayed with
its keepalived.conf and the arguments in capture.args.

usage: test_sample_findings.py VRRPWATCH SOURCE_ROOT
"""
import glob
import json
import os
import subprocess
import sys


def main():
    vrrpwatch, root = sys.argv[1], sys.argv[2]
    checked = failed = 0
    for exp in sorted(glob.glob(os.path.join(root, "pcaps", "*", "expected-findings"))):
        d = os.path.dirname(exp)
        want = sorted(tuple(l.split()) for l in open(exp) if l.strip())
        args = [vrrpwatch, "-r", os.path.join(d, "capture.pcap"), "--json",
                "-c", os.path.join(d, "keepalived.conf")]
        if os.path.exists(os.path.join(d, "capture.args")):
            args += open(os.path.join(d, "capture.args")).read().split()
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
        got = sorted((r["kind"], r["severity"]) for r in map(json.loads, p.stdout.splitlines())
                     if r["type"] == "finding")
        status = 1 if any(s in ("critical", "warning") for _, s in want) else 0
        checked += 1
        if got != want or p.returncode != status:
            failed += 1
            print(f"FAIL {os.path.basename(d)}: expected {want} (exit {status}), "
                  f"got {got} (exit {p.returncode})")
    print(f"{checked} samples checked against their expected findings, {failed} differ")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
