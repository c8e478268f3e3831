#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Offline replay on a bad night: interrupted pipes, missing files, clock
jumps and hostile interface names.

- `tcpdump -w - | vrrpwatch -r -` stopped with Ctrl-C still reports what
  it read, with the exit status of what it found;
- a file that cannot be read, a file that is no capture and a missing
  configuration each give one line on stderr naming it, exit 2, no report;
- a bad option, a missing option argument and an unbalanced '}' in
  keepalived.conf each give exactly one line "vrrpwatch: ...", exit 2;
- a capture whose clock jumps by years ends at once (the silence ticks of
  the gap are bounded);
- an interface name from a pcapng file reaches the terminal, JSON and
  Prometheus output as printable ASCII only;
- libpcap is opened only when a run needs it: with it unreadable, a pcap
  still replays, and --reader libpcap says in one line what to install
  (root: a private mount namespace hides it).

usage: test_replay_cli.py VRRPWATCH SOURCE_ROOT
"""
import array
import fcntl
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

FAILED = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILED.append(what)


def records(path):
    """(ts_sec, ts_usec, data) of a classic little-endian microsecond pcap."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        assert struct.unpack("<I", hdr[:4])[0] == 0xA1B2C3D4, path
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                return
            sec, usec, incl, _ = struct.unpack("<IIII", rh)
            yield sec, usec, f.read(incl)


def pcap_header(linktype=1):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)


def pcap_record(sec, usec, data):
    return struct.pack("<IIII", sec, usec, len(data), len(data)) + data


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)


