#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live view on a terminal: `vrrpwatch -i eth0` with its output on a pty.

A sender namespace injects adverts from four sources (tests/inject_vrrp.py)
into a veth whose other end vrrpwatch watches (named in wide characters), with standard output on a
pseudo-terminal of 100 x 10.  The screen must:
- switch to the alternate screen and back (the user's scrollback is kept),
- redraw in place at every tick (home + clear, several times in 4 s),
- show the header, the counters and the advertisers with their sources,
- fit the terminal: 10 rows cannot hold four advertisers beside the
  header, so it says how many more there are; no line is wider than the
  terminal (the advertiser table is wider than 100 columns) and no newline
  lands on the last row (either would scroll the header away),
- and, after it, print the closing report on the normal screen.

usage: test_live_view.py VRRPWATCH INJECT_VRRP_PY
Needs root and BPF (exit 77 otherwise, 1 with VRRPWATCH_NO_SKIP).
"""
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns_lab  # noqa: E402

SCAPY_PY = "/usr/bin/python3"  # Debian's, with python3-scapy
ROWS, COLS = 10, 100
# A name of wide characters (two columns each): Linux takes any bytes but
# '/', ':' and spaces, and the view must still count its columns right.
IFACE = "网卡0"
ALT_ON, ALT_OFF, HOME_CLEAR = b"\033[?1049h", b"\033[?1049l", b"\033[H\033[2J"
SOURCES = ["198.18.8.1", "198.18.8.2", "198.18.8.3", "198.18.9.9"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def width(text):
    """Terminal columns: two for East Asian wide and fullwidth characters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run_on_pty(lab, vrrpwatch, inject):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    err = open(os.path.join(lab.dir, "view.err"), "w")
    p = subprocess.Popen(["ip", "netns", "exec", lab.ns("r"), "timeout", "--foreground",
                          "-k", "5", "30", vrrpwatch, "-i", IFACE, "--no-config",
                          "--duration", "4s"],
                         stdin=slave, stdout=slave, stderr=err, close_fds=True)
    os.close(slave)
    out, started = b"", False
    deadline = time.time() + 40
    while time.time() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last holder of the slave closed it
                break
            if not chunk:
                break
            out += chunk
        if not started and ALT_ON in out:
            started = True
            # adverts for about 2.5 s, while the view runs
            lab.run("s", SCAPY_PY, inject, "eth0", "25")
        if p.poll() is not None and not r:
            break
    p.wait(10)
    os.close(master)
    err.close()
    return p.returncode, out, open(err.name).read()


def main():
    vrrpwatch, inject = sys.argv[1], sys.argv[2]
    netns_lab.require_root_tools()
    lab = netns_lab.Lab("view")
    try:
        lab.veth_pair(r_name=IFACE)
        status, out, err = run_on_pty(lab, vrrpwatch, inject)
    finally:
        lab.close()

    check(status in (0, 1), f"exit status {status} (stderr: {err.strip()!r})")
    check(out.count(ALT_ON) == 1 and out.count(ALT_OFF) == 1 and
          out.index(ALT_ON) < out.index(ALT_OFF), "alternate screen on, then off once")
    view, _, after = out.partition(ALT_OFF)
    frames = [f for f in view.split(HOME_CLEAR)[1:]]
    check(len(frames) >= 3, f"the view is redrawn in place at every tick ({len(frames)} draws)")
    last = frames[-1].decode(errors="replace") if frames else ""
    lines = last.replace("\r", "").rstrip("\n").split("\n")
    check(lines[0].startswith(f"vrrpwatch  {IFACE}"), f"header line ({lines[0]!r})")
    m = re.search(r"adverts (\d+)", last)
    check(m and int(m.group(1)) > 0, f"the header counts adverts ({m.group(0) if m else None})")
    shown = [s for s in SOURCES if s in last]
    check(len(shown) >= 1, f"advertisers on the screen ({shown})")
    # a newline on the last row would scroll the first line away
    check(last.count("\n") <= ROWS - 1, f"a draw fits {ROWS} rows ({last.count(chr(10))} "
          "newlines)")
    if last.count("\n") > ROWS - 1:
        print(last)
    widest = max((width(l.split("\033")[0]) for f in frames
                  for l in f.decode(errors="replace").replace("\r", "").split("\n")), default=0)
    check(widest <= COLS, f"no line is wider than the terminal's {COLS} columns "
          f"(widest {widest}; a wrapped line would scroll the header away)")
    more = re.search(r"\.\.\. (\d+) more advertisers", last)
    check(more and int(more.group(1)) + len(shown) == len(SOURCES),
          f"what does not fit is counted ({more.group(0) if more else None}, "
          f"{len(shown)} shown)")
    report = after.decode(errors="replace")
    check(all(s in report for s in SOURCES) and "VRRP adverts" in report,
          "the closing report follows on the normal screen, with every advertiser")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
