#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End to end with a real prometheus-node-exporter on loopback, its textfile
collector pointed at the directory vrrpwatch writes in.

1. A sample capture replayed with --prom-file: the exporter's /metrics has
   every series of the golden textfile, with its value and type, and
   node_textfile_scrape_error is 0.
2. A flood capture (thousands of advertisers, far past the cardinality
   caps) replayed again and again, each run killed with SIGKILL: at random
   times, and at the moment its temporary file is open (mid-write).  After
   every kill the directory holds no .prom file but the complete one of an
   earlier run, and the exporter never reports a scrape error.

The exporter listens on 127.0.0.1 only, on a free port, and is killed at the
end; everything lives in a temporary directory.  Skips (77) without
prometheus-node-exporter unless VRRPWATCH_NO_SKIP is set.

usage: test_prom_node_exporter.py VRRPWATCH SOURCE_ROOT [KILLS]
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prom_e2e  # noqa: E402
import test_replay_golden as replay  # noqa: E402

SAMPLE = "pcaps/collision/capture.pcap"
FLOOD_DEADLINE = 240  # seconds for the whole kill loop


def exporter_argv(exporter, textdir):
    return lambda port: [exporter, f"--web.listen-address=127.0.0.1:{port}",
                         "--collector.disable-defaults", "--collector.textfile",
                         f"--collector.textfile.directory={textdir}"]


def scrape(ne):
    status, _, body = prom_e2e.http_get(ne.url("/metrics"))
    assert status == 200
    return prom_e2e.parse(body)


