# SPDX-License-Identifier: GPL-2.0-or-later
"""netns_lab.py - an isolated L2 segment for the live tests.

A 'switch' namespace holds a bridge that floods every frame to every port
(no learning, no snooping, no STP); each node and the observer get a
namespace with one veth 'eth0' plugged into it.  Real keepalived daemons
run in the node namespaces (each with its own pid files).

Safety, as tools/capture-samples: only 198.18.0.0/15 and fd00::/8, nothing
connected to the host's namespaces, names unique to this run (vl<pid>-*),
every process under timeout(1), and close() (also run on SIGTERM and at
exit) kills what it started and deletes the namespaces.
"""
import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

EXIT_SKIP = 77
NUM = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}


def skip_or_fail(why):
    """Exit 77, or 1 when VRRPWATCH_NO_SKIP is set (CI must not skip)."""
    if os.environ.get("VRRPWATCH_NO_SKIP"):
        print(f"FAIL: {why} (VRRPWATCH_NO_SKIP is set: no skipping)", file=sys.stderr)
        sys.exit(1)
    print(f"SKIP: {why}", file=sys.stderr)
    sys.exit(EXIT_SKIP)


def require_root_tools(*tools):
    if os.geteuid() != 0:
        skip_or_fail("needs root (network namespaces, XDP)")
    for t in ("ip", "timeout") + tools:
        if not shutil.which(t):
            skip_or_fail(f"{t} is not installed")


def mac_of(node):
    return "02:00:00:00:00:%02x" % NUM[node]


def ip4_of(node):
    return "198.18.0.%d" % NUM[node]


