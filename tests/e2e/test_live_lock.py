#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The XDP backend's lock file in /run/vrrpwatch: taken per interface and
network namespace (by its cookie), removed on every exit that can remove it.

usage: test_live_lock.py VRRPWATCH DECODE_TEST_BPF_O

On a veth in a fresh namespace:
  1. a run that ends (--duration), SIGINT and SIGTERM mid-run: the lock
     file is there while vrrpwatch runs, gone after, and nothing else is
     left in /run/vrrpwatch;
  2. an error after the lock was taken (a foreign XDP program: --backend
     xdp refuses): no file left;
  3. a second vrrpwatch on the same interface is refused (naming the
     first one's pid) and leaves the first one's lock alone;
  4. another holder's lock at the cookie path refuses too; an unheld
     file there (a killed vrrpwatch's, whose qdisc mark names another
     namespace) is taken over and removed at exit;
  5. a namespace's inode number is reused: a lock held at the path named
     by this namespace's inode (what a dead namespace of that inode had)
     does not refuse vrrpwatch, and is not touched.
Root (network namespaces, XDP): skips (77) elsewhere.
"""
import fcntl
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, require_root_tools  # noqa: E402

LOCK_DIR = "/run/vrrpwatch"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def ns_facts(lab):
    """(netns cookie, netns inode, ifindex of eth0) in namespace 'r'."""
    cookie = lab.run("r", sys.executable, "-c",
                     "import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); "
                     "print(int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 71, 8), 'little'))",
                     check=False).stdout.strip()
    ino = lab.run("r", "stat", "-L", "-c", "%i", "/proc/self/ns/net").stdout.strip()
    link = json.loads(lab.run("r", "ip", "-j", "link", "show", "eth0").stdout)
    return int(cookie or 0), int(ino), link[0]["ifindex"]


# This namespace's lock names (set in main): other runs on the machine may
# add and remove their own meanwhile.
OURS = ()


def listing():
    try:
        return {f for f in os.listdir(LOCK_DIR) if not OURS or f.startswith(OURS)}
    except FileNotFoundError:
        return set()


def argv(vrrpwatch, *extra):
    return [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp", *extra]


def wait_attached(p):
    return p.wait_stderr(r"XDP|xdp", 20) and p.p.poll() is None


def held(path):
    """Is the file at path flock'ed by someone?"""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def exits(lab, vrrpwatch, path, before):
    """1: a run to its end, SIGINT, SIGTERM: held while running, gone after."""
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                        *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"--duration 1s: exit {p.returncode}: {p.stderr}")
    if os.path.exists(path) or listing() - before:
        fail(f"--duration: lock left behind: {sorted(listing() - before)}")
    else:
        print("--duration: lock file removed at the end of the run")
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        p = lab.spawn("r", argv(vrrpwatch), f"lock-{name}", secs=60)
        if not wait_attached(p):
            fail(f"{name}: vrrpwatch did not attach: {p.stderr_text()}")
        running = held(path)
        rc = p.stop(sig)
        if not running:
            fail(f"{name}: no held lock at {path} while running ({sorted(listing())})")
        if os.path.exists(path) or listing() - before:
            fail(f"{name}: exit {rc}: lock left behind: {sorted(listing() - before)}")
        else:
            print(f"{name}: lock held while running, removed at exit {rc}")


def error_after_lock(lab, vrrpwatch, obj, path, before):
    """2: vw_attach_xdp refuses after vw_attach_begin took the lock."""
    lab.run("r", "ip", "link", "set", "dev", "eth0", "xdpgeneric", "obj", obj, "sec", "xdp")
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                        *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
    lab.run("r", "ip", "link", "set", "dev", "eth0", "xdpgeneric", "off")
    if p.returncode != 2 or "is attached already" not in p.stderr:
        fail(f"foreign XDP: want exit 2 and a refusal, got {p.returncode}: {p.stderr}")
    if os.path.exists(path) or listing() - before:
        fail(f"foreign XDP: lock left behind: {sorted(listing() - before)}")
    else:
        print("error after the lock (foreign XDP program): lock file removed")


