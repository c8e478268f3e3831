#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What `meson install` ships beside the binary (src/dist/):

  - the man page renders without a groff warning, and documents exactly the
    options src/settings/options.c accepts (long and short), no more, no fewer;
  - the systemd unit passes `systemd-analyze verify` (with ExecStart pointed
    at the built binary);
  - the install plan puts the man page, the unit and the alerting rules
    where the man page says.

The rules themselves are tested by test_promtool.py.  A missing groff or
systemd-analyze skips its part (77 if nothing could be checked), unless
VRRPWATCH_NO_SKIP is set.

usage: test_dist.py SOURCE_ROOT BUILD_ROOT VRRPWATCH
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def accepted_options(root):
    """Long options of long_options[] and the letters of the getopt string."""
    with open(os.path.join(root, "src/settings/options.c")) as f:
        src = f.read()
    table = src[src.index("long_options[] = {"):]
    table = table[:table.index("};")]
    longs = set(re.findall(r'\{"([a-z0-9-]+)",', table))
    shorts = set(re.findall(r"[a-zA-Z]", re.search(r'getopt_long\([^"]*"([^"]*)"', src).group(1)))
    return longs, shorts


def documented_options(man):
    """Options named in the .TP tags of the OPTIONS section."""
    section = man[man.index(".SH OPTIONS"):man.index(".SH PROMETHEUS")]
    tags = re.findall(r"^\.TP\n(.*)$", section, re.M)
    text = "\n".join(tags).replace("\\-", "-")
    longs = set(re.findall(r"--([a-z0-9-]+)", text))
    shorts = set(re.findall(r"(?<![-\w])-([a-zA-Z])\b", text))
    return longs, shorts


def check_man(root, build):
    ok = True
    path = os.path.join(build, "src/dist/vrrpwatch.8")
    with open(path) as f:
        man = f.read()
    (src_long, src_short), (man_long, man_short) = accepted_options(root), documented_options(man)
    for what, a, b in (("long", src_long, man_long), ("short", src_short, man_short)):
        if a - b:
            print(f"FAIL options.c has {what} options the man page lacks: {sorted(a - b)}")
            ok = False
        if b - a:
            print(f"FAIL the man page documents {what} options options.c lacks: {sorted(b - a)}")
            ok = False
    print(f"man page: {len(man_long)} long and {len(man_short)} short options, as options.c")
    # every finding kind and JSON record type the code has, in its section
    kinds = set(re.findall(r'X\([A-Z0-9_]+, "([a-z0-9_]+)"\)',
                           open(os.path.join(root, "src/model/finding.h")).read()))
    types = set()
    for d, _, files in os.walk(os.path.join(root, "src")):
        for n in files:
            if n.endswith(".c"):
                types |= set(re.findall(r'json_begin\([^,]+, [^,]+, "([a-z_]+)"\)',
                                        open(os.path.join(d, n)).read()))
    for what, names, head, end in (("finding kind", kinds, ".SH FINDINGS", ".SH JSON RECORDS"),
                                   ("JSON record type", types, ".SH JSON RECORDS", ".SH PROMETHEUS")):
        if head not in man:
            print(f"FAIL the man page has no {head} section")
            ok = False
            continue
        section = man[man.index(head):man.index(end)]
        tags = set(re.findall(r"[a-z0-9_]+", " ".join(re.findall(r"^\.TP\n\.B (.*)$", section, re.M))))
        if names - tags:
            print(f"FAIL {what}s the man page does not document: {sorted(names - tags)}")
            ok = False
        else:
            print(f"man page: all {len(names)} {what}s documented")
    if re.search(r"@[A-Z_]+@", man):
        print("FAIL an unsubstituted @VARIABLE@ in the man page")
        ok = False
    groff = shutil.which("groff")
    if not groff:
        print("groff not found: man page not rendered")
        return ok, False
    p = subprocess.run([groff, "-man", "-ww", "-z", path], capture_output=True, text=True)
    if p.returncode or p.stderr:
        print(f"FAIL groff warns:\n{p.stderr}")
        ok = False
    return ok, True


def check_unit(build, vrrpwatch):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("systemd-analyze not found: unit not verified")
        return True, False
    with open(os.path.join(build, "src/dist/vrrpwatch.service")) as f:
        unit = f.read()
    unit = re.sub(r"^ExecStart=\S+", f"ExecStart={os.path.abspath(vrrpwatch)}", unit, flags=re.M)
    with tempfile.TemporaryDirectory(prefix="vw-dist.") as tmp:
        path = os.path.join(tmp, "vrrpwatch.service")
        with open(path, "w") as f:
            f.write(unit)
        p = subprocess.run([analyze, "verify", "--man=no", path], capture_output=True,
                           text=True, timeout=60)
    # lines about other units (the host's own) are not ours to judge
    ours = [line for line in p.stderr.splitlines() if "vrrpwatch" in line]
    if p.returncode or ours:
        print(f"FAIL systemd-analyze verify:\n{p.stderr}")
        return False, True
    print("systemd unit: verified")
    return True, True


def check_install_plan(build):
    p = subprocess.run(["meson", "introspect", "--installed", build], capture_output=True,
                       text=True, timeout=60)
    if p.returncode:
        print("meson introspect failed: install plan not checked")
        return True, False
    dests = set(json.loads(p.stdout).values())
    want = ("/man8/vrrpwatch.8", "/lib/systemd/system/vrrpwatch.service",
            "/vrrpwatch/prometheus/vrrpwatch.rules.yml",
            "/vrrpwatch/prometheus/vrrpwatch.fleet.rules.yml",
            "/vrrpwatch/grafana/vrrpwatch.json", "/vrrpwatch")
    missing = [w for w in want if not any(d.endswith(w) for d in dests)]
    if missing:
        print(f"FAIL not installed: {missing} (plan: {sorted(dests)})")
        return False, True
    print(f"install plan: {len(dests)} files, the man page, the unit, the rules and the dashboard among them")
    return True, True


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    root, build, vrrpwatch = sys.argv[1:]
    results = [check_man(root, build), check_unit(build, vrrpwatch), check_install_plan(build)]
    if not all(ok for ok, _ in results):
        return 1
    if not all(ran for _, ran in results) and os.environ.get("VRRPWATCH_NO_SKIP"):
        return 1
    return 0 if any(ran for _, ran in results) else 77


if __name__ == "__main__":
    sys.exit(main())