class Proc:
    """A process in a namespace whose output lines are kept with their arrival time."""

    def __init__(self, argv, log_path, keep_lines=True):
        self.log = open(log_path, "w")
        self.lines = []  # (time.time(), line)
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                  bufsize=1)
        self.reader = threading.Thread(target=self._read, args=(keep_lines,), daemon=True)
        self.reader.start()

    def _read(self, keep):
        for line in self.p.stdout:
            if keep:
                self.lines.append((time.time(), line))

    def stderr_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def wait_stderr(self, regex, secs):
        deadline = time.time() + secs
        while time.time() < deadline:
            if re.search(regex, self.stderr_text()):
                return True
            if self.p.poll() is not None:
                return bool(re.search(regex, self.stderr_text()))
            time.sleep(0.05)
        return False

    def kill_tree(self):
        """SIGKILL the command and timeout(1) around it (--foreground leaves it alone)."""
        try:
            with open(f"/proc/{self.p.pid}/task/{self.p.pid}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            kids = []
        for pid in kids + [self.p.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.p.wait()

    def stop(self, sig=signal.SIGINT, secs=15):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            self.p.wait(secs)
        except subprocess.TimeoutExpired:
            self.kill_tree()
        self.reader.join(5)
        self.log.close()
        return self.p.returncode


class Lab:
    def __init__(self, tag):
        self.prefix = f"vl{os.getpid() % 100000}{tag}"
        self.dir = tempfile.mkdtemp(prefix=f"vrrpwatch-{tag}-")
        self.nss = []
        self.procs = []
        self.keepalived = {}
        atexit.register(self.close)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    # ---- plumbing
    def ns(self, name):
        return f"{self.prefix}-{name}"

    def run(self, name, *argv, check=True):
        return subprocess.run(["ip", "netns", "exec", self.ns(name), *argv], check=check,
                              capture_output=True, text=True, timeout=30)

    def add_ns(self, name):
        subprocess.run(["ip", "netns", "add", self.ns(name)], check=True)
        self.nss.append(self.ns(name))
        self.run(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1")
        subprocess.run(["ip", "-n", self.ns(name), "link", "set", "lo", "up"], check=True)

    def veth_pair(self, mtu=None, r_name="eth0"):
        """Namespaces 's' (sender) and 'r' (receiver) joined by a veth: eth0 in
        's', r_name in 'r'; both up, no addresses."""
        self.add_ns("s")
        self.add_ns("r")
        opt = ["mtu", str(mtu)] if mtu else []
        subprocess.run(["ip", "link", "add", "eth0", *opt, "netns", self.ns("s"), "type",
                        "veth", "peer", "name", r_name, *opt, "netns", self.ns("r")],
                       check=True)
        for n, dev in (("s", "eth0"), ("r", r_name)):
            subprocess.run(["ip", "-n", self.ns(n), "link", "set", dev, "up"], check=True)

    def segment(self, nodes, observer=True):
        """Bridge br0 in 'sw'; eth0 in each node (198.18.0.N/24) and in 'obs'."""
        self.add_ns("sw")
        sw = self.ns("sw")
        ip = ["ip", "-n", sw]
        subprocess.run(ip + ["link", "add", "br0", "type", "bridge", "stp_state", "0",
                             "mcast_snooping", "0"], check=True)
        subprocess.run(ip + ["link", "set", "br0", "up"], check=True)
        members = list(nodes) + (["obs"] if observer else [])
        for n in members:
            self.add_ns(n)
            mac = mac_of(n) if n in NUM else "02:00:00:00:00:fe"
            subprocess.run(["ip", "link", "add", "name", "eth0", "address", mac, "netns",
                            self.ns(n), "type", "veth", "peer", "name", f"p{n}", "netns", sw],
                           check=True)
            if n in NUM:
                subprocess.run(["ip", "-n", self.ns(n), "addr", "add", ip4_of(n) + "/24",
                                "dev", "eth0"], check=True)
            subprocess.run(ip + ["link", "set", f"p{n}", "master", "br0"], check=True)
            subprocess.run(ip + ["link", "set", f"p{n}", "type", "bridge_slave", "learning",
                                 "off", "flood", "on", "mcast_flood", "on"], check=True)
            subprocess.run(ip + ["link", "set", f"p{n}", "up"], check=True)
            subprocess.run(["ip", "-n", self.ns(n), "link", "set", "eth0", "up"], check=True)

    def port(self, node, up):
        """The switch port of a node: down, no frame reaches it or leaves it."""
        subprocess.run(["ip", "-n", self.ns("sw"), "link", "set", f"p{node}",
                        "up" if up else "down"], check=True)

    def spawn(self, name, argv, label, secs=240, keep_lines=True):
        """argv in namespace `name`, under timeout(1); stderr to a log file."""
        # --foreground: a signal for the process reaches it alone, and its
        # exit status comes back unchanged
        full = ["ip", "netns", "exec", self.ns(name), "timeout", "--foreground", "-k", "5",
                str(secs)] + argv
        p = Proc(full, os.path.join(self.dir, label + ".log"), keep_lines)
        self.procs.append(p)
        return p

    # ---- keepalived
    def keepalived_conf(self, node, state, prio, vips, vrid=51, interval=1):
        path = os.path.join(self.dir, f"{node}.conf")
        with open(path, "w") as f:
            f.write(f"global_defs {{\n    router_id vwl_{node}\n}}\n\n"
                    f"vrrp_instance VI_{vrid} {{\n    state {state}\n    interface eth0\n"
                    f"    virtual_router_id {vrid}\n    priority {prio}\n"
                    f"    advert_int {interval}\n    virtual_ipaddress {{\n" +
                    "".join(f"        {v} dev eth0\n" for v in vips) + "    }\n}\n")
        return path

    def start_keepalived(self, node, conf):
        argv = ["keepalived", "--dont-fork", "--log-console", "--no-syslog", "--vrrp", "-f", conf,
                "-p", os.path.join(self.dir, f"{node}.pid"),
                "-r", os.path.join(self.dir, f"{node}.vrrp.pid")]
        full = ["ip", "netns", "exec", self.ns(node), "timeout", "--foreground", "-k", "5", "240"]
        log = open(os.path.join(self.dir, f"keepalived-{node}.log"), "w")
        self.keepalived[node] = (subprocess.Popen(full + argv, stdout=log, stderr=log), log)

    def wait_keepalived(self, node, regex, secs):
        path = os.path.join(self.dir, f"keepalived-{node}.log")
        deadline = time.time() + secs
        while time.time() < deadline:
            with open(path) as f:
                if re.search(regex, f.read()):
                    return True
            time.sleep(0.1)
        return False

    def nft(self, node, ruleset):
        subprocess.run(["ip", "netns", "exec", self.ns(node), "nft", "-f", "-"], input=ruleset,
                       text=True, check=True, timeout=30)

    # ---- cleanup
    def _reap_keepalived(self):
        for node, (p, log) in self.keepalived.items():
            if p.poll() is None:
                p.terminate()
        for node, (p, log) in self.keepalived.items():
            try:
                p.wait(8)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            log.close()
            # a VRRP child whose parent died first: the pid files say who
            for f in (f"{node}.pid", f"{node}.vrrp.pid"):
                try:
                    with open(os.path.join(self.dir, f)) as pf:
                        pid = int(pf.read().strip())
                    with open(f"/proc/{pid}/comm") as c:
                        if c.read().strip() == "keepalived":
                            os.kill(pid, signal.SIGKILL)
                except (OSError, ValueError):
                    pass
        self.keepalived = {}

    def close(self):
        for p in self.procs:
            if p.p.poll() is None:
                p.kill_tree()
        self.procs = []
        self._reap_keepalived()
        for ns in self.nss:
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
        self.nss = []
        if os.environ.get("VRRPWATCH_KEEP_LAB"):
            print(f"lab files kept in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
