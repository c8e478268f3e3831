#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live capture against offline replay of the same traffic, with real keepalived.

usage: test_live_netns.py VRRPWATCH SCENARIO     (collision | split_brain)

A segment of network namespaces (netns_lab.py) with the keepalived pair
a (MASTER 150) / b (BACKUP 100), VRID 51, VIP 198.18.0.100, and:
  collision    a foreign router c (MASTER 200, VIP 198.18.0.200, the same
               VRID 51) starts once everything listens;
  split_brain  nftables in b drops VRRP from a, so b becomes MASTER too.
Four vrrpwatch -i run through it, judged against a's keepalived.conf:
XDP and libpcap on an observer's veth, XDP and libpcap on node a's own
veth (a's adverts are direction tx there), beside two tcpdumps (the
observer's, and a's in Linux cooked v2 so that direction is recorded).
Then the traffic is frozen, everything stopped with SIGINT, and each live
report must equal `vrrpwatch -r` of the matching capture: the same
advertisers (key, priority, interval, version, addresses; packet counts
within 2, for the edges of the runs), the same findings, the same exit
status.  The live collision must be reported within 3 advert intervals of
the foreign router's first advert.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, ip4_of, require_root_tools  # noqa: E402

FILTER = ("(ip proto 112) or (ip6 and ip6[6] == 112) or arp or "
          "(icmp6 and (ip6[40] == 135 or ip6[40] == 136))")
INTERVAL_S = 1.0
EXPECT = {"collision": "vrid_collision", "split_brain": "multiple_masters"}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def records(lines):
    out = []
    for t, line in lines:
        line = line.strip()
        if line:
            r = json.loads(line)
            r["_t"] = t
            out.append(r)
    return out


def final_report(recs):
    """The closing report: from the first advertiser that is not a change line."""
    for i, r in enumerate(recs):
        if r["type"] == "advertiser" and "event" not in r:
            return recs[i:]
    return [r for r in recs if r["type"] in ("summary", "capture")]


def advertisers(recs):
    out = {}
    for r in recs:
        if r["type"] == "advertiser":
            key = (r["vrid"], r["family"], r["src"], r["src_mac"], r["dst"], r["direction"],
                   tuple(r["vlan"]))
            out[key] = r
    return out


def findings(recs):
    return {(r["kind"], r.get("vrid"), frozenset(r["sources"])) for r in recs
            if r["type"] == "finding"}


def compare(name, live, offline):
    la, oa = advertisers(live), advertisers(offline)
    if set(la) != set(oa):
        fail(f"{name}: advertisers differ: live only {sorted(set(la) - set(oa))}, "
             f"replay only {sorted(set(oa) - set(la))}")
    for k in set(la) & set(oa):
        for f in ("priority", "interval_cs", "version", "addresses"):
            if la[k][f] != oa[k][f]:
                fail(f"{name}: {k}: {f} live {la[k][f]}, replay {oa[k][f]}")
        if abs(la[k]["packets"] - oa[k]["packets"]) > 2:
            fail(f"{name}: {k}: {la[k]['packets']} adverts live, {oa[k]['packets']} replayed")
    lf, of = findings(live), findings(offline)
    if lf != of:
        fail(f"{name}: findings differ: live only {sorted(lf - of, key=str)}, "
             f"replay only {sorted(of - lf, key=str)}")
    return la, lf


def replay(vrrpwatch, pcap, conf):
    p = subprocess.run([vrrpwatch, "-r", pcap, "-c", conf, "--json"], capture_output=True,
                       text=True, timeout=60)
    if p.returncode == 2:
        fail(f"replay of {pcap}: {p.stderr.strip()}")
    return records((0, line) for line in p.stdout.splitlines()), p.returncode


def start_watchers(lab, vrrpwatch, conf):
    w = {}
    for ns in ("obs", "a"):
        for backend in ("xdp", "pcap"):
            w[f"{ns}-{backend}"] = lab.spawn(
                ns, [vrrpwatch, "-i", "eth0", "-c", conf, "--json", "--backend", backend],
                f"vrrpwatch-{ns}-{backend}")
    caps = {
        # --immediate-mode: every frame to the file as it arrives, none left in a
        # kernel block when tcpdump is stopped (tools/lab/README.md)
        "obs": lab.spawn("obs", ["tcpdump", "-i", "eth0", "-nn", "-U", "--immediate-mode",
                                 "-w", os.path.join(lab.dir, "obs.pcap"), FILTER],
                         "tcpdump-obs", keep_lines=False),
        "a": lab.spawn("a", ["tcpdump", "-i", "any", "-y", "LINUX_SLL2", "-nn", "-U",
                             "--immediate-mode", "-w", os.path.join(lab.dir, "a.pcap"), FILTER],
                       "tcpdump-a", keep_lines=False),
    }
    for name, p in w.items():
        if not p.wait_stderr(r"XDP (native|generic)|libpcap, kernel filter", 20):
            raise SystemExit(f"FAIL: vrrpwatch {name} did not start:\n{p.stderr_text()}")
    for name, p in caps.items():
        if not p.wait_stderr("listening on", 20):
            raise SystemExit(f"FAIL: tcpdump {name} did not start:\n{p.stderr_text()}")
    return w, caps


