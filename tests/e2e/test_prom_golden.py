#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Replay every sample capture with --prom-file and compare the textfile
with its golden NAME.expected.prom beside the capture.

The captures, their arguments (-c keepalived.conf or --no-config, NAME.args)
and the working directory are those of test_replay_golden.py, so the
goldens do not depend on where the tree lives.

usage: test_prom_golden.py VRRPWATCH SOURCE_ROOT [--update]
--update rewrites the goldens (for humans, after an intended change).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_replay_golden as replay  # noqa: E402


def render(vrrpwatch, root, args, out):
    p = subprocess.run([vrrpwatch] + args + ["--prom-file", out], cwd=root,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       timeout=60, env=dict(os.environ, TZ="UTC"))
    if p.returncode not in (0, 1, 2) or not os.path.exists(out):
        return None, f"exit {p.returncode}: {p.stderr.strip()}"
    with open(out) as f:
        return f.read(), None


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = "--update" in sys.argv[3:]
    compared = failed = 0
    with tempfile.TemporaryDirectory(prefix="vw-prom-golden.") as tmp:
        for capture in replay.captures(root):
            golden = os.path.join(root, replay.stem(capture))
            # the same set of captures as the text and JSON goldens
            if not os.path.exists(golden + ".expected.txt"):
                continue
            text, err = render(vrrpwatch, root, replay.arguments(root, capture),
                               os.path.join(tmp, "vrrpwatch.prom"))
            compared += 1
            if text is None:
                print(f"FAIL {capture}: no textfile ({err})")
                failed += 1
            elif not replay.check(golden + ".expected.prom", text, update):
                print(f"FAIL {capture}: textfile differs from its golden file")
                failed += 1
    print(f"{compared} captures replayed against golden textfiles, {failed} differ")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
