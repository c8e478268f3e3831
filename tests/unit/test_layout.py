#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""src/ by stage: no include runs back up a stage; tests/ by kind.

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
# tests/ by kind (tests/README.md, "Where they are"): a test file at the top
# of tests/ would belong to no kind.
TEST_DIRS = {"unit", "bpf", "e2e", "lib", "kaconf", "prom", "fuzz"}
TEST_TOP_FILES = {"meson.build", "README.md"}


def misplaced_tests(root):
    bad = []
    for f in sorted(os.listdir(os.path.join(root, "tests"))):
        p = os.path.join(root, "tests", f)
        if os.path.isdir(p) and f not in TEST_DIRS:
            bad.append(f"tests/{f}/ is not among the kinds of {sys.argv[0]}")
        elif os.path.isfile(p) and f not in TEST_TOP_FILES:
            bad.append(f"tests/{f} belongs in tests/unit, bpf, e2e or lib")
    return bad


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
    bad += misplaced_tests(sys.argv[1])
    for b in bad:
        print("FAIL " + b)
    print(f"{len(ORDER)} stages, {len(bad)} problems (includes running back up, tests out of place)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
