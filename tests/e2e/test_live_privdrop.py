#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Least privilege (issue 13, item 1): what a vrrpwatch started as root keeps.

A sender namespace injects adverts (tests/e2e/inject_vrrp.py) into a veth whose
other end vrrpwatch watches; while it runs, /proc/PID/status must show:
  1. XDP + tcx, -Z nobody, --json, --prom-file in a directory nobody may write:
     Uid/Gid nobody's, CapEff 0, NoNewPrivs 1, Seccomp 2; the adverts are
     counted, the closing report and capture record come, exit 0 or 1, the
     textfile is written by nobody; the helper that stays root (it unlinks
     the lock file at exit: test_live_lock checks that, dropped by default
     now) has uid 0, CapEff 0, NoNewPrivs 1, Seccomp 2;
  2. the clsact fallback (VRRPWATCH_TC_ATTACH=clsact): CapEff CAP_NET_ADMIN
     alone, and the filter and qdisc are gone after the exit;
  3. --backend pcap, --prom-file in a directory only root may write: CapEff 0,
     Seccomp 2, adverts counted; the helper writes the textfile (root's);
  4. a forbidden system call after the filter is in place (the test-only
     VRRPWATCH_TEST_SECCOMP_VIOLATION): the one log line, exit 2;
  5. --no-seccomp: Seccomp 0, still NoNewPrivs 1 and Uid nobody;
  6. -Z root: a warning, Uid 0, Seccomp 2; -Z with an unknown user: exit 2;
  7. offline replay from a FIFO as root: Uid nobody while it reads, CapEff 0,
     NoNewPrivs 1, the report as usual; --lint as root with -Z unknown fails;
  8. a flood of 600 sources under the filter (glibc's qsort past 1 KiB asks
     sysinfo(2) for the memory size, once: it killed the first version).

usage: test_live_privdrop.py VRRPWATCH INJECT_VRRP_PY SOURCE_ROOT
Needs root and BPF (exit 77 otherwise, 1 with VRRPWATCH_NO_SKIP).
"""
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns_lab  # noqa: E402

SCAPY_PY = "/usr/bin/python3"  # Debian's, with python3-scapy
CAP_NET_ADMIN = 1 << 12
SECCOMP_LINE = re.compile(r"vrrpwatch: seccomp: system call \d+ not allowed in the steady "
                          r"state; report this, and run with --no-seccomp meanwhile")
failures = []
# argv tail of live_run's injector: IFACE N, N sources on VRIDs 1-200, 3 rounds
FLOOD = ["-c", """
import sys
from scapy.all import Ether, IP, sendp
from scapy.layers.vrrp import VRRP
n = int(sys.argv[2])
fs = [Ether(src="02:00:00:00:09:01", dst="01:00:5e:00:00:12") /
      IP(src="198.18.%d.%d" % (10 + i // 250, 1 + i % 250), dst="224.0.0.18", ttl=255,
         proto=112) /
      VRRP(version=2, vrid=1 + i % 200, priority=100, ipcount=1, authtype=0, adv=1,
           addrlist=["198.18.99.1"]) for i in range(n)]
for _ in range(3):
    sendp(fs, iface=sys.argv[1], verbose=False)
"""]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def status_of(pid):
    """/proc/PID/status as a dict of its fields, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:
        return None


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(k) for k in f.read().split()]
    except OSError:
        return []


def vrrpwatch_pid(proc):
    """The vrrpwatch under ip netns exec + timeout(1) (timeout forks it)."""
    deadline = time.time() + 10
    while time.time() < deadline:
        for k in children(proc.p.pid):
            try:
                with open(f"/proc/{k}/comm") as f:
                    if f.read().strip() == "vrrpwatch":
                        return k
            except OSError:
                pass
        time.sleep(0.05)
    return None


def dropped_status(pid, secs=10, field=None):
    """The status once the process gave root up (Uid no longer 0, or Seccomp on;
    with field="Seccomp", once its filter is on)."""
    deadline, nnp = time.time() + secs, None
    while time.time() < deadline:
        st = status_of(pid)
        if st is None:
            return None
        if field == "Seccomp" and st.get("Seccomp", "0").strip() != "0":
            return st
        if not field and st["NoNewPrivs"].strip() == "1":
            # no_new_privs comes after the user and the capabilities, right
            # before the filter (none with --no-seccomp, offline)
            nnp = nnp or time.time()
            if st.get("Seccomp", "0").strip() != "0" or time.time() - nnp > 0.5:
                return st
        time.sleep(0.02)
    return status_of(pid)


def ids(st, field):
    return [int(x) for x in st[field].split()]


def check_identity(st, who, uid, gid, capeff, seccomp="2"):
    if st is None:
        check(False, f"{who}: process gone before its status could be read")
        return
    check(ids(st, "Uid") == [uid] * 4, f"{who}: Uid {st['Uid']} is {uid} x4")
    check(ids(st, "Gid") == [gid] * 4, f"{who}: Gid {st['Gid']} is {gid} x4")
    check(int(st["CapEff"], 16) == capeff, f"{who}: CapEff {st['CapEff']} == {capeff:#x}")
    check(int(st["CapPrm"], 16) == capeff, f"{who}: CapPrm {st['CapPrm']} == {capeff:#x}")
    check(int(st["CapAmb"], 16) == 0, f"{who}: CapAmb {st['CapAmb']} empty")
    check(st["NoNewPrivs"].strip() == "1", f"{who}: NoNewPrivs 1")
    check(st["Seccomp"].strip() == seccomp, f"{who}: Seccomp {st['Seccomp']} == {seccomp}")


def live_run(lab, vrrpwatch, inject, label, args, env=None, inject_rounds=20):
    argv = (["env"] + [f"{k}={v}" for k, v in (env or {}).items()] if env else []) + \
        [vrrpwatch, "-i", "eth0", "--no-config", "--duration", "5s", "--json", "-v"] + args
    p = lab.spawn("r", argv, label, secs=60)
    pid = vrrpwatch_pid(p)
    st = dropped_status(pid) if pid else None
    helper = None
    if pid:
        kids = children(pid)
        # the helper locks itself down after the fork: give it a moment
        helper = dropped_status(kids[0], secs=5, field="Seccomp") if kids else None
    injector = inject if isinstance(inject, list) else [inject]
    lab.run("s", SCAPY_PY, *injector, "eth0", str(inject_rounds))
    try:
        p.p.wait(30)  # --duration ends it
    except subprocess.TimeoutExpired:
        pass
    rc = p.stop()
    records = []
    for _, line in p.lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    return rc, st, helper, records, p.stderr_text()


def adverts_of(records):
    cap = [r for r in records if r.get("type") == "capture"]
    return cap[-1].get("adverts", 0) if cap else -1


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    vrrpwatch, inject, root = (os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]),
                               sys.argv[3])
    netns_lab.require_root_tools("tc")
    if not os.path.exists(SCAPY_PY):
        netns_lab.skip_or_fail("no /usr/bin/python3 (Debian's python3-scapy)")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        netns_lab.skip_or_fail("no user 'nobody' to drop to")
    uid, gid = nobody.pw_uid, nobody.pw_gid
    lab = netns_lab.Lab("pd")
    lab.veth_pair()

    # 1. XDP + tcx, a textfile directory nobody may write
    open_dir = tempfile.mkdtemp(prefix="vw-privdrop-open.")
    os.chown(open_dir, uid, gid)
    prom = os.path.join(open_dir, "vrrpwatch.prom")
    rc, st, helper, recs, err = live_run(lab, vrrpwatch, inject, "xdp",
                                         ["-Z", "nobody", "--prom-file", prom])
    check(rc in (0, 1), f"xdp: exit {rc} is 0 or 1 ({err.strip()[-300:]})")
    check_identity(st, "xdp", uid, gid, 0)
    check_identity(helper, "xdp helper", 0, 0, 0)
    check(adverts_of(recs) >= 40, f"xdp: {adverts_of(recs)} adverts counted after the drop")
    check(any(r.get("type") == "summary" for r in recs), "xdp: closing report")
    check(os.path.exists(prom) and os.stat(prom).st_uid == uid and
          "vrrpwatch_" in open(prom).read(), "xdp: textfile written by nobody")
    check("running as nobody (uid %d) with no capabilities, seccomp filter on" % uid in err,
          "xdp: -v says what was given up")
    check(not SECCOMP_LINE.search(err), "xdp: no system call refused")

    # 2. clsact: CAP_NET_ADMIN kept, and used at exit
    rc, st, _, recs, err = live_run(lab, vrrpwatch, inject, "clsact", ["-Z", "nobody"],
                                    env={"VRRPWATCH_TC_ATTACH": "clsact"})
    check("egress clsact filter" in err, "clsact: the clsact path was taken")
    check(rc in (0, 1), f"clsact: exit {rc} is 0 or 1 ({err.strip()[-300:]})")
    check_identity(st, "clsact", uid, gid, CAP_NET_ADMIN)
    check(adverts_of(recs) >= 40, f"clsact: {adverts_of(recs)} adverts counted")
    q = lab.run("r", "tc", "qdisc", "show", "dev", "eth0").stdout
    check("clsact" not in q, f"clsact: qdisc removed at exit after the drop ({q.strip()})")
    check(not SECCOMP_LINE.search(err), "clsact: no system call refused")

    # 3. libpcap, a directory only root may write: the helper writes it
    root_dir = tempfile.mkdtemp(prefix="vw-privdrop-root.")
    os.chmod(root_dir, 0o700)
    prom_root = os.path.join(root_dir, "vrrpwatch.prom")
    rc, st, helper, recs, err = live_run(lab, vrrpwatch, inject, "pcap",
                                         ["-Z", "nobody", "--backend", "pcap",
                                          "--prom-file", prom_root])
    check(rc in (0, 1), f"pcap: exit {rc} is 0 or 1 ({err.strip()[-300:]})")
    check_identity(st, "pcap", uid, gid, 0)
    check_identity(helper, "pcap helper", 0, 0, 0)
    check(adverts_of(recs) >= 40, f"pcap: {adverts_of(recs)} adverts counted after the drop")
    check(os.path.exists(prom_root) and os.stat(prom_root).st_uid == 0 and
          "vrrpwatch_" in open(prom_root).read(),
          "pcap: textfile in a root-only directory written by the helper")
    check("written by vrrpwatch's helper that stays root" in err, "pcap: -v says so")

    # 4. a forbidden system call in the steady state
    rc, _, _, _, err = live_run(lab, vrrpwatch, inject, "violation", ["-Z", "nobody"],
                                env={"VRRPWATCH_TEST_SECCOMP_VIOLATION": "1"},
                                inject_rounds=1)
    check(rc == 2, f"violation: exit {rc} == 2")
    check(bool(SECCOMP_LINE.search(err)), f"violation: the log line ({err.strip()[-200:]})")

    # 5. --no-seccomp
    rc, st, _, _, err = live_run(lab, vrrpwatch, inject, "noseccomp",
                                 ["-Z", "nobody", "--no-seccomp"],
                                 env={"VRRPWATCH_TEST_SECCOMP_VIOLATION": "1"},
                                 inject_rounds=1)
    check(rc in (0, 1), f"--no-seccomp: exit {rc} ({err.strip()[-200:]})")
    check_identity(st, "--no-seccomp", uid, gid, 0, seccomp="0")

    # 6. -Z root, -Z unknown
    rc, st, _, _, err = live_run(lab, vrrpwatch, inject, "root", ["-Z", "root"],
                                 inject_rounds=1)
    check(rc in (0, 1) and "-Z root: running on as root" in err,
          f"-Z root: warned, exit {rc} ({err.strip()[-200:]})")
    check(st is not None and ids(st, "Uid") == [0] * 4 and st["Seccomp"].strip() == "2",
          "-Z root: uid 0, seccomp filter on")
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), vrrpwatch, "-i", "eth0",
                        "-Z", "no-such-user-vw", "--duration", "1s"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2 and "-Z no-such-user-vw: no such user" in p.stderr,
          f"-Z unknown: exit {p.returncode}, {p.stderr.strip()}")

    # 7. offline replay from a FIFO, as root
    sample = os.path.join(root, "pcaps", "failover", "capture.pcap")
    fifo = os.path.join(lab.dir, "replay.fifo")
    os.mkfifo(fifo)
    rp = subprocess.Popen([vrrpwatch, "-Z", "nobody", "--no-config", "-r", fifo,
                           "--prom-file", os.path.join(root_dir, "replay.prom")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with open(sample, "rb") as f:
        data = f.read()
    with open(fifo, "wb") as w:
        w.write(data[:24])
        w.flush()
        st = dropped_status(rp.pid)
        w.write(data[24:])
    out, err = rp.communicate(timeout=30)
    check_identity(st, "replay", uid, gid, 0, seccomp="0")
    check(rp.returncode in (0, 1) and "resigned as master" in out,
          f"replay: exit {rp.returncode}, report printed ({err.strip()[-200:]})")
    check("vrrpwatch_" in open(os.path.join(root_dir, "replay.prom")).read(),
          "replay: textfile written into a root-only directory (helper)")
    p = subprocess.run([vrrpwatch, "--lint", "-c", "/dev/null", "-Z", "no-such-user-vw"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2 and "no such user" in p.stderr, "--lint -Z unknown: exit 2")
    p = subprocess.run([vrrpwatch, "--lint", "-c", os.path.join(root, "tests", "kaconf",
                                                                 "doc_vrrp.conf"), "-Z", "nobody"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode in (0, 1), f"--lint -Z nobody as root: exit {p.returncode}")

    # 8. a flood under the filter
    rc, _, _, recs, err = live_run(lab, vrrpwatch, FLOOD, "flood", ["-Z", "nobody",
                                                                      "--prom-file", prom],
                                   inject_rounds=600)
    summary = [r for r in recs if r.get("type") == "summary"]
    check(rc in (0, 1) and not SECCOMP_LINE.search(err),
          f"flood: exit {rc}, no system call refused ({err.strip()[-200:]})")
    check(bool(summary) and summary[-1].get("advertisers", 0) >= 600,
          f"flood: {summary[-1].get('advertisers') if summary else None} advertisers")

    shutil.rmtree(open_dir, ignore_errors=True)
    shutil.rmtree(root_dir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failed")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
