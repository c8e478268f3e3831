#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--prom-file, --prom-listen and --segment on the command line: bad values and
unusable places are refused at once (exit 2, one line on stderr, before any
capture is read), and the Prometheus outputs change nothing else.

usage: test_prom_cli.py VRRPWATCH SOURCE_ROOT
"""
import os
import socket
import subprocess
import sys
import tempfile

CAPTURE = ["-r", "pcaps/healthy/capture.pcap", "--no-config"]


def run(vrrpwatch, root, args):
    return subprocess.run([vrrpwatch] + args, cwd=root, capture_output=True, text=True,
                          timeout=60)


def refused(vrrpwatch, root, args, words):
    p = run(vrrpwatch, root, args)
    lines = p.stderr.splitlines()
    if p.returncode != 2 or len(lines) != 1 or words not in lines[0] or p.stdout:
        print(f"FAIL {' '.join(args)}: exit {p.returncode}, stderr {p.stderr!r}, "
              f"stdout {p.stdout[:80]!r} (want exit 2 and one line with {words!r})")
        return False
    print(f"ok   {' '.join(args[len(CAPTURE):]) or args}: {lines[0]}")
    return True


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    ok = True
    with tempfile.TemporaryDirectory(prefix="vw-prom-cli.") as tmp, socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = f"127.0.0.1:{busy.getsockname()[1]}"
        cases = [
            (["--prom-file", f"{tmp}/missing/vrrpwatch.prom"],
             f"directory {tmp}/missing does not exist"),
            (["--prom-file", f"{tmp}/"], "a file path"),
            (["--prom-file", ""], "a file path"),
            (["--prom-file", "-"], "a file path"),
            (["--prom-file", tmp], "names a directory"),
            (["--prom-listen", "nonsense"], "an address and port"),
            (["--prom-listen", "70000"], "an address and port"),
            (["--prom-listen", "::1:9813"], "an address and port"),
            (["--prom-listen", taken], "Address already in use"),
            (["--segment", ""], "NAME or IFACE=NAME"),
            (["--segment", "=lab1"], "NAME or IFACE=NAME"),
            (["--segment", "eth0="], "NAME or IFACE=NAME"),
            (["--segment", "lab\t1"], "NAME or IFACE=NAME"),
            (["--segment", "x" * 64], "NAME or IFACE=NAME"),
            (["--segment", "lab1", "--segment", "lab2"], "given twice"),
            (["--segment", "eth0=a", "--segment", "eth0=b"], "named twice"),
        ]
        for args, words in cases:
            ok &= refused(vrrpwatch, root, CAPTURE + args, words)
        ok &= refused(vrrpwatch, root, ["--lint", "--prom-file", f"{tmp}/x.prom"],
                      "not with --lint")

        plain = run(vrrpwatch, root, CAPTURE)
        out = os.path.join(tmp, "vrrpwatch.prom")
        with_prom = run(vrrpwatch, root, CAPTURE + ["--prom-file", out])
        if (plain.stdout, plain.stderr, plain.returncode) != \
                (with_prom.stdout, with_prom.stderr, with_prom.returncode):
            print("FAIL --prom-file changed the report, its stderr or the exit status")
            ok = False
        if not os.path.exists(out) or os.listdir(tmp) != ["vrrpwatch.prom"]:
            print(f"FAIL {tmp} holds {os.listdir(tmp)}, want the textfile alone")
            ok = False
        # --segment names the segment label and changes nothing else
        seg = run(vrrpwatch, root, CAPTURE + ["--segment", "capture.pcap=lab 1/x",
                                              "--segment", "lab9", "--prom-file", out])
        with open(out) as f:
            text = f.read()
        if (seg.stdout, seg.returncode) != (plain.stdout, plain.returncode) or \
                'vrrpwatch_segment_info{segment="lab 1/x",interface="capture.pcap"} 1' not in text \
                or 'segment="lab9"' in text:
            print(f"FAIL --segment IFACE=NAME: exit {seg.returncode}, {seg.stderr!r}")
            ok = False
        help_text = run(vrrpwatch, root, ["--help"]).stdout
        if "--prom-file PATH" not in help_text or "--prom-listen" not in help_text:
            print("FAIL --help does not show the Prometheus options")
            ok = False
    print("command line checks " + ("passed" if ok else "failed"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
