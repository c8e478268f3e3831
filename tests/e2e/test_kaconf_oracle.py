#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vrrpwatch reads every test and sample keepalived.conf as keepalived does.

Runs tests/kaconf/oracle_compare.py (keepalived 2.2.7 itself, in a private
network namespace, dumping its VRRP topology) on each config and requires
field-by-field agreement with `vrrpwatch --show-config --json`.

usage: test_kaconf_oracle.py VRRPWATCH SOURCE_ROOT
Exit 77 where keepalived or root is missing, unless VRRPWATCH_NO_SKIP is set.
"""
import glob
import os
import subprocess
import sys


def main():
    vrrpwatch, root = sys.argv[1], sys.argv[2]
    script = os.path.join(root, "tests", "kaconf", "oracle_compare.py")
    configs = sorted(glob.glob(os.path.join(root, "tests", "kaconf", "*.conf")) +
                     glob.glob(os.path.join(root, "pcaps", "*", "keepalived.conf")))
    cmd = f"{vrrpwatch} --show-config --json -c {{config}} --config-id {{id}}"
    agree = differ = 0
    for conf in configs:
        p = subprocess.run([sys.executable, script, cmd, conf], capture_output=True,
                           text=True, timeout=120)
        if p.returncode == 77:
            why = (p.stdout + p.stderr).strip().splitlines()[-1:] or ["cannot run"]
            if os.environ.get("VRRPWATCH_NO_SKIP"):
                print(f"FAIL: {why[0]} (VRRPWATCH_NO_SKIP is set)")
                return 1
            print(f"SKIP: {why[0]}")
            return 77
        if p.returncode == 0:
            agree += 1
        else:
            differ += 1
            print(f"FAIL {os.path.relpath(conf, root)}:\n{p.stdout}{p.stderr}")
    print(f"{agree} configs read as keepalived reads them, {differ} differ")
    return 1 if differ or not agree else 0


if __name__ == "__main__":
    sys.exit(main())
