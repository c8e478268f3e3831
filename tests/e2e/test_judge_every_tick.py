#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The change-driven detector gives what judging every domain at every tick gives.

src/detect/judge.c judges a collision domain again only when something in
it changed, and raises again what its last judgment raised otherwise.
VRRPWATCH_JUDGE_EVERY_TICK=1 turns that off.  Every sample capture (with
its keepalived.conf and arguments, as the golden test runs it) must give
the same terminal report, the same --json report and the same Prometheus
textfile both ways, byte for byte.

usage: test_judge_every_tick.py VRRPWATCH SOURCE_ROOT
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_replay_golden import arguments, captures  # noqa: E402


def run(vrrpwatch, root, args, every):
    env = dict(os.environ, TZ="UTC")
    env.pop("VRRPWATCH_JUDGE_EVERY_TICK", None)
    if every:
        env["VRRPWATCH_JUDGE_EVERY_TICK"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        prom = os.path.join(tmp, "out.prom")
        p = subprocess.run([vrrpwatch] + args + ["--prom-file", prom], cwd=root,
                           capture_output=True, text=True, timeout=60, env=env)
        text = p.stdout + p.stderr + f"exit {p.returncode}\n"
        if os.path.exists(prom):
            with open(prom) as f:
                text += f.read()
    return text


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    compared = failed = 0
    for capture in captures(root):
        for extra in ([], ["--json"]):
            args = arguments(root, capture) + extra
            a = run(vrrpwatch, root, args, False)
            b = run(vrrpwatch, root, args, True)
            compared += 1
            if a != b:
                failed += 1
                print(f"FAIL {' '.join(args)}: differs from VRRPWATCH_JUDGE_EVERY_TICK=1")
    print(f"{compared} replays compared with every domain judged at every tick, "
          f"{failed} differ")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