def check_sample(ne, vrrpwatch, root, textdir):
    out = os.path.join(textdir, "vrrpwatch.prom")
    p = subprocess.run([vrrpwatch] + replay.arguments(root, SAMPLE) + ["--prom-file", out],
                       cwd=root, capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        print(f"FAIL vrrpwatch exit {p.returncode}: {p.stderr.decode()}")
        return False
    with open(os.path.join(root, replay.stem(SAMPLE) + ".expected.prom")) as f:
        want, want_types = prom_e2e.parse(f.read())
    got, got_types = scrape(ne)
    ok = True
    for key, value in want.items():
        if got.get(key) != value:
            print(f"FAIL {key[0]}{dict(key[1])}: exporter has {got.get(key)}, golden {value}")
            ok = False
    for name, typ in want_types.items():
        if got_types.get(name, typ) != typ:
            print(f"FAIL {name}: type {got_types.get(name)} at the exporter, {typ} written")
            ok = False
    errors = got.get(("node_textfile_scrape_error", frozenset()))
    if errors != 0:
        print(f"FAIL node_textfile_scrape_error is {errors}")
        ok = False
    print(f"{len(want)} series of {SAMPLE} scraped from node_exporter"
          f"{'' if ok else ' with differences'}")
    os.unlink(out)  # one vrrpwatch per textfile directory: its families would clash
    return ok


def temp_file_open(pid, textdir):
    """Is the process holding a temporary file in textdir (that is, writing)?"""
    fd_dir = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if target.startswith(textdir + "/") and target != textdir + "/" and (
                    "/#" in target or target.endswith(".tmp")):
                return True  # O_TMPFILE shows as "DIR/#inode (deleted)"
    except OSError:
        pass
    return False


def kill_one(argv, textdir, delay, at_write):
    """Start a run and SIGKILL it: after delay, or that long after it opened
    its temporary file.  True if it was writing when killed."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mid = False
    if at_write:
        end = time.monotonic() + 30
        while p.poll() is None and time.monotonic() < end and not temp_file_open(p.pid, textdir):
            pass
    time.sleep(delay)
    if p.poll() is None:
        os.kill(p.pid, signal.SIGSTOP)  # hold it where it is, to see what it was doing
        mid = temp_file_open(p.pid, textdir)
        os.kill(p.pid, signal.SIGKILL)
    p.wait()
    return mid


def check_directory(textdir, expected):
    """Only whole .prom files; leftovers can only be hidden non-.prom names."""
    leftovers = 0
    for name in os.listdir(textdir):
        path = os.path.join(textdir, name)
        if name.endswith(".prom"):
            with open(path, "rb") as f:
                if name != "flood.prom" or f.read() != expected:
                    return False, leftovers
        else:
            assert name.startswith("."), name
            leftovers += 1
    return True, leftovers


def check_kills(ne, vrrpwatch, tmp, textdir, kills):
    pcap = os.path.join(tmp, "flood.pcap")
    frames = prom_e2e.write_flood_pcap(pcap)
    refdir = os.path.join(tmp, "ref")
    os.mkdir(refdir)
    os.chmod(refdir, 0o777)  # see below
    argv = [vrrpwatch, "-r", pcap, "--no-config", "--prom-file"]
    t0 = time.monotonic()
    subprocess.run(argv + [os.path.join(refdir, "flood.prom")], stdout=subprocess.DEVNULL,
                   timeout=120, check=False)
    run_time = time.monotonic() - t0
    with open(os.path.join(refdir, "flood.prom"), "rb") as f:
        expected = f.read()
    samples, _ = prom_e2e.parse(expected.decode())
    shown = sum(1 for k in samples if k[0] == "vrrpwatch_advertiser_adverts_total")
    overflow = samples[("vrrpwatch_export_overflow", frozenset({("what", "advertisers")}))]
    if shown > 1024 or overflow <= 0:
        print(f"FAIL the caps did not hold: {shown} advertisers shown, {overflow} left out")
        return False

    rng = random.Random(6)
    mid = done = most = 0
    end = time.monotonic() + FLOOD_DEADLINE
    for i in range(kills):
        if time.monotonic() > end:
            break
        at_write = i % 2 == 1
        delay = rng.uniform(0, 0.002) if at_write else rng.uniform(0, run_time * 1.2)
        mid += kill_one(argv + [os.path.join(textdir, "flood.prom")], textdir, delay, at_write)
        done += 1
        ok, leftovers = check_directory(textdir, expected)
        most = max(most, leftovers)
        if not ok or leftovers > 1:
            print(f"FAIL after kill {i}: a partial or foreign .prom file, or {leftovers} "
                  f"temporary files, in {textdir}")
            return False
        if i % 10 == 0:
            got, _ = scrape(ne)
            if got.get(("node_textfile_scrape_error", frozenset())) != 0:
                print(f"FAIL after kill {i}: node_exporter reports a textfile scrape error")
                return False
    # one run to the end: it replaces what a killed one may have left
    subprocess.run(argv + [os.path.join(textdir, "flood.prom")], stdout=subprocess.DEVNULL,
                   timeout=120, check=False)
    ok, after = check_directory(textdir, expected)
    if not ok or after:
        print(f"FAIL after a whole run: {after} temporary files left in {textdir}")
        return False
    print(f"{frames} frames, {len(expected)} bytes of metrics ({shown} advertisers shown, "
          f"{int(overflow)} left out by the caps); {done} runs killed, {mid} of them while "
          f"writing; the .prom file was always whole; at most {most} hidden temporary file "
          f"left by a kill, none after a whole run")
    if mid < done // 4:
        print("FAIL too few kills landed while writing to prove anything")
        return False
    return True


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    kills = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    exporter = prom_e2e.need("prometheus-node-exporter")
    with tempfile.TemporaryDirectory(prefix="vw-prom-e2e.") as tmp:
        textdir = os.path.join(tmp, "textfile")
        os.mkdir(textdir)
        # Started as root, vrrpwatch writes as the user it drops to (-Z): in a
        # directory only root may write, its helper would write instead, and
        # a kill of the process under test would not be a kill of the writer.
        os.chmod(tmp, 0o755)
        os.chmod(textdir, 0o777)
        with prom_e2e.Daemon(exporter_argv(exporter, textdir)) as ne:
            ok = check_sample(ne, vrrpwatch, root, textdir)
            ok = check_kills(ne, vrrpwatch, tmp, textdir, kills) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
