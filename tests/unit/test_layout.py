#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""src/ by stage: no include runs back up a stage.

The stages in data-flow order (src/README.md, "Layout"); a file may include
its own stage and those before it, never one after.  The BPF build sees
src/shared/ alone (bpf/meson.build), so shared headers include only each
other.  A new folder under src/ must be placed in the order here.

usage: test_layout.py SOURCE_ROOT
"""
import os
import re
import sys

ORDER = ["shared", "util", "model", "capture", "kaconf", "detect", "report", "prom",
         "settings", "live", "cli"]
NOT_CODE = {"dist"}


def main():
    src = os.path.join(sys.argv[1], "src")
    rank = {s: i for i, s in enumerate(ORDER)}
    bad = []
    for st in sorted(os.listdir(src)):
        d = os.path.join(src, st)
        if not os.path.isdir(d) or st in NOT_CODE:
            continue
        if st not in rank:
            bad.append(f"src/{st}/ is not among the stages of {sys.argv[0]}")
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith((".c", ".h")):
                continue
            for inc in re.findall(r'^#include "([a-z]+)/', open(os.path.join(d, f)).read(), re.M):
                if inc in rank and rank[inc] > rank[st]:
                    bad.append(f"src/{st}/{f} includes {inc}/, a later stage")
                if st == "shared" and inc != "shared":
                    bad.append(f"src/shared/{f} includes {inc}/: BPF sees src/shared/ alone")
    for b in bad:
        print("FAIL " + b)
    print(f"{len(ORDER)} stages, {len(bad)} includes running back up")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
