#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What vrrpwatch leaves on an interface: nothing, even when killed.

usage: test_live_attach.py VRRPWATCH BPF_ATTACHED DECODE_TEST_BPF_O
       (VLAN_PUSH_TEST_BPF_O, a harmless TC program for the foreign
       filters, is taken from the same directory)

On an observer veth with keepalived advertising on the segment:
  1. vrrpwatch -i (XDP + tcx) is killed with SIGKILL mid-run: no XDP and
     no tcx program remains (the bpf_links die with the process);
  2. the same with the clsact fallback of kernels without tcx
     (VRRPWATCH_TC_ATTACH=clsact): the killed one leaves its TC filter
     and the clsact qdisc it made, the next vrrpwatch removes both as its
     own, says so, and leaves nothing when it exits;
  2b. clsact beside other tools' filters (bpf filters in vrrpwatch's own
     priority and another, a u32 filter, on egress and ingress): a clean
     exit and a kill -9 followed by the next start remove vrrpwatch's
     filter alone, and never the qdisc vrrpwatch did not make; a qdisc
     vrrpwatch made stays when another tool added a filter to it meanwhile;
  2c. the lock file's mark of a killed vrrpwatch's qdisc names another
     namespace (its netns cookie: a namespace that took over a dead one's
     inode number) or is in the old format: the next start removes the
     leftover filter (its program says whose it is) but keeps the qdisc;
  3. several -i: a second veth of the observer on the same bridge; the
     advertiser shows on both interfaces, and both are left clean;
  4. a foreign XDP program on the interface is never replaced:
     --backend xdp refuses with a message naming it, --backend auto falls
     back to libpcap and says so, and the program is still there after.
BPF_ATTACHED (tests/e2e/bpf_attached.c) reports what is on the interface.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, require_root_tools  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def attached(lab, tool):
    out = lab.run("obs", tool, "eth0").stdout
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", out)}


def child_pid(pid):
    """vrrpwatch runs under timeout(1): SIGKILL must reach vrrpwatch itself."""
    for _ in range(50):
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            pass
        time.sleep(0.1)
    return None