def catches_sigint(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def unread(pipe):
    n = array.array("i", [0])
    fcntl.ioctl(pipe.fileno(), termios.FIONREAD, n)
    return n[0]


def test_interrupted_pipe(vw, root):
    """Ctrl-C on `... | vrrpwatch -r -` reports what was read."""
    sample = os.path.join(root, "pcaps", "collision")
    data = pcap_header() + b"".join(pcap_record(*r) for r in
                                    records(os.path.join(sample, "capture.pcap")))
    p = subprocess.Popen([vw, "-r", "-", "-c", os.path.join(sample, "keepalived.conf"),
                          "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=False)
    p.stdin.write(data)
    p.stdin.flush()  # the writer stays open, like a tcpdump still running
    # Interrupt once vrrpwatch catches SIGINT and has drained the pipe
    # (FIONREAD on either end of a pipe: the bytes still in it).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (catches_sigint(p.pid) and
                                               unread(p.stdin) == 0):
        time.sleep(0.05)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        check(False, "SIGINT ends a replay from a pipe that stays open")
        return
    recs = [json.loads(l) for l in out.decode().splitlines()]
    kinds = {r.get("kind") for r in recs if r["type"] == "finding"}
    check("interrupted" in err.decode(), "SIGINT: says it was interrupted "
          f"({err.decode().strip()!r})")
    check("vrid_collision" in kinds, f"SIGINT: the collision read so far is reported ({kinds})")
    check(p.returncode == 1, f"SIGINT: exit 1 for a collision (got {p.returncode})")


def test_input_errors(vw, root, tmp):
    notpcap = os.path.join(tmp, "notes.txt")
    with open(notpcap, "w") as f:
        f.write("this is not a capture\n")
    sample = os.path.join(root, "pcaps", "healthy", "capture.pcap")
    missing_conf = os.path.join(tmp, "nowhere", "keepalived.conf")
    cases = [
        ([vw, "-r", os.path.join(tmp, "missing.pcap")], "missing.pcap", "cannot open"),
        ([vw, "-r", notpcap], "notes.txt", "unknown file format"),
        ([vw, "-r", sample, "-c", missing_conf], "keepalived.conf", "not found"),
    ]
    for args, name, words in cases:
        r = run(args)
        lines = r.stderr.splitlines()
        check(r.returncode == 2 and r.stdout == "" and len(lines) == 1 and name in lines[0]
              and words in lines[0] and ":0" not in lines[0],
              f"{' '.join(args[1:])}: one line naming {name}, exit 2, no report "
              f"(exit {r.returncode}, stderr {r.stderr.strip()!r}, {len(r.stdout)} bytes out)")


def test_message_style(vw, root, tmp):
    """Every error is one line that starts "vrrpwatch: " (never getopt's own,
    which names argv[0] and adds a second line), exit 2, nothing on stdout."""
    brace = os.path.join(tmp, "brace.conf")
    with open(brace, "w") as f:
        f.write("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
                "  virtual_ipaddress {\n    198.18.0.1\n  }\n}\n}\n")
    sample = os.path.join(root, "pcaps", "healthy", "capture.pcap")
    cases = [
        (["-x"], "vrrpwatch: unknown option -x (try --help)"),
        (["--bogus"], "vrrpwatch: unknown option --bogus (try --help)"),
        (["-r", sample, "--interval"], "vrrpwatch: option --interval needs an argument"),
        (["-r"], "vrrpwatch: option -r needs an argument"),
        (["-r", sample, "-c", brace], f"vrrpwatch: {brace}:8: extra '}}' found"),
        # (--show-config still shows what it read, on stdout)
        (["--show-config", "-c", brace], f"vrrpwatch: {brace}:8: error: extra '}}' found"),
    ]
    for args, line in cases:
        r = run([vw] + args)
        check(r.returncode == 2 and (r.stdout == "" or "--show-config" in args)
              and r.stderr == line + "\n",
              f"{' '.join(args)}: the one line {line!r}, exit 2 "
              f"(exit {r.returncode}, stderr {r.stderr!r})")
    # --lint reports on stdout (a report, not an error): one finding for one '}'
    r = run([vw, "--lint", "-c", brace])
    found = [l for l in r.stdout.splitlines() if "'}'" in l]
    check(r.returncode == 2 and len(found) == 1 and f"{brace}:8:" in found[0],
          f"--lint: one finding for one unbalanced '}}' ({found})")


def test_clock_jump(vw, root, tmp):
    """Ten years between two adverts: the gap's silence ticks are bounded."""
    sample = os.path.join(root, "pcaps", "healthy")
    recs = list(records(os.path.join(sample, "capture.pcap")))[:20]
    jump = 10 * 365 * 86400
    path = os.path.join(tmp, "jump.pcap")
    with open(path, "wb") as f:
        f.write(pcap_header())
        for i, (sec, usec, data) in enumerate(recs):
            f.write(pcap_record(sec + (jump if i >= 10 else 0), usec, data))
    t0 = time.monotonic()
    r = run([vw, "-r", path, "--no-config", "--json"])
    took = time.monotonic() - t0
    adv = [json.loads(l) for l in r.stdout.splitlines()]
    packets = sum(a.get("packets", 0) for a in adv if a["type"] == "advertiser")
    # A bound no healthy run comes near (it takes well under a second);
    # unbounded, the gap is 315 million one-second ticks.
    check(r.returncode in (0, 1) and took < 30,
          f"a ten-year clock jump ends in {took:.2f} s (exit {r.returncode})")
    check(packets == len(recs), f"every advert across the jump counted ({packets}/{len(recs)})")


def pcapng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_option(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def pcapng_with_ifname(root, path, ifname):
    sample = os.path.join(root, "pcaps", "healthy")
    recs = list(records(os.path.join(sample, "capture.pcap")))[:5]
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
                       + pcapng_option(0, b""))
    idb = pcapng_block(1, struct.pack("<HHI", 1, 0, 65535)
                       + pcapng_option(2, ifname) + pcapng_option(0, b""))
    blocks = [shb, idb]
    for sec, usec, data in recs:
        ts = sec * 1000000 + usec
        blocks.append(pcapng_block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                                  len(data), len(data)) + data))
    with open(path, "wb") as f:
        f.write(b"".join(blocks))


def printable(b):
    """Valid UTF-8 without C0/C1 controls or DEL (newlines aside)."""
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c == "\n" or (" " <= c < "\x7f") or c >= "\xa0" for c in text)


# (if_name in the file, the name as shown, as a Prometheus label value)
IFNAMES = [
    # an escape sequence and invalid UTF-8: each bad byte becomes "?"
    (b"eth\x1b[2J\xff\xfe0\"\\", 'eth?[2J??0"\\', 'eth?[2J??0\\"\\\\'),
    # valid UTF-8 stays (it must still match keepalived.conf); a C1 control (CSI) does not
    ("br-ü".encode() + b"\xc2\x9b1", "br-ü??1", "br-ü??1"),
    # a bidi override (U+202E, 3 bytes) and a zero-width space (U+200B) hide nothing
    (b"a\xe2\x80\xaeb\xe2\x80\x8bc", "a???b???c", "a???b???c"),
    # an overlong "/" and a lone continuation byte
    (b"v\xc0\xafx\x80", "v??x?", "v??x?"),
]


