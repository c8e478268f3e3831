#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The README shows what the tool prints.

Runs the vrrpwatch command of the README's "Try it" section (the part after
the build) and compares its output with the block under "What the output
looks like", and its exit status with the one the README states.

usage: test_readme_example.py VRRPWATCH SOURCE_ROOT
"""
import os
import re
import shlex
import subprocess
import sys


def main():
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    readme = open(os.path.join(root, "README.md")).read()
    try_it = re.search(r"## Try it.*?```sh\n(.*?)\n```(.*?)\n## ", readme, re.S)
    shown = re.search(r"## What the output looks like.*?```\n(.*?)```", readme, re.S)
    if not try_it or not shown:
        print("FAIL: README has no 'Try it' command or no example output")
        return 1
    command = try_it.group(1).split("&&")[-1].strip()
    args = shlex.split(command)
    if args[0] != "build/src/vrrpwatch":
        print(f"FAIL: the last step of 'Try it' is not vrrpwatch: {command}")
        return 1
    status = re.search(r"exit status (\d)", try_it.group(2))
    p = subprocess.run([vrrpwatch] + args[1:], cwd=root, capture_output=True, text=True,
                       timeout=60)
    ok = True
    if p.stdout != shown.group(1):
        ok = False
        print("FAIL: the README's example output differs from what vrrpwatch prints:")
        print(p.stdout)
    if not status or int(status.group(1)) != p.returncode:
        ok = False
        print(f"FAIL: exit status {p.returncode}, README says "
              f"{status.group(1) if status else 'nothing'}")
    print(f"{command}: " + ("as the README shows" if ok else "differs"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