def second_one(lab, vrrpwatch, path):
    """3: the second vrrpwatch is refused and leaves the first one's lock."""
    first = lab.spawn("r", argv(vrrpwatch), "lock-first", secs=60)
    if not wait_attached(first):
        fail(f"first: did not attach: {first.stderr_text()}")
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                        *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
    first_pid = None
    with open(path) as f:
        first_pid = f.readline().strip()
    if p.returncode != 2 or f"another vrrpwatch (pid {first_pid})" not in p.stderr:
        fail(f"second: want exit 2 naming pid {first_pid}, got {p.returncode}: {p.stderr}")
    if not held(path):
        fail("second: the first one's lock file was removed or let go")
    else:
        print(f"second vrrpwatch refused ({p.stderr.strip()}); the first one's lock stays")
    first.stop()
    if os.path.exists(path):
        fail("first: lock left behind after SIGINT")


def other_holders(lab, vrrpwatch, path, inode_path, before):
    """4 and 5."""
    # 4a: someone holds the cookie path
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    os.write(fd, f"{os.getpid()}\n".encode())
    fcntl.flock(fd, fcntl.LOCK_EX)
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                        *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
    if p.returncode != 2 or f"pid {os.getpid()}" not in p.stderr:
        fail(f"held cookie lock: want a refusal naming pid {os.getpid()}: {p.returncode} "
             f"{p.stderr}")
    if not os.path.exists(path):
        fail("held cookie lock: the refused vrrpwatch removed another's lock file")
    else:
        print("a lock held at this namespace's cookie path refuses vrrpwatch")
    # 4b: the same file let go, with a dead namespace's qdisc mark
    os.ftruncate(fd, 0)
    os.pwrite(fd, b"99999\nclsact-qdisc netns-cookie=1 ifindex=2 ifname=eth0\n", 0)
    os.close(fd)
    p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                        *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
    if p.returncode != 0 or "killed vrrpwatch" in p.stderr:
        fail(f"stale cookie lock: want a clean run, got {p.returncode}: {p.stderr}")
    if os.path.exists(path) or listing() - before:
        fail(f"stale cookie lock: left behind: {sorted(listing() - before)}")
    else:
        print("an unheld lock file is taken over (nothing removed for it) and removed at exit")
    # 5: a held lock at the inode-named path: another namespace's
    fd = os.open(inode_path, os.O_RDWR | os.O_CREAT, 0o644)
    os.write(fd, b"1\n")
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        p = subprocess.run(["ip", "netns", "exec", lab.ns("r"), "timeout", "30",
                            *argv(vrrpwatch, "--duration", "1s")], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"reused inode: a dead namespace's lock refused vrrpwatch: {p.returncode} "
                 f"{p.stderr}")
        elif not os.path.exists(inode_path) or os.path.exists(path):
            fail("reused inode: the other lock was touched, or ours left")
        else:
            print("a lock at this namespace's inode number (a dead namespace's) is ignored")
    finally:
        os.close(fd)
        os.unlink(inode_path)


def main():
    vrrpwatch, obj = (os.path.abspath(a) for a in sys.argv[1:3])
    require_root_tools()
    lab = Lab("lk")
    lab.veth_pair()
    cookie, ino, ifindex = ns_facts(lab)
    if not cookie:
        from netns_lab import skip_or_fail
        skip_or_fail("kernel without SO_NETNS_COOKIE (5.14)")
    global OURS
    OURS = (f"netns-cookie-{cookie}-", f"netns-{ino}-")
    path = f"{LOCK_DIR}/netns-cookie-{cookie}-if-{ifindex}.lock"
    inode_path = f"{LOCK_DIR}/netns-{ino}-if-{ifindex}.lock"
    os.makedirs(LOCK_DIR, exist_ok=True)
    before = listing()
    if path in before:
        raise SystemExit(f"FAIL: {path} exists before any run")
    t0 = time.time()
    exits(lab, vrrpwatch, path, before)
    error_after_lock(lab, vrrpwatch, obj, path, before)
    second_one(lab, vrrpwatch, path)
    other_holders(lab, vrrpwatch, path, inode_path, before)
    lab.close()
    print(f"{len(failures)} failures ({time.time() - t0:.1f} s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
