#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Replay every sample capture and compare with its golden output.

For each capture under pcaps/ with golden files beside it:
  NAME.expected.txt    the terminal report, then stderr and the exit status
  NAME.expected.jsonl  the --json report
vrrpwatch runs from the source root with the capture's relative path (so
the goldens do not depend on where the tree lives), with -c keepalived.conf
when the capture's directory has one, and with the extra arguments listed in
NAME.args when that file exists.

usage: test_replay_golden.py VRRPWATCH SOURCE_ROOT [--update]
--update rewrites the goldens (for humans, after an intended change).
"""
import difflib
import os
import subprocess
import sys


def captures(root):
    for d, _, files in sorted(os.walk(os.path.join(root, "pcaps"))):
        for f in sorted(files):
            if f.endswith((".pcap", ".pcapng")):
                yield os.path.relpath(os.path.join(d, f), root)


def stem(path):
    return path.rsplit(".", 1)[0]


def arguments(root, capture):
    args = ["-r", capture]
    conf = os.path.join(os.path.dirname(capture), "keepalived.conf")
    if os.path.exists(os.path.join(root, conf)):
        args += ["-c", conf]
    else:  # never the machine's own /etc/keepalived/keepalived.conf
        args += ["--no-config"]
    extra = os.path.join(root, stem(capture) + ".args")
    if os.path.exists(extra):
        with open(extra) as f:
            args += f.read().split()
    return args


def run(vrrpwatch, root, args):
    p = subprocess.run([vrrpwatch] + args, cwd=root, capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, TZ="UTC"))
    return p


def render_text(p):
    return p.stdout + "--- stderr ---\n" + p.stderr + f"--- exit {p.returncode} ---\n"


def check(path, actual, update):
    if update:
        with open(path, "w") as f:
            f.write(actual)
        return True
    with open(path) as f:
        expected = f.read()
    if expected == actual:
        return True
    sys.stdout.writelines(difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True), path, "actual"))
    return False


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    compared = failed = 0
    for capture in captures(root):
        golden = os.path.join(root, stem(capture))
        if not update and not os.path.exists(golden + ".expected.txt"):
            continue
        args = arguments(root, capture)
        ok = check(golden + ".expected.txt", render_text(run(vrrpwatch, root, args)), update)
        ok &= check(golden + ".expected.jsonl", run(vrrpwatch, root, args + ["--json"]).stdout,
                    update)
        compared += 1
        if not ok:
            failed += 1
            print(f"FAIL {capture}: output differs from its golden files")
    print(f"{compared} captures replayed against golden output, {failed} differ")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
