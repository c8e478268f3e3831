#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare vrrpwatch's reading of a keepalived.conf with keepalived's own.

Development aid for the config reader (needs root, unshare(1) and
keepalived 2.2.7): runs keepalived in a private network namespace whose
interfaces are named after the ones the configuration uses, makes it dump
its VRRP topology (-d), and compares every instance field by field with
`vrrpwatch --show-config --json`.

usage: oracle_compare.py SHOW_CMD CONFIG [CONFIG_ID]
  SHOW_CMD  command printing "instance" JSON records for a config, with
            {config} and {id} placeholders, e.g.
            "vrrpwatch --show-config --json -c {config} --config-id {id}"
Exit status 0 when both agree, 1 on differences, 77 when it cannot run.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def ours(cmd, config, cid):
    argv = [a.replace("{config}", config).replace("{id}", cid) for a in shlex.split(cmd)]
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{") and '"instance"' in l]


def setup_script(ifaces):
    lines = ["ip link set lo up"]
    for n, name in enumerate(sorted(ifaces)):
        lines.append(f"ip link add {name} type veth peer name vwpeer{n}")
        lines.append(f"ip link set {name} up; ip link set vwpeer{n} up")
        lines.append(f"ip addr add 198.18.{n}.1/24 dev {name}")
        lines.append(f"ip addr add fd00:{n}::1/64 dev {name} nodad")
    lines.append("sleep 0.3")
    return "\n".join(lines)


def keepalived_dump(config, cid, ifaces):
    tmp = tempfile.mkdtemp()
    script = setup_script(ifaces) + f"""
timeout -s TERM 3 keepalived -n -l -d -P -G -f {shlex.quote(config)} -i {shlex.quote(cid)} \
  -p {tmp}/p -r {tmp}/r 2>&1
"""
    try:
        r = subprocess.run(["timeout", "20", "unshare", "-n", "sh", "-c", script],
                           capture_output=True, text=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [re.sub(r"^\w{3} \w{3} [ \d]\d [\d:]+ \d+: ", "", l) for l in r.stdout.splitlines()]


def parse_dump(lines):
    insts, cur, section = {}, None, None
    in_topology = False
    for l in lines:
        if "VRRP Topology" in l:
            in_topology = True
            continue
        if re.match(r"^-+< ", l) and in_topology and "Topology" not in l:
            in_topology = False
        if not in_topology:
            continue
        # the dump's lines are indented; an unindented line is keepalived
        # already running (e.g. an address owner "Entering MASTER STATE")
        # and can land between a section header and its addresses
        if not l.startswith(" "):
            continue
        m = re.match(r"^ VRRP Instance = (.+)$", l)
        if m:
            cur = insts.setdefault(m.group(1), {"vips": [], "evips": [], "peers": []})
            section = None
            continue
        if cur is None:
            continue
        s = l.strip()
        kv = {
            "VRRP Version": "version", "Wantstate": "state", "Interface": "interface",
            "Virtual Router ID": "vrid", "Priority": "priority", "Advert interval": "interval",
            "Accept": "accept", "Preempt": "preempt", "Authentication type": "auth",
            "Preempt delay": "preempt_delay",
        }
        m = re.match(r"^([A-Za-z ]+?) = (.*)$", s)
        if m and m.group(1) in kv:
            cur[kv[m.group(1)]] = m.group(2)
            continue
        m = re.match(r"^Multicast address (\S+?),?( |$)", s)
        if m:
            cur["mcast"] = m.group(1)
            continue
        if s.startswith("Virtual IP Excluded"):
            section = "evips"
            continue
        if s.startswith("Virtual IP ("):
            section = "vips"
            continue
        if s.startswith("Unicast Peer"):
            section = "peers"
            continue
        if s == "Enforcing strict VRRP compliance":
            cur["strict"] = True
        if s == "Skip checking advert IP addresses":
            cur["skip_check"] = True
        if section and l.startswith("     ") and s and s[0] in "0123456789abcdef" and (":" in s.split()[0] or "." in s.split()[0]):
            cur[section].append(s.split()[0])
            continue
        if not l.startswith("     "):
            section = None
    return insts


def interval_cs(text):
    m = re.match(r"(\d+) (sec|milli-sec)", text)
    n = int(m.group(1))
    return n * 100 if m.group(2) == "sec" else n // 10


def vip_str(v):
    return v


def compare(mine, theirs):
    diffs = []
    names = sorted(set(mine) | set(theirs))
    for n in names:
        if n not in theirs:
            if not mine[n]["rejected"]:
                diffs.append(f"{n}: keepalived has no such instance")
            continue
        if n not in mine:
            diffs.append(f"{n}: vrrpwatch has no such instance")
            continue
        a, b = mine[n], theirs[n]
        exp = {
            "version": str(a["version"]), "state": a["state"], "interface": a["interface"],
            "vrid": str(a["vrid"]), "priority": str(a["priority"]),
            "accept": "enabled" if a["accept"] else "disabled",
            "preempt": "disabled" if a["nopreempt"] else "enabled",
        }
        if ", vmac on " in b.get("interface", ""):
            b["interface"] = b["interface"].split(", vmac on ")[1]
        b["interface"] = b.get("interface", "").split(", xmit base")[0]
        for k, v in exp.items():
            if b.get(k) != v:
                diffs.append(f"{n}: {k}: vrrpwatch {v!r}, keepalived {b.get(k)!r}")
        if "interval" in b and interval_cs(b["interval"]) != a["interval_cs"]:
            diffs.append(f"{n}: interval_cs: vrrpwatch {a['interval_cs']}, keepalived {b['interval']}")
        auth = {"none": "none", "pass": "SIMPLE_PASSWORD", "ah": "IPSEC_AH"}[a["auth_type"]]
        if a["version"] == 2 and b.get("auth", "none") != auth:
            diffs.append(f"{n}: auth: vrrpwatch {auth}, keepalived {b.get('auth')}")
        mc = a["mcast_dst"] if not a["unicast"] else None
        if b.get("mcast") != mc:
            diffs.append(f"{n}: mcast_dst: vrrpwatch {mc}, keepalived {b.get('mcast')}")
        addrs = [v.split("/")[0] for v in b["vips"]]
        if addrs != a["addresses"]:
            diffs.append(f"{n}: addresses: vrrpwatch {a['addresses']}, keepalived {addrs}")
        eaddrs = [v.split("/")[0] for v in b["evips"]]
        if eaddrs != a["excluded_addresses"]:
            diffs.append(f"{n}: excluded: vrrpwatch {a['excluded_addresses']}, keepalived {eaddrs}")
        if b["peers"] != a["unicast_peers"]:
            diffs.append(f"{n}: peers: vrrpwatch {a['unicast_peers']}, keepalived {b['peers']}")
        if bool(b.get("strict")) != a["strict"]:
            diffs.append(f"{n}: strict: vrrpwatch {a['strict']}, keepalived {bool(b.get('strict'))}")
        if bool(b.get("skip_check")) != a["skip_check_adv_addr"]:
            diffs.append(f"{n}: skip_check_adv_addr: vrrpwatch {a['skip_check_adv_addr']}, keepalived {bool(b.get('skip_check'))}")
    return diffs


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    if os.geteuid() != 0 or not shutil.which("keepalived") or not shutil.which("unshare"):
        print("needs root, unshare and keepalived")
        return 77
    cmd, config = sys.argv[1], os.path.abspath(sys.argv[2])
    cid = sys.argv[3] if len(sys.argv) > 3 else "vwtest"
    mine_list = ours(cmd, config, cid)
    ifaces = set()
    for i in mine_list:
        if i.get("interface"):
            ifaces.add(i["interface"])
    # every interface the file names (dev, track_interface, ...) must exist
    text = open(config, errors="replace").read()
    ifaces |= set(re.findall(r"\b((?:eth|bond|ens|eno|em|vlan|br|vwa)\d+(?:\.\d+)?)\b", text))
    for m in re.finditer(r"\b(?:interface|dev)\s+(\S+)", text):
        if re.fullmatch(r"[A-Za-z][\w.-]{0,14}", m.group(1)) and m.group(1) != "lo":
            ifaces.add(m.group(1))
    theirs = parse_dump(keepalived_dump(config, cid, ifaces))
    mine = {i["name"]: i for i in mine_list}
    rejected = any(i["rejected"] for i in mine_list)
    if rejected or not theirs:
        if theirs:
            print("vrrpwatch says keepalived rejects this config, but keepalived ran it")
            return 1
        if not rejected and mine_list:
            print("keepalived rejects this config, vrrpwatch does not")
            return 1
        print("both reject" if rejected else "no instances")
        return 0
    diffs = compare(mine, theirs)
    for d in diffs:
        print(d)
    if not diffs:
        print(f"agree: {len(mine)} instances")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
