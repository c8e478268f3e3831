#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live view on a terminal: `vrrpwatch -i eth0` with its output on a pty.

A sender namespace injects adverts from five sources (tests/e2e/inject_vrrp.py:
four every 100 ms, and one every 2 s on the VRID of another, advertising
2 s against its 1 s: an interval_mismatch) into a veth whose other end
vrrpwatch watches (named in wide characters), with standard output on a
pseudo-terminal of 100 x 18.  The screen must:
- switch to the alternate screen and back (the user's scrollback is kept),
- redraw in place at every tick (home + clear, several times),
- show the header, the counters and the advertisers with their sources,
- show the open findings first, above the advertisers, with their "what
  to change" lines wrapped to the width, whole (not cut at the edge), and
  count those left out,
- show the interval heard for each advertiser: "every 2.0s" for the slow
  one (not 0.0/s or 1.0/s by tick), "every 0.1s" for the others,
- fit the terminal: 20 rows cannot hold the finding and five advertisers
  beside the header, so it says how many more there are; no line is
  wider than the terminal (the advertiser table is wider than 100
  columns) and no newline lands on the last row (either would scroll the
  header away),
- count who claims the virtual addresses in the header: the sender also
  sends gratuitous ARPs for 198.18.8.100, the address the adverts announce
  (a table of them below the advertisers needs more rows than these 18:
  test_live_screen.c has it),
- and, after it, print the closing report on the normal screen, the
  claims with it.

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
ROWS, COLS = 20, 100
# A name of wide characters (two columns each): Linux takes any bytes but
# '/', ':' and spaces, and the view must still count its columns right.
IFACE = "网卡0"
ALT_ON, ALT_OFF, HOME_CLEAR = b"\033[?1049h", b"\033[?1049l", b"\033[H\033[2J"
SOURCES = ["198.18.7.7", "198.18.8.1", "198.18.8.2", "198.18.8.3", "198.18.9.9"]
SLOW, SLOW_EVERY = "198.18.7.7", 2
ADVICE = "set the same advert_int on every node"
# gratuitous ARPs for the address the adverts announce, once the adverts
# made it a watched one, from the MAC of its master (198.18.8.1)
VIP, VIP_MAC = "198.18.8.100", "02:00:00:00:08:01"
GARP_PY = f"""
import time
from scapy.all import ARP, Ether, sendp
f = Ether(src="{VIP_MAC}", dst="ff:ff:ff:ff:ff:ff") / ARP(
    op=1, hwsrc="{VIP_MAC}", psrc="{VIP}", pdst="{VIP}")
for _ in range(6):
    time.sleep(1)
    sendp(f, iface="eth0", verbose=False)
"""
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
                          "-k", "5", "40", vrrpwatch, "-i", IFACE, "--no-config",
                          "--duration", "10s"],
                         stdin=slave, stdout=slave, stderr=err, close_fds=True)
    os.close(slave)
    out, sender, garp = b"", None, None
    deadline = time.time() + 50
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
        if sender is None and ALT_ON in out:
            # adverts for about 7 s while the view runs (in the background:
            # the screen is read meanwhile); the slow one at 0, 2, 4, 6 s
            sender = subprocess.Popen(["ip", "netns", "exec", lab.ns("s"), SCAPY_PY, inject,
                                       "eth0", "65", str(SLOW_EVERY)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            garp = subprocess.Popen(["ip", "netns", "exec", lab.ns("s"), SCAPY_PY, "-c",
                                     GARP_PY],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if p.poll() is not None and not r:
            break
    p.wait(10)
    for q in (sender, garp):
        if q is None:
            continue
        try:
            q.wait(20)
        except subprocess.TimeoutExpired:
            q.kill()
            q.wait()
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
    head = next((i for i, l in enumerate(lines) if l.startswith("IFACE ")), len(lines))
    rows = {s: l for l in lines[head + 1:] for s in SOURCES if f" {s} " in l}
    shown = list(rows)
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
    # findings first, each "what to change" wrapped, whole: as in the closing report
    text = last.replace("\r", "")
    report = after.decode(errors="replace").replace("\r", "")
    fpos, tpos = text.find("Findings: "), text.find("\nIFACE ")
    check(0 <= fpos < tpos, f"the findings come before the advertisers ({fpos}, {tpos})")
    # (the slow router raises multiple_masters and interval_mismatch: one
    # of them fits beside the header and the advertisers, the other is counted)
    nopen = re.search(r"Findings: (\d+) open", text)
    heads = re.findall(r"\n(?:CRITICAL|WARNING|info) +([a-z_]+)", text[fpos:tpos])
    left = re.search(r"\.\.\. (\d+) more open findings?", text[fpos:tpos])
    check(nopen and heads and len(heads) + (int(left.group(1)) if left else 0) ==
          int(nopen.group(1)),
          f"open findings on the screen, those left out counted ({heads}, "
          f"{left.group(0) if left else 'none left out'}, of {nopen.group(1) if nopen else '?'})")
    advices = re.findall(r"\n    -> (.*(?:\n {7}\S.*)*)", text[fpos:tpos] if fpos >= 0 else "")
    whole = [" ".join(a.split()) for a in advices]
    wrapped = [a for a in advices if "\n" in a]
    check(advices and all(f"\n    -> {w}\n" in report for w in whole),
          f"each advice on the screen is whole, as in the closing report ({whole})")
    check(any(len(w) > COLS - 7 for w in whole) and wrapped,
          f"a long advice is wrapped, not cut ({len(wrapped)} of {len(advices)} wrapped)")
    # the interval heard, on the row of each source shown
    slow = re.search(r"every (\d+\.\d)s", rows.get(SLOW, ""))
    check(slow and abs(float(slow.group(1)) - SLOW_EVERY) <= 0.3,
          f"the slow advertiser is heard every {SLOW_EVERY} s ({rows.get(SLOW)!r})")
    fast = [re.search(r"every (0\.\d)s|every (\d+)ms", l) for s, l in rows.items() if s != SLOW]
    check(fast and all(fast), f"the others every 100 ms or so ({list(rows.values())})")
    check(not re.search(r"\d/s ", "".join(rows.values())), "no per-tick rates on the rows")
    check(all(s in report for s in SOURCES) and "VRRP adverts" in report,
          "the closing report follows on the normal screen, with every advertiser")
    # who claims the virtual addresses: counted in the header; below the
    # advertisers where a row fits (not here: the findings take the room)
    claimers = re.search(r"  VIP claimers (\d+)\n", text)
    check(claimers and int(claimers.group(1)) >= 1,
          f"the header counts the claimers of {VIP} ({claimers.group(0) if claimers else None})")
    table = text.find("\nIFACE  VLAN  VIP ")
    claim_row = re.search(rf"{re.escape(VIP)} +{VIP_MAC} +\d+ garp", text)
    check(table < 0 or (table > tpos and claim_row),
          f"a claims table, if any, is below the advertisers with {VIP} by {VIP_MAC}")
    check(re.search(rf"{re.escape(VIP)} +{VIP_MAC} +\d+ garp", report) is not None,
          f"the closing report has the gratuitous ARPs of {VIP} by {VIP_MAC}")
    if failures:
        print("the last draw:\n" + text)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
