#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prometheus' own tools on what vrrpwatch ships.

  metrics  `promtool check metrics` on every golden textfile
           (pcaps/**/*.expected.prom): test_prom_golden.py holds the output to
           them, this holds them to Prometheus' linter (HELP and TYPE, _total
           on counters, base units, label syntax).
  rules    `promtool check rules` on src/dist/vrrpwatch.rules.yml and
           vrrpwatch.fleet.rules.yml, and `promtool test rules` on
           tests/prom/vrrpwatch.rules.test.yml and vrrpwatch.fleet.rules.test.yml
           (series shaped like vrrpwatch's output; the fleet's from several
           hosts of two segments).

Skips (77) without promtool (Debian: prometheus), unless VRRPWATCH_NO_SKIP is
set; then a missing tool is a failure.

usage: test_promtool.py metrics|rules SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys


def goldens(root):
    for d, _, files in sorted(os.walk(os.path.join(root, "pcaps"))):
        for f in sorted(files):
            if f.endswith(".expected.prom"):
                yield os.path.join(d, f)


def run(argv, stdin=None):
    p = subprocess.run(argv, stdin=stdin, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def check_metrics(promtool, root):
    checked = failed = 0
    for path in goldens(root):
        with open(path, "rb") as f:
            rc, out = run([promtool, "check", "metrics"], stdin=f)
        checked += 1
        if rc or out.strip():  # lint findings are printed even when harmless
            failed += 1
            print(f"FAIL {path}:\n{out}")
    print(f"{checked} golden textfiles checked with promtool, {failed} failed")
    return 1 if failed or not checked else 0


def check_rules(promtool, root):
    status = 0
    for argv in ([promtool, "check", "rules", os.path.join(root, "src/dist/vrrpwatch.rules.yml"),
                  os.path.join(root, "src/dist/vrrpwatch.fleet.rules.yml")],
                 [promtool, "test", "rules",
                  os.path.join(root, "tests/prom/vrrpwatch.rules.test.yml"),
                  os.path.join(root, "tests/prom/vrrpwatch.fleet.rules.test.yml")]):
        rc, out = run(argv)
        print(out.rstrip())
        status |= rc
    return 1 if status else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("metrics", "rules"):
        print(__doc__)
        return 2
    promtool = shutil.which("promtool")
    if not promtool:
        print("promtool not found (apt-get install prometheus)")
        return 1 if os.environ.get("VRRPWATCH_NO_SKIP") else 77
    if sys.argv[1] == "metrics":
        return check_metrics(promtool, sys.argv[2])
    return check_rules(promtool, sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
