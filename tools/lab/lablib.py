# SPDX-License-Identifier: GPL-2.0-or-later
"""lablib.py - the engine of tools/lab/lab: run one scenario of REAL keepalived daemons in
network namespaces and keep it as a sample (capture, configs, stamped logs, run.json).

Safety: only 198.18.0.0/15 and fd00::/8 (and kernel link-local) addresses; nothing is connected
to the host's namespaces; every namespace is named vwlab<slot>-*, every process runs under
timeout(1), and Run.close() (called from finally, atexit and the SIGTERM/SIGINT handlers of
the caller) kills what it started and deletes the namespaces.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

STOP = threading.Event()         # set by the caller's signal handler: start nothing more
NUM = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}
OBS_MAC = "02:00:00:00:00:fe"
CAPTURE_FILTER = "arp or (ip proto 112) or ip6"
# s past the planned end a capture or live watch may run, should the lab's SIGINT
# (stop_capture) not reach it: only a bound
STOP_SLACK = 10


def mac_of(n):
    return "02:00:00:00:00:%02x" % NUM[n]


def ip4_of(n, net=0):
    return "198.18.%d.%d" % (net, NUM[n])


def ip6_of(n):
    return "fd00:0:0:1::%d" % NUM[n]


def ll6_of(n):
    return "fe80::ff:fe00:%d" % NUM[n]


def log(msg):
    print("[lab %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ configs
def node_defaults(spec):
    d = dict(state="BACKUP", prio=100, vrid=51, int=1, ver=None, family="ipv4",
             vips=None, unicast=False, foreign=False, iface="eth0", net=0, bridge="br0",
             auth=None, nopreempt=False)
    d.update(spec)
    if d["vips"] is None:
        d["vips"] = (["fe80::100/64", "fd00:0:0:1::100/64"] if d["family"] == "ipv6"
                     else ["198.18.%d.100/24" % d["net"]])
    return d


def mkconf(scen, node, n, all_nodes):
    lines = ["# keepalived.conf of node %s, scenario %s (written by tools/lab/lab)" % (node, scen),
             "global_defs {", "    router_id vwlab_%s" % node, "}", "",
             "vrrp_instance VI_%d {" % n["vrid"], "    state %s" % n["state"],
             "    interface %s" % n["iface"], "    virtual_router_id %d" % n["vrid"],
             "    priority %d" % n["prio"], "    advert_int %s" % n["int"]]
    if n["ver"]:
        lines.append("    version %d" % n["ver"])
    if n["nopreempt"]:
        lines.append("    nopreempt")
    if n["auth"]:
        lines += ["    authentication {", "        auth_type PASS",
                  "        auth_pass %s" % n["auth"], "    }"]
    if n["unicast"]:
        lines.append("    unicast_src_ip %s" % ip4_of(node, n["net"]))
        lines.append("    unicast_peer {")
        for p, pn in all_nodes.items():
            if p != node and pn["unicast"] and pn["vrid"] == n["vrid"]:
                lines.append("        %s" % ip4_of(p, pn["net"]))
        lines.append("    }")
    lines.append("    virtual_ipaddress {")
    for v in n["vips"]:
        lines.append("        %s dev %s" % (v, n["iface"]))
    lines += ["    }", "}", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ processes
class Keepalived:
    """keepalived in a namespace; its console output read through a pipe and every line stamped
    with CLOCK_REALTIME on arrival (the clock tcpdump stamps with)."""

    def __init__(self, run, node, conf, limit):
        self.node = node
        self.rundir = os.path.join(run.tmp, "run-%s-%d" % (node, len(run.kprocs)))
        os.makedirs(self.rundir)
        self.pidf = os.path.join(self.rundir, "k.pid")
        self.vpidf = os.path.join(self.rundir, "v.pid")
        argv = ["ip", "netns", "exec", run.ns(node), "timeout", "--foreground", "-k", "5",
                str(int(limit)), "keepalived", "--dont-fork", "--log-console", "--no-syslog",
                "--log-detail", "--vrrp", "-f", conf, "-p", self.pidf, "-r", self.vpidf]
        self.out = run.logs[node]
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, text=True, bufsize=1,
                                  errors="replace")
        self.th = threading.Thread(target=self._read, daemon=True)
        self.th.start()

    def _read(self):
        for line in self.p.stdout:
            now = time.time()
            self.out.append((now, line.rstrip("\n")))

    def _pid(self, f):
        try:
            with open(f) as fh:
                pid = int(fh.read().strip())
            with open("/proc/%d/comm" % pid) as c:
                return pid if c.read().strip() == "keepalived" else None
        except (OSError, ValueError):
            return None

    def wait_pids(self, secs=5):
        deadline = time.time() + secs
        while time.time() < deadline:
            if self._pid(self.pidf) and self._pid(self.vpidf):
                return True
            time.sleep(0.05)
        return False

    def term(self):
        pid = self._pid(self.pidf)
        if pid:
            os.kill(pid, signal.SIGTERM)
        elif self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)

    def kill(self):
        """A crash: the VRRP child is stopped first (so the parent's death signal cannot make it
        resign), then both get SIGKILL: no priority 0 advert."""
        vpid, pid = self._pid(self.vpidf), self._pid(self.pidf)
        if vpid:
            os.kill(vpid, signal.SIGSTOP)
        if pid:
            os.kill(pid, signal.SIGKILL)
        if vpid:
            os.kill(vpid, signal.SIGKILL)

    def reap(self):
        if self.p.poll() is None:
            self.term()
            try:
                self.p.wait(8)
            except subprocess.TimeoutExpired:
                self.kill()
                self.p.kill()
                self.p.wait()
        for f in (self.vpidf, self.pidf):
            pid = self._pid(f)
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        self.th.join(3)


class Run:
    """One scenario run in slot `slot` (namespaces vwlab<slot>-*)."""

    def __init__(self, slot, scen, outdir, extra_watch=None):
        self.prefix = "vwlab%d" % slot
        self.s = scen
        self.out = outdir
        self.tmp = tempfile.mkdtemp(prefix="vwlab%d-" % slot)
        self.nss = []
        self.kprocs = []
        self.others = []           # Popen of tcpdump, vrrpwatch
        self.logs = {}
        self.events_done = []
        self.nodes = {k: node_defaults(v) for k, v in scen["nodes"].items()}
        self.extra_watch = extra_watch or []   # live-compare: [(nsname, iface, argv, outpath)]
        self.watch_procs = []                  # their Popen, stopped with the capture
        self.limit = scen["duration"] + 60

    def ns(self, name):
        return "%s-%s" % (self.prefix, name)

    def sh(self, *argv, check=True, inp=None):
        return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=30,
                              input=inp)

    def nsx(self, name, *argv, check=True, inp=None):
        return self.sh("ip", "netns", "exec", self.ns(name), *argv, check=check, inp=inp)

    def add_ns(self, name, ipv6=False):
        if STOP.is_set():
            raise RuntimeError("stopping")
        self.sh("ip", "netns", "add", self.ns(name))
        self.nss.append(self.ns(name))
        if not ipv6:
            self.nsx(name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                     "net.ipv6.conf.default.disable_ipv6=1")
        else:
            self.nsx(name, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0",
                     "net.ipv6.conf.all.accept_dad=0",
                     "net.ipv6.conf.default.router_solicitations=0",
                     "net.ipv6.conf.all.router_solicitations=0")
        self.sh("ip", "-n", self.ns(name), "link", "set", "lo", "up")

    # ---------------------------------------------------------------- segment
    def segment(self):
        self.add_ns("sw")
        bridges = sorted({n["bridge"] for n in self.nodes.values()})
        for br in bridges:
            self.sh("ip", "-n", self.ns("sw"), "link", "add", br, "type", "bridge", "stp_state",
                    "0", "mcast_snooping", "0")
            self.sh("ip", "-n", self.ns("sw"), "link", "set", br, "up")
        ports = []
        if len(bridges) == 1:
            self.add_ns("obs")          # IPv6 off: the observer only listens
            self.sh("ip", "link", "add", "name", "eth0", "address", OBS_MAC, "netns",
                    self.ns("obs"), "type", "veth", "peer", "name", "pobs", "netns", self.ns("sw"))
            ports.append(("pobs", bridges[0]))
        for node, n in self.nodes.items():
            self.add_ns(node, n["family"] == "ipv6")
            self.sh("ip", "link", "add", "name", n["iface"], "address", mac_of(node), "netns",
                    self.ns(node), "type", "veth", "peer", "name", "p" + node, "address",
                    "02:00:00:00:01:%02x" % NUM[node], "netns", self.ns("sw"))
            if n["family"] == "ipv6":
                self.nsx(node, "sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=0" % n["iface"],
                         "net.ipv6.conf.%s.accept_dad=0" % n["iface"])
                self.sh("ip", "-n", self.ns(node), "addr", "add", ip6_of(node) + "/64", "dev",
                        n["iface"], "nodad")
            else:
                self.sh("ip", "-n", self.ns(node), "addr", "add", ip4_of(node, n["net"]) + "/24",
                        "dev", n["iface"])
            ports.append(("p" + node, n["bridge"]))
        for port, br in ports:
            sw = ["ip", "-n", self.ns("sw"), "link", "set", port]
            self.sh(*sw, "master", br)
            self.sh(*sw, "type", "bridge_slave", "learning", "off", "flood", "on", "mcast_flood", "on")
            self.sh(*sw, "up")
        if len(bridges) == 1:
            self.sh("ip", "-n", self.ns("obs"), "link", "set", "eth0", "up")
        for node, n in self.nodes.items():
            self.sh("ip", "-n", self.ns(node), "link", "set", n["iface"], "up")
        self.bridges = bridges

    # ---------------------------------------------------------------- keepalived
    def conf_path(self, node):
        return os.path.join(self.out, "keepalived.conf" if node == self.s["local"] else node + ".conf")

    def start(self, node):
        if STOP.is_set():
            raise RuntimeError("stopping")
        self.logs.setdefault(node, [])
        kp = Keepalived(self, node, self.conf_path(node), self.limit)
        self.kprocs.append(kp)
        self.cur[node] = kp
        kp.wait_pids(3)

    def event(self, ev):
        t, what, node = ev[0], ev[1], ev[2] if len(ev) > 2 else None
        now = time.time()
        self.events_done.append({"t": round(now - self.t0, 3), "at": now, "event": what,
                                 "node": node, "planned_t": t,
                                 "args": list(ev[3:]) if len(ev) > 3 else []})
        log("  %s t=%.1f %s %s" % (self.s["name"], now - self.t0, what, node or ""))
        if what == "start":
            self.start(node)
        elif what == "term":
            self.cur[node].term()
        elif what == "kill":
            self.cur[node].kill()
        elif what == "drop":          # node stops receiving VRRP from ev[3] (a node letter)
            src = ev[3]
            self.nsx(node, "nft", "-f", "-", inp=(
                "table inet vwlab_drop_%s {\n chain input {\n  type filter hook input priority "
                "filter; policy accept;\n  ip saddr %s ip protocol vrrp drop\n }\n}\n"
                % (src, ip4_of(src, self.nodes[src]["net"]))))
        elif what == "undrop":
            self.nsx(node, "nft", "delete", "table", "inet", "vwlab_drop_%s" % ev[3], check=False)
        else:
            raise ValueError("unknown event " + what)

    def wait_log(self, node, regex, secs):
        deadline = time.time() + secs
        while time.time() < deadline:
            if any(re.search(regex, l) for _, l in list(self.logs.get(node, []))):
                return True
            time.sleep(0.1)
        return False

    # ---------------------------------------------------------------- the run
    def capture_start(self):
        """tcpdump in the observer namespace (or one per bridge in the switch for a trunk)."""
        self.tcpdumps = []
        if len(self.bridges) == 1:
            targets = [("obs", "eth0", os.path.join(self.out, "capture.pcap"))]
        else:
            targets = [("sw", br, os.path.join(self.tmp, "%s.pcap" % br)) for br in self.bridges]
        # live-compare: the live watches first, each attached (its first stderr line says
        # how it captures) before the capture starts, so that they see all the capture
        # holds; stop_capture ends them and the capture at one moment (their --duration,
        # longer, only bounds them), so that the capture holds all they saw
        watches = []
        self.watch_procs = []
        for nsn, iface, argv, outp in self.extra_watch:
            p = subprocess.Popen(["ip", "netns", "exec", self.ns(nsn), "timeout", "-s", "INT",
                                  "-k", "10", str(self.s["duration"] + STOP_SLACK + 2)] + argv,
                                 stdout=open(outp, "w"), stderr=open(outp + ".err", "w"))
            self.others.append(p)
            self.watch_procs.append(p)
            watches.append((p, outp + ".err"))
        deadline = time.time() + 20
        for p, errp in watches:
            while not open(errp).read().strip():
                if time.time() > deadline or p.poll() is not None:
                    raise RuntimeError("vrrpwatch did not start: " + open(errp).read())
                time.sleep(0.02)
        self.stop_at = time.time() + self.s["duration"]  # stop_capture
        # --immediate-mode: without it the kernel hands tcpdump its frames a block at a
        # time, and the block still filling when it is stopped (up to a second of frames,
        # a takeover in the run's last second) never reaches the file
        for nsn, dev, path in targets:
            errp = os.path.join(self.tmp, "tcpdump-%s.err" % dev)
            p = subprocess.Popen(["ip", "netns", "exec", self.ns(nsn), "timeout", "-s", "INT",
                                  str(self.s["duration"] + STOP_SLACK), "tcpdump", "-i", dev,
                                  "-nn", "-U", "--immediate-mode", "-Z", "root", "-w", path,
                                  CAPTURE_FILTER],
                                 stdout=subprocess.DEVNULL, stderr=open(errp, "w"))
            self.others.append(p)
            self.tcpdumps.append((p, errp, path, dev))
        deadline = time.time() + 10
        for p, errp, path, dev in self.tcpdumps:
            while "listening on" not in open(errp).read():
                if time.time() > deadline or p.poll() is not None:
                    raise RuntimeError("tcpdump did not start: " + open(errp).read())
                time.sleep(0.02)
        self.t0 = time.time()

    def go(self):
        s = self.s
        self.cur = {}
        self.segment()
        # confs
        for node, n in self.nodes.items():
            with open(self.conf_path(node), "w") as f:
                f.write(mkconf(s["name"], node, n, self.nodes))
        for node in self.nodes:
            self.logs.setdefault(node, [])
        self.t0 = time.time()
        for node in s.get("prestart", []):
            self.start(node)
        if s.get("settle"):
            if not self.wait_log(s["settle"], r"Entering MASTER STATE", 20):
                log("  %s: %s not MASTER after 20 s" % (s["name"], s["settle"]))
            time.sleep(s.get("settle_extra", 2))
        evs = sorted(s.get("events", []), key=lambda e: e[0])
        pre = [e for e in evs if e[0] < 0]
        if pre:                       # events before the capture: t0 is planned ahead
            self.t0 = time.time() - pre[0][0]
            for ev in pre:
                d = self.t0 + ev[0] - time.time()
                if d > 0:
                    time.sleep(d)
                self.event(ev)
            d = self.t0 - time.time()
            if d > 0:
                time.sleep(d)
        self.capture_start()
        for e in self.events_done:    # relative to the real capture start
            e["t"] = round(e["at"] - self.t0, 3)
        for ev in [e for e in evs if e[0] >= 0]:
            d = self.t0 + ev[0] - time.time()
            if d > 0:
                time.sleep(d)
            self.event(ev)
        self.stop_capture()
        self.t_end = time.time()
        if STOP.is_set():
            raise RuntimeError("stopping")
        for p in self.others:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        self.close()
        self.write()

    def stop_capture(self):
        """At the capture's planned end, SIGINT to the live watches, then to the tcpdumps
        (`timeout` passes it on): both end within a few microseconds, so that a live watch
        sees no frame the capture lacks, nor the capture one the watch missed."""
        d = self.stop_at - time.time()
        if d > 0:
            time.sleep(d)
        for p in self.watch_procs + [t[0] for t in self.tcpdumps]:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p, errp, path, dev in self.tcpdumps:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()

    def close(self):
        for kp in self.kprocs:
            kp.reap()
        for p in self.others:
            if p.poll() is None:
                p.kill()
                p.wait()
        for n in reversed(self.nss):
            subprocess.run(["ip", "netns", "delete", n], capture_output=True, timeout=30)
        self.nss = []

    def write(self):
        s = self.s
        if len(self.bridges) > 1:
            merge_trunk([(path, s["vlans"].get(dev)) for _, _, path, dev in self.tcpdumps],
                        os.path.join(self.out, "capture.pcap"))
        os.makedirs(os.path.join(self.out, "logs"), exist_ok=True)
        for node, lines in self.logs.items():
            with open(os.path.join(self.out, "logs", node + ".log"), "w") as f:
                for ts, l in lines:
                    f.write("%.6f %+8.3f %s\n" % (ts, ts - self.t0, l))
        run = {"scenario": s["name"], "t0": self.t0, "t_end": self.t_end,
               "duration": s["duration"], "local": s["local"], "nodes": self.nodes,
               "events": self.events_done, "prestart": s.get("prestart", []),
               "capture_filter": CAPTURE_FILTER,
               "keepalived": subprocess.run(["keepalived", "--version"], capture_output=True,
                                            text=True).stderr.split("\n")[0]}
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(run, f, indent=1, sort_keys=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


# ------------------------------------------------------------------------------ trunk merge
def _read_pcap(path):
    import struct
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        raise ValueError("unexpected pcap magic in " + path)
    hdr, off, recs = data[:24], 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append((sec, frac, data[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return hdr, recs


def merge_trunk(parts, out):
    """parts: [(pcap, vlan or None)]; 802.1Q tags inserted after the MAC addresses (as a trunk
    port delivers them), records merged by time."""
    import struct
    allrecs, hdr = [], None
    for path, vlan in parts:
        h, recs = _read_pcap(path)
        hdr = hdr or h
        for sec, frac, pkt, orig in recs:
            if vlan is not None:
                pkt = pkt[:12] + struct.pack(">HH", 0x8100, vlan & 0xfff) + pkt[12:]
                orig += 4
            allrecs.append((sec, frac, pkt, orig))
    allrecs.sort(key=lambda r: (r[0], r[1]))
    with open(out, "wb") as f:
        f.write(hdr)
        for sec, frac, pkt, orig in allrecs:
            f.write(struct.pack("<IIII", sec, frac, len(pkt), orig) + pkt)
