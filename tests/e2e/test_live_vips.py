#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Who holds the virtual address, live and replayed, with real keepalived.

usage: test_live_vips.py VRRPWATCH SCENARIO
                         (foreign | no_announcement | failover | foreign6)

A segment of network namespaces (netns_lab.py): keepalived a (MASTER 150)
and b (BACKUP 100), VRID 51, VIP 198.18.0.100; an observer port where
vrrpwatch -i (XDP, judged against a's keepalived.conf) and tcpdump (the
README's filter: VRRP, ARP and IPv6 NS / NA) run.  Before the event, b asks
for the VIP (ARP), so that a's reply is the last claim heard.  Then:

  foreign          a rogue namespace e (its own address 198.18.0.5)
                   configures the VIP and announces it (gratuitous ARP,
                   crafted with scapy, and the kernel's replies):
                   vip_foreign_claim, critical, naming e's MAC and its own
                   address, live within 3 s of the first announcement;
  no_announcement  the bridge drops ARP from b's port (nft, family bridge),
                   then a's port goes down: b takes over and its
                   gratuitous ARPs never reach the segment:
                   vip_no_announcement;
  failover         the same failover without the rule: b's gratuitous ARPs
                   are seen, and no vip_* finding at all;
  foreign6         IPv6: a and b run a VRRPv3 instance (VRID 61) for
                   fd00::100; the rogue e sends unsolicited neighbour
                   advertisements for it: vip_foreign_claim naming e's MAC.
In the foreign scenarios the live lines (XDP and libpcap) also carry a
vip_claim record with "event": "new" for the rogue's MAC.

The live report and `vrrpwatch -r` of the observer's capture must give the
same vip_* findings.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns_lab import Lab, ip4_of, mac_of, require_root_tools  # noqa: E402

FILTER = "vrrp or ip6 proto 112 or arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136))"
VIP = "198.18.0.100"
SCAPY = "/usr/bin/python3"
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


def vip_findings(recs, closing_only=True):
    """{kind: record} of the vip_* findings of the closing report (no event)."""
    return {r["kind"]: r for r in recs if r["type"] == "finding" and r["kind"].startswith("vip_")
            and (not closing_only or "event" not in r)}


def scapy_arp(lab, node, psrc, pdst, count=1):
    """ARP requests from node (its MAC), crafted: psrc == pdst is gratuitous."""
    code = ("from scapy.all import Ether, ARP, sendp\n"
            f"p = Ether(src='{mac_of(node)}', dst='ff:ff:ff:ff:ff:ff') / "
            f"ARP(op=1, hwsrc='{mac_of(node)}', psrc='{psrc}', hwdst='00:00:00:00:00:00', "
            f"pdst='{pdst}')\n"
            f"sendp(p, iface='eth0', count={count}, inter=0.3, verbose=False)\n")
    lab.run(node, "timeout", "30", SCAPY, "-c", code)


def scapy_na(lab, node, target, count=3):
    """Unsolicited NAs (override) for target from node's link-local address."""
    code = ("from scapy.all import Ether, IPv6, ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, sendp\n"
            f"p = Ether(src='{mac_of(node)}', dst='33:33:00:00:00:01') / "
            f"IPv6(src='fe80::ff:fe00:{NUM6[node]}', dst='ff02::1', hlim=255) / "
            f"ICMPv6ND_NA(tgt='{target}', R=0, S=0, O=1) / "
            f"ICMPv6NDOptDstLLAddr(lladdr='{mac_of(node)}')\n"
            f"sendp(p, iface='eth0', count={count}, inter=0.3, verbose=False)\n")
    lab.run(node, "timeout", "30", SCAPY, "-c", code)


NUM6 = {"a": 1, "b": 2, "e": 5}
VIP6 = "fd00::100"


def ipv6_on(lab, node):
    lab.run(node, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0",
            "net.ipv6.conf.eth0.disable_ipv6=0", "net.ipv6.conf.eth0.accept_dad=0")
    lab.run(node, "ip", "-6", "addr", "add", f"fe80::ff:fe00:{NUM6[node]}/64", "dev", "eth0",
            "nodad", check=False)


def keepalived6(lab, node, state, prio):
    path = os.path.join(lab.dir, f"{node}6.conf")
    with open(path, "w") as f:
        f.write(f"global_defs {{\n    router_id vwl6_{node}\n}}\n\n"
                f"vrrp_instance VI_61 {{\n    state {state}\n    interface eth0\n"
                f"    virtual_router_id 61\n    priority {prio}\n    advert_int 1\n"
                f"    virtual_ipaddress {{\n        {VIP6}/64 dev eth0\n    }}\n}}\n")
    return path


def ask_for_vip(lab, node):
    """An ARP request for the VIP from node: the holder's kernel answers."""
    scapy_arp(lab, node, ip4_of(node), VIP)


def main():
    vrrpwatch, scenario = os.path.abspath(sys.argv[1]), sys.argv[2]
    if scenario not in ("foreign", "no_announcement", "failover", "foreign6"):
        raise SystemExit(__doc__)
    require_root_tools("keepalived", "tcpdump", "nft")
    if subprocess.run([SCAPY, "-c", "import scapy.all"],
                                                capture_output=True).returncode:
        from netns_lab import skip_or_fail
        skip_or_fail("scapy for /usr/bin/python3 is not installed (python3-scapy)")
    lab = Lab("vp" + scenario[:1])
    nodes = ["a", "b", "e"] if scenario.startswith("foreign") else ["a", "b"]
    lab.segment(nodes)
    if scenario == "foreign6":
        for n in nodes:
            ipv6_on(lab, n)
        a_conf = keepalived6(lab, "a", "MASTER", 150)
        b_conf = keepalived6(lab, "b", "BACKUP", 100)
    else:
        a_conf = lab.keepalived_conf("a", "MASTER", 150, [VIP + "/24"])
        b_conf = lab.keepalived_conf("b", "BACKUP", 100, [VIP + "/24"])
    lab.start_keepalived("a", a_conf)
    lab.start_keepalived("b", b_conf)
    if not lab.wait_keepalived("a", "Entering MASTER STATE", 20):
        raise SystemExit("FAIL: keepalived a never became MASTER")

    live = lab.spawn("obs", [vrrpwatch, "-i", "eth0", "-c", a_conf, "--json"], "vrrpwatch-obs")
    live_pcap = lab.spawn("obs", [vrrpwatch, "-i", "eth0", "-c", a_conf, "--json", "--backend",
                                  "pcap"], "vrrpwatch-obs-pcap")
    pcap = os.path.join(lab.dir, "obs.pcap")
    # --immediate-mode: every frame to the file as it arrives (tools/lab/README.md)
    cap = lab.spawn("obs", ["tcpdump", "-i", "eth0", "-nn", "-U", "--immediate-mode", "-w", pcap,
                            FILTER], "tcpdump-obs", keep_lines=False)
    for p in (live, live_pcap):
        if not p.wait_stderr(r"XDP (native|generic)|libpcap, kernel filter", 20):
            raise SystemExit(f"FAIL: vrrpwatch did not start:\n{p.stderr_text()}")
    if not cap.wait_stderr("listening on", 20):
        raise SystemExit(f"FAIL: tcpdump did not start:\n{cap.stderr_text()}")
    time.sleep(3)
    if scenario != "foreign6":
        ask_for_vip(lab, "b")  # a answers: the last claim is a's
    time.sleep(2)

    event_at = time.time()
    if scenario == "foreign6":
        event_at = time.time()
        scapy_na(lab, "e", VIP6)
        time.sleep(6)
    elif scenario == "foreign":
        scapy_arp(lab, "e", ip4_of("e"), ip4_of("a"))  # the rogue's own address
        lab.run("e", "ip", "addr", "add", VIP + "/32", "dev", "eth0")
        event_at = time.time()
        scapy_arp(lab, "e", VIP, VIP, count=3)
        time.sleep(1)
        ask_for_vip(lab, "b")  # both a and e answer now
        time.sleep(6)
    else:
        if scenario == "no_announcement":
            lab.nft("sw", "table bridge vwl_psec {\n chain c {\n"
                          "  type filter hook forward priority 0; policy accept;\n"
                          "  iifname \"pb\" ether type arp drop\n }\n}\n")
        lab.port("a", False)
        if not lab.wait_keepalived("b", "Entering MASTER STATE", 15):
            fail("keepalived b never became MASTER")
        time.sleep(9)  # b's announcements (or their absence) and 5 s more

    lab.port("obs", False)
    time.sleep(1.5)
    status = live.stop()
    live_pcap.stop()
    cap.stop()
    recs = records(live.lines)
    lp_recs = records(live_pcap.lines)
    lpf = vip_findings(lp_recs)
    p = subprocess.run([vrrpwatch, "-r", pcap, "-c", a_conf, "--json"], capture_output=True,
                       text=True, timeout=60)
    offline = records((0, line) for line in p.stdout.splitlines())
    lf, of = vip_findings(recs), vip_findings(offline)
    print(f"live: exit {status}, vip findings {sorted(lf)}; replay: exit {p.returncode}, "
          f"vip findings {sorted(of)}")
    claims = [r for r in offline if r["type"] == "vip_claim"]
    for r in claims:
        print(f"  replay claim: {r['address']} {r['mac']} {r['kind']} x{r['count']}")
    if sorted(lf) != sorted(of):
        fail(f"live and replay differ: live {sorted(lf)}, replay {sorted(of)}")
    if sorted(lpf) != sorted(of):
        fail(f"live (libpcap) and replay differ: live {sorted(lpf)}, replay {sorted(of)}")

    if scenario.startswith("foreign"):
        own = ip4_of("e") if scenario == "foreign" else f"fe80::ff:fe00:{NUM6['e']}"
        # the kernel counts claims only: a host's own address comes from
        # whole frames (a capture file, the libpcap backend)
        for name, found in (("live", lf), ("live (libpcap)", lpf), ("replay", of)):
            f = found.get("vip_foreign_claim")
            if not f:
                fail(f"{name}: no vip_foreign_claim")
                continue
            if f["severity"] != "critical":
                fail(f"{name}: vip_foreign_claim is {f['severity']}")
            if mac_of("e") not in f["message"] or mac_of("e") not in f["advice"]:
                fail(f"{name}: vip_foreign_claim does not name {mac_of('e')}: {f['advice']}")
            if name != "live" and own not in f["advice"]:
                fail(f"{name}: vip_foreign_claim does not name the rogue's own address "
                     f"{own}: {f['advice']}")
        # the live lines tell of the rogue's claim as it starts, beside the advertisers
        for name, rs in (("live", recs), ("live (libpcap)", lp_recs)):
            new = [r for r in rs if r["type"] == "vip_claim" and r.get("event") == "new" and
                   r["mac"] == mac_of("e")]
            if not new:
                fail(f"{name}: no vip_claim line (event new) for {mac_of('e')}")
            else:
                print(f"{name}: new claim lines for {mac_of('e')}: "
                      f"{sorted(r['kind'] for r in new)}, the first "
                      f"{new[0]['_t'] - event_at:.2f} s after the announcement")
        opened = [r for r in recs if r["type"] == "finding" and r["kind"] == "vip_foreign_claim"
                  and r.get("event") == "opened"]
        if not opened:
            fail("live: no vip_foreign_claim line while running")
        else:
            delay = opened[0]["_t"] - event_at
            print(f"live: vip_foreign_claim reported {delay:.2f} s after the rogue's first "
                  "announcement")
            if delay > 3.0:
                fail(f"live: vip_foreign_claim took {delay:.2f} s (over 3 s)")
    elif scenario == "no_announcement":
        for name, found in (("live", lf), ("replay", of)):
            f = found.get("vip_no_announcement")
            if not f:
                fail(f"{name}: no vip_no_announcement")
            elif mac_of("b") not in f["message"]:
                fail(f"{name}: vip_no_announcement does not name b: {f['message']}")
        if any(r["kind"] == "garp" and r["mac"] == mac_of("b") for r in claims):
            fail("a gratuitous ARP of b reached the observer through the bridge rule")
    else:
        if lf or of:
            fail(f"a healthy failover gave vip findings: live {sorted(lf)}, replay {sorted(of)}")
        if not any(r["kind"] == "garp" and r["mac"] == mac_of("b") for r in claims):
            fail("b's gratuitous ARPs were not seen")
    lab.close()
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"{scenario}: live and replay agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
