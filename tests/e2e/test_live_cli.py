#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live capture's messages: one clear line each, naming the fix.

usage: test_live_cli.py VRRPWATCH SOURCE_ROOT

  --help and offline replay need no privileges (run as nobody);
  -i as nobody: 'not root', with sudo / the capabilities to grant, for
     --backend auto, xdp and pcap; exit status 2;
  -i with an unknown interface: 'no such interface';
  root without CAP_BPF / CAP_NET_ADMIN / CAP_SYS_ADMIN: --backend xdp says
     what is missing and suggests --backend pcap; --backend auto falls back
     to libpcap, says so, and captures.
Needs root (to drop to nobody with setpriv).
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import require_root_tools  # noqa: E402

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
NO_BPF = ["setpriv", "--inh-caps=-all", "--bounding-set=-bpf,-net_admin,-sys_admin"]
failures = []


def run(argv, cwd=None):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=cwd)


def expect(name, p, status, *words):
    lines = p.stderr.strip().splitlines()
    ok = p.returncode == status and all(w in p.stderr for w in words)
    if status == 2:
        ok = ok and len(lines) == 1  # one line
    print(f"{name}: exit {p.returncode}: {lines[-1] if lines else ''}")
    if not ok:
        failures.append(name)
        print(f"FAIL {name}: want exit {status} and {words}, got:\n{p.stderr}", file=sys.stderr)


def main():
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    require_root_tools("setpriv")
    if not shutil.which("setpriv"):
        raise SystemExit("FAIL: setpriv missing")
    expect("--help as nobody", run(NOBODY + [vrrpwatch, "--help"]), 0)
    p = run(NOBODY + [vrrpwatch, "-r", "pcaps/healthy/capture.pcap", "--no-config"], cwd=root)
    expect("replay as nobody", p, 0)
    for b in ("auto", "xdp", "pcap"):
        p = run(NOBODY + [vrrpwatch, "-i", "lo", "--no-config", "--backend", b])
        fix = "CAP_NET_RAW" if b == "pcap" else "CAP_BPF"
        expect(f"-i as nobody, --backend {b}", p, 2, "not root", fix)
    p = run([vrrpwatch, "-i", "vwnosuch0", "--no-config"])
    expect("unknown interface", p, 2, "no such interface", "ip link")
    p = run(NO_BPF + [vrrpwatch, "-i", "lo", "--no-config", "--backend", "xdp",
                      "--duration", "1s"])
    expect("root without CAP_BPF, --backend xdp", p, 2, "CAP_BPF", "--backend pcap")
    p = run(NO_BPF + [vrrpwatch, "-i", "lo", "--no-config", "--duration", "1s", "--json"])
    expect("root without CAP_BPF, --backend auto", p, 0, "capturing with libpcap instead")
    if '"type":"summary"' not in p.stdout:
        failures.append("auto fallback report")
        print("FAIL: the libpcap fallback printed no report", file=sys.stderr)
    if failures:
        return 1
    print("live capture messages name the fix")
    return 0


if __name__ == "__main__":
    sys.exit(main())