def test_hostile_ifname(vw, root, tmp):
    """An if_name with escape sequences and invalid UTF-8 is made printable."""
    promtool = shutil.which("promtool")
    for i, (ifname, shown, label) in enumerate(IFNAMES):
        path = os.path.join(tmp, f"ifname{i}.pcapng")
        pcapng_with_ifname(root, path, ifname)
        prom = os.path.join(tmp, f"ifname{i}.prom")
        text = subprocess.run([vw, "-r", path, "--no-config", "--prom-file", prom],
                              capture_output=True, timeout=60)
        js = subprocess.run([vw, "-r", path, "--no-config", "--json"],
                            capture_output=True, timeout=60)
        check(text.returncode in (0, 1) and printable(text.stdout)
              and shown.encode() in text.stdout,
              f"if_name {ifname!r}: the terminal report shows {shown!r}, printable")
        names = {json.loads(l).get("interface") for l in js.stdout.decode().splitlines()
                 if json.loads(l)["type"] == "advertiser"}
        check(names == {shown}, f"if_name {ifname!r}: JSON carries {shown!r} ({names})")
        with open(prom, "rb") as f:
            exposition = f.read()
        check(printable(exposition) and f'interface="{label}"'.encode() in exposition,
              f"if_name {ifname!r}: the Prometheus label is printable and escaped")
        if promtool:
            r = subprocess.run([promtool, "check", "metrics"], input=exposition,
                               capture_output=True, timeout=60)
            check(r.returncode == 0, f"if_name {ifname!r}: promtool accepts the exposition "
                  f"({r.stdout.decode().strip()} {r.stderr.decode().strip()})")


def libpcap_files():
    """The files the dynamic linker would load libpcap from."""
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                             timeout=30).stdout
    except OSError:
        return []
    return sorted({os.path.realpath(line.split("=>")[1].strip())
                   for line in out.splitlines() if "libpcap.so" in line and "=>" in line})


def test_without_libpcap(vw, root, tmp):
    libs = libpcap_files()
    can_unshare = os.geteuid() == 0 and shutil.which("unshare") and subprocess.run(
        ["unshare", "-m", "true"], capture_output=True, timeout=30).returncode == 0
    if not can_unshare or not libs:
        check(not os.environ.get("VRRPWATCH_NO_SKIP"),
              "without libpcap: needs root, unshare and an installed libpcap")
        print("without libpcap: skipped (needs root, a mount namespace and libpcap)")
        return
    sample = os.path.join(root, "pcaps", "healthy", "capture.pcap")
    hide = " && ".join(f"mount --bind /dev/null '{lib}'" for lib in libs)
    notes = os.path.join(tmp, "notes.txt")
    with open(notes, "w") as f:
        f.write("this is not a capture\n")
    script = (f'{hide} || exit 99; "$0" -r "$1" >/dev/null 2>&1; echo "own=$?" >&2; '
              '"$0" -r "$2" 2>&1 | sed "s/^/notes: /" >&2; '
              '"$0" -r "$1" --reader libpcap')
    r = subprocess.run(["unshare", "-m", "sh", "-c", script, vw, sample, notes],
                       capture_output=True, text=True, timeout=60)
    lines = [l for l in r.stderr.splitlines()
             if not l.startswith("own=") and not l.startswith("notes: ")]
    said = [l for l in r.stderr.splitlines() if l.startswith("notes: ")]
    check(len(said) == 1 and "not a pcap or pcapng file" in said[0] and "notes.txt" in said[0],
          f"without libpcap: a file that is no capture is called that first ({said!r})")
    check("own=0" in r.stderr, f"without libpcap: the pcap reader replays ({r.stderr.strip()!r})")
    check(r.returncode == 2 and len(lines) == 1 and "libpcap cannot be loaded" in lines[0]
          and "install" in lines[0] and "capture.pcap" in lines[0] and r.stdout == "",
          f"without libpcap: --reader libpcap says so in one line, exit 2 "
          f"(exit {r.returncode}, stderr {r.stderr.strip()!r})")


def main():
    vw, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="vw-replay-cli.") as tmp:
        test_interrupted_pipe(vw, root)
        test_input_errors(vw, root, tmp)
        test_message_style(vw, root, tmp)
        test_clock_jump(vw, root, tmp)
        test_hostile_ifname(vw, root, tmp)
        test_without_libpcap(vw, root, tmp)
    print(f"{len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