def freeze(lab):
    """No VRRP frame reaches or leaves a or the observer any more."""
    lab.nft("a", "table inet vwl_freeze {\n chain out {\n"
                 "  type filter hook output priority 0; policy accept;\n"
                 "  ip protocol vrrp drop\n }\n}\n")
    lab.port("a", False)
    lab.port("obs", False)


def scenario_event(lab, scenario, a_conf):
    if scenario == "collision":
        conf = lab.keepalived_conf("c", "MASTER", 200, ["198.18.0.200/24"])
        lab.start_keepalived("c", conf)
    else:
        lab.nft("b", "table inet vwl_split {\n chain input {\n"
                     "  type filter hook input priority 0; policy accept;\n"
                     f"  ip saddr {ip4_of('a')} ip protocol vrrp drop\n }}\n}}\n")


def check_events(name, recs, live):
    """Running finding lines say which news they are; the closing report's do not."""
    closing = {id(r) for r in live}
    for r in recs:
        if r["type"] != "finding":
            continue
        if id(r) in closing:
            if "event" in r:
                fail(f"{name}: closing report finding {r['kind']} has event {r['event']}")
            continue
        want = "event" if r["kind"] in ("master_changed", "master_resigned") else \
            ("opened" if r["open"] else "closed")
        if r.get("event") != want:
            fail(f"{name}: {r['kind']} line (open {r['open']}) has event {r.get('event')}, "
                 f"not {want}")


def check_latency(scenario, name, recs, start):
    """The first 'opened' line of the expected finding, against its start."""
    kind = EXPECT[scenario]
    for r in recs:
        if r["type"] == "finding" and r["kind"] == kind and r.get("event") == "opened":
            delay = r["_t"] - start
            print(f"{name}: {kind} reported {delay:.2f} s after it started")
            if scenario == "collision" and delay > 3 * INTERVAL_S:
                fail(f"{name}: the collision took {delay:.2f} s to show (over 3 intervals)")
            return
    fail(f"{name}: no {kind} line while running")


def main():
    vrrpwatch, scenario = os.path.abspath(sys.argv[1]), sys.argv[2]
    if scenario not in EXPECT:
        raise SystemExit(__doc__)
    require_root_tools("keepalived", "tcpdump", "nft")
    lab = Lab(scenario[:2])
    nodes = ["a", "b", "c"] if scenario == "collision" else ["a", "b"]
    lab.segment(nodes)
    a_conf = lab.keepalived_conf("a", "MASTER", 150, ["198.18.0.100/24"])
    lab.start_keepalived("a", a_conf)
    lab.start_keepalived("b", lab.keepalived_conf("b", "BACKUP", 100, ["198.18.0.100/24"]))
    if not lab.wait_keepalived("a", "Entering MASTER STATE", 20):
        raise SystemExit("FAIL: keepalived a never became MASTER")

    watchers, caps = start_watchers(lab, vrrpwatch, a_conf)
    time.sleep(2)
    scenario_event(lab, scenario, a_conf)
    time.sleep(14)
    freeze(lab)
    time.sleep(1.5)
    status = {name: p.stop() for name, p in watchers.items()}
    for p in caps.values():
        p.stop()

    replays = {ns: replay(vrrpwatch, os.path.join(lab.dir, f"{ns}.pcap"), a_conf)
               for ns in ("obs", "a")}
    kind = EXPECT[scenario]
    for name, p in watchers.items():
        ns = name.split("-")[0]
        recs = records(p.lines)
        live = final_report(recs)
        offline, off_status = replays[ns]
        adv, found = compare(name, live, offline)
        check_events(name, recs, live)
        if status[name] != off_status:
            fail(f"{name}: exit status {status[name]}, replay {off_status}")
        if not any(f[0] == kind for f in found):
            fail(f"{name}: no {kind} in the report")
        if ns == "a" and not any(k[2] == ip4_of("a") and k[5] == "tx" for k in adv):
            fail(f"{name}: node a's own adverts (direction tx) are missing")
        # when the scenario started: the first advert of its newcomer
        newcomer = ip4_of("c") if scenario == "collision" else ip4_of("b")
        firsts = [r["first_seen"] for r in advertisers(offline).values() if r["src"] == newcomer]
        if firsts:
            check_latency(scenario, name, recs, min(firsts))
        print(f"{name}: {len(adv)} advertisers, findings "
              f"{sorted({f[0] for f in found})}, exit {status[name]}")
    lab.close()
    if failures:
        print(f"{len(failures)} failures", file=sys.stderr)
        return 1
    print(f"{scenario}: live XDP and libpcap, observer and node, agree with replay")
    return 0


if __name__ == "__main__":
    sys.exit(main())