def kill9(lab, vrrpwatch, tool, env_note, clsact):
    env = ["env", "VRRPWATCH_TC_ATTACH=clsact"] if clsact else []
    p = lab.spawn("obs", env + [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp"],
                  f"kill9-{env_note}")
    if not p.wait_stderr(r"XDP (native|generic)", 20):
        fail(f"{env_note}: vrrpwatch did not attach: {p.stderr_text()}")
        return
    time.sleep(2)  # mid-run: adverts are flowing through the programs
    before = attached(lab, tool)
    want_tc = "clsact_egress" if clsact else "tcx_egress"
    if not before["xdp"] or not before[want_tc]:
        fail(f"{env_note}: not attached as expected while running: {before}")
    os.kill(child_pid(p.p.pid), signal.SIGKILL)
    p.stop()
    after = attached(lab, tool)
    print(f"{env_note}: while running {before}, after kill -9 {after}")
    if after["xdp"] or after["tcx_egress"] or after["tcx_ingress"]:
        fail(f"{env_note}: a program survived kill -9: {after}")
    link = lab.run("obs", "ip", "link", "show", "eth0").stdout
    if "xdp" in link:
        fail(f"{env_note}: ip link still shows XDP: {link}")
    if not clsact and after["clsact_egress"]:
        fail(f"{env_note}: a clsact filter is left: {after}")
    if clsact:
        if not after["clsact_egress"]:
            fail("clsact: the killed vrrpwatch's filter is not there to be cleaned up?")
        # the next start recognises the leftover as its own and removes it
        q = lab.spawn("obs", env + [vrrpwatch, "-i", "eth0", "--no-config", "--duration", "2s"],
                      "clsact-next")
        try:
            q.p.wait(30)  # --duration ends it
        except subprocess.TimeoutExpired:
            pass
        q.stop()
        err = q.stderr_text()
        if "removed the TC filter" not in err:
            fail(f"clsact: the next vrrpwatch did not remove the leftover: {err}")
        if "removed the clsact qdisc" not in err:
            fail(f"clsact: the next vrrpwatch did not remove the leftover qdisc: {err}")
        final = attached(lab, tool)
        print(f"clsact: after the next run {final}")
        if any(final.values()):
            fail(f"clsact: something is left after a clean exit: {final}")
        if has_clsact(lab):
            fail("clsact: the qdisc vrrpwatch made is left after a clean exit")


CLSACT_ENV = ["env", "VRRPWATCH_TC_ATTACH=clsact"]


def has_clsact(lab):
    return "clsact" in lab.run("obs", "tc", "qdisc", "show", "dev", "eth0").stdout


def tc_filters(lab):
    """Every filter on eth0 but vrrpwatch's (handle 0x7677), both directions
    (without the bare "filter protocol all pref N kind chain C" heads, which
    vrrpwatch's filter brings along when it is alone in its priority)."""
    out = []
    for d in ("ingress", "egress"):
        text = lab.run("obs", "tc", "filter", "show", "dev", "eth0", d, check=False).stdout
        out += [f"{d}: {line}" for line in text.splitlines()
                if line.strip() and "0x7677" not in line
                and not re.fullmatch(r"filter protocol \S+ pref \d+ \S+ chain \d+", line.strip())]
    return out


def ours_attached(lab):
    return "handle 0x7677 " in lab.run("obs", "tc", "filter", "show", "dev", "eth0",
                                       "egress", check=False).stdout


def run_clsact(lab, vrrpwatch, label, secs="2s"):
    q = lab.spawn("obs", CLSACT_ENV + [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp",
                                       "--duration", secs], label)
    try:
        q.p.wait(30)  # --duration ends it
    except subprocess.TimeoutExpired:
        pass
    q.stop()
    return q.stderr_text()


def clsact_foreign(lab, vrrpwatch, tool, obj):
    """vrrpwatch's clsact filter beside other tools' filters."""
    push = os.path.join(os.path.dirname(obj), "vlan_push_test.bpf.o")
    tc = ["tc", "filter", "add", "dev", "eth0"]
    lab.run("obs", "tc", "qdisc", "add", "dev", "eth0", "clsact")
    # in vrrpwatch's own priority (the same filter chain), in another, a u32
    lab.run("obs", *tc, "egress", "pref", "1", "handle", "0x1", "bpf", "da", "obj", push,
            "sec", "tc")
    lab.run("obs", *tc, "egress", "pref", "200", "u32", "match", "u32", "0", "0",
            "classid", "1:1")
    lab.run("obs", *tc, "ingress", "pref", "3", "handle", "0x2", "bpf", "da", "obj", push,
            "sec", "tc")
    theirs = tc_filters(lab)
    if len([x for x in theirs if "handle" in x or "fh 800::" in x]) != 3:
        fail(f"clsact-foreign: the foreign filters did not all attach: {theirs}")

    # a clean exit
    p = lab.spawn("obs", CLSACT_ENV + [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp",
                                       "--duration", "3s"], "clsact-foreign")
    if not p.wait_stderr(r"egress clsact filter", 20):
        fail(f"clsact-foreign: vrrpwatch did not attach: {p.stderr_text()}")
    time.sleep(0.5)
    if not ours_attached(lab):
        fail("clsact-foreign: vrrpwatch's filter is not there while it runs")
    try:
        p.p.wait(30)
    except subprocess.TimeoutExpired:
        pass
    p.stop()
    after = tc_filters(lab)
    print(f"clsact-foreign: clean exit, {len(after)} foreign filter lines left "
          f"(of {len(theirs)}), qdisc {'kept' if has_clsact(lab) else 'GONE'}")
    if after != theirs or ours_attached(lab) or not has_clsact(lab):
        fail(f"clsact-foreign: a clean exit changed other filters or the qdisc: "
             f"before {theirs}, after {after}")

    # kill -9, then the next start
    p = lab.spawn("obs", CLSACT_ENV + [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp"],
                  "clsact-foreign-kill")
    if not p.wait_stderr(r"egress clsact filter", 20):
        fail(f"clsact-foreign: vrrpwatch did not attach: {p.stderr_text()}")
    time.sleep(0.5)
    os.kill(child_pid(p.p.pid), signal.SIGKILL)
    p.stop()
    if not ours_attached(lab):
        fail("clsact-foreign: the killed vrrpwatch's filter is not there to be cleaned up?")
    err = run_clsact(lab, vrrpwatch, "clsact-foreign-next")
    after = tc_filters(lab)
    if "removed the TC filter" not in err or "removed the clsact qdisc" in err:
        fail(f"clsact-foreign: the next start did not remove its leftover alone: {err}")
    if after != theirs or ours_attached(lab) or not has_clsact(lab):
        fail(f"clsact-foreign: the next start changed other filters or the qdisc: "
             f"before {theirs}, after {after}")
    print("clsact-foreign: kill -9 and next start: only vrrpwatch's leftover removed")
    lab.run("obs", "tc", "qdisc", "del", "dev", "eth0", "clsact")

    # vrrpwatch makes the qdisc, another tool adds a filter to it meanwhile
    p = lab.spawn("obs", CLSACT_ENV + [vrrpwatch, "-i", "eth0", "--no-config", "--backend", "xdp"],
                  "clsact-shared")
    if not p.wait_stderr(r"egress clsact filter", 20):
        fail(f"clsact-shared: vrrpwatch did not attach: {p.stderr_text()}")
    lab.run("obs", *tc, "egress", "pref", "200", "u32", "match", "u32", "0", "0",
            "classid", "1:1")
    theirs = tc_filters(lab)
    p.stop()
    after = tc_filters(lab)
    if after != theirs or ours_attached(lab) or not has_clsact(lab):
        fail(f"clsact-shared: vrrpwatch's exit took the qdisc or another filter: "
             f"before {theirs}, after {after}")
    else:
        print("clsact-shared: the qdisc vrrpwatch made stays while another tool uses it")
    lab.run("obs", "tc", "qdisc", "del", "dev", "eth0", "clsact")
    if any(attached(lab, tool).values()):
        fail(f"clsact-foreign: something is left: {attached(lab, tool)}")


def lock_file(lab):
    """Named by the namespace's cookie (its inode number is reused)."""
    cookie = lab.run("obs", sys.executable, "-c",
                     "import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); "
                     "print(int.from_bytes(s.getsockopt(socket.SOL_SOCKET, 71, 8), 'little'))"
                     ).stdout.strip()
    link = json.loads(lab.run("obs", "ip", "-j", "link", "show", "eth0").stdout)
    return f"/run/vrrpwatch/netns-cookie-{cookie}-if-{link[0]['ifindex']}.lock"


def stale_mark(lab, vrrpwatch):
    """A qdisc mark that does not name this namespace: the qdisc stays."""
    path = lock_file(lab)
    for case in ("other-netns", "old-format"):
        p = lab.spawn("obs", CLSACT_ENV + [vrrpwatch, "-i", "eth0", "--no-config", "--backend",
                                           "xdp"], f"stale-{case}")
        if not p.wait_stderr(r"egress clsact", 20):
            fail(f"stale mark {case}: vrrpwatch did not attach: {p.stderr_text()}")
            p.stop()
            return
        os.kill(child_pid(p.p.pid), signal.SIGKILL)
        p.stop()
        with open(path) as f:
            text = f.read()
        m = re.search(r"^clsact-qdisc netns-cookie=(\d+) ifindex=\d+ ifname=eth0$", text, re.M)
        if not m or not has_clsact(lab) or not ours_attached(lab):
            fail(f"stale mark {case}: no mark, qdisc or filter after kill -9: {text!r}")
            return
        if case == "other-netns":
            text = text.replace(m.group(0), m.group(0).replace(
                f"netns-cookie={m.group(1)}", f"netns-cookie={int(m.group(1)) + 1}"))
        else:
            text = text.replace(m.group(0), "clsact-qdisc")
        with open(path, "w") as f:
            f.write(text)
        err = run_clsact(lab, vrrpwatch, f"stale-{case}-next")
        kept = has_clsact(lab)
        print(f"stale mark {case}: filter {'removed' if not ours_attached(lab) else 'KEPT'}, "
              f"qdisc {'kept' if kept else 'REMOVED'}")
        if "removed the TC filter" not in err or ours_attached(lab):
            fail(f"stale mark {case}: the leftover filter was not removed: {err}")
        if "removed the clsact qdisc" in err or not kept:
            fail(f"stale mark {case}: a qdisc the mark does not name was removed: {err}")
        lab.run("obs", "tc", "qdisc", "del", "dev", "eth0", "clsact", check=False)


def two_interfaces(lab, vrrpwatch, tool):
    sw, obs = lab.ns("sw"), lab.ns("obs")
    subprocess.run(["ip", "link", "add", "eth1", "netns", obs, "type", "veth", "peer", "name",
                    "pobs2", "netns", sw], check=True)
    for argv in (["ip", "-n", sw, "link", "set", "pobs2", "master", "br0"],
                 ["ip", "-n", sw, "link", "set", "pobs2", "type", "bridge_slave", "learning", "off"],
                 ["ip", "-n", sw, "link", "set", "pobs2", "up"],
                 ["ip", "-n", obs, "link", "set", "eth1", "up"]):
        subprocess.run(argv, check=True)
    p = subprocess.run(["ip", "netns", "exec", obs, "timeout", "30", vrrpwatch, "-i", "eth0", "-i",
                        "eth1", "--no-config", "--json", "--duration", "3s"],
                       capture_output=True, text=True)
    where = {json.loads(l)["interface"] for l in p.stdout.splitlines()
             if '"type":"advertiser"' in l and '"event"' not in l}
    print(f"-i eth0 -i eth1: the advertiser seen on {sorted(where)}")
    if where != {"eth0", "eth1"}:
        fail(f"two interfaces: advertiser seen on {where}: {p.stderr}")
    for dev in ("eth0", "eth1"):
        left = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)",
                                                 lab.run("obs", tool, dev).stdout)}
        if any(left.values()):
            fail(f"two interfaces: {dev} keeps {left}")


def foreign(lab, vrrpwatch, tool, obj):
    lab.run("obs", "ip", "link", "set", "dev", "eth0", "xdpgeneric", "obj", obj, "sec", "xdp")
    theirs = attached(lab, tool)["xdp"]
    if not theirs:
        fail("could not attach the foreign XDP program")
        return
    p = subprocess.run(["ip", "netns", "exec", lab.ns("obs"), "timeout", "30", vrrpwatch, "-i",
                        "eth0", "--no-config", "--backend", "xdp", "--duration", "1s"],
                       capture_output=True, text=True)
    if p.returncode != 2 or "decode_test" not in p.stderr or "--backend pcap" not in p.stderr:
        fail(f"--backend xdp over a foreign program: exit {p.returncode}: {p.stderr}")
    print("--backend xdp: " + p.stderr.strip())
    p = subprocess.run(["ip", "netns", "exec", lab.ns("obs"), "timeout", "30", vrrpwatch, "-i",
                        "eth0", "--no-config", "--duration", "3s", "--json"],
                       capture_output=True, text=True)
    if p.returncode == 2 or "capturing with libpcap instead" not in p.stderr:
        fail(f"--backend auto over a foreign program: exit {p.returncode}: {p.stderr}")
    if '"backend":"pcap"' not in p.stdout or '"type":"advertiser"' not in p.stdout:
        fail(f"--backend auto did not capture with libpcap: {p.stdout[-400:]}")
    print("--backend auto: " + p.stderr.strip().splitlines()[0])
    if attached(lab, tool)["xdp"] != theirs:
        fail("the foreign XDP program was replaced or removed")
    lab.run("obs", "ip", "link", "set", "dev", "eth0", "xdpgeneric", "off")


def main():
    vrrpwatch, tool, obj = (os.path.abspath(a) for a in sys.argv[1:4])
    require_root_tools("keepalived")
    lab = Lab("at")
    lab.segment(["a"])
    lab.start_keepalived("a", lab.keepalived_conf("a", "MASTER", 150, ["198.18.0.100/24"]))
    if not lab.wait_keepalived("a", "Entering MASTER STATE", 20):
        raise SystemExit("FAIL: keepalived a never became MASTER")
    kill9(lab, vrrpwatch, tool, "tcx", clsact=False)
    kill9(lab, vrrpwatch, tool, "clsact", clsact=True)
    clsact_foreign(lab, vrrpwatch, tool, obj)
    stale_mark(lab, vrrpwatch)
    two_interfaces(lab, vrrpwatch, tool)
    foreign(lab, vrrpwatch, tool, obj)
    lab.close()
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print("nothing left behind, nobody else's program touched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
