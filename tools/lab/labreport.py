# SPDX-License-Identifier: GPL-2.0-or-later
"""labreport.py - truth.json, expected-findings, capture.args and README.md of one lab sample,
and the index pcaps/lab/README.md.

The TRUTH is what keepalived logged (logs/<node>.log, every line stamped with CLOCK_REALTIME on
arrival by tools/lab/lab), plus the lab's own actions (run.json: SIGKILL leaves no log line).
The capture is read (tshark) only to name the sender of a discarded advert (keepalived's
"address not present" line does not say who sent it) and to summarise what is on the wire;
the expected findings are derived from the truth by the rules in derive() below, never from
vrrpwatch's output.
"""
import json
import os
import re
import subprocess
import time

from lablib import ip4_of, ll6_of, mac_of, ip6_of, CAPTURE_FILTER

LINE = re.compile(r"^(\d+\.\d+) +([-+]\d+\.\d+) (?:\w{3} \w{3} +\d+ [\d:]+ \d{4}: )?(.*)$")

# (event name, regex, fields); the first match wins; unmatched lines with "(VI_" are kept as
# "other", the rest (start-up chatter, gratuitous ARP) are left out.
PATTERNS = [
    ("state", re.compile(r"\((?P<inst>[^)]+)\) Entering (?P<state>MASTER|BACKUP|FAULT) STATE"
                         r"(?: \((?P<why>[^)]*)\))?")),
    ("sent_priority_0", re.compile(r"\((?P<inst>[^)]+)\) sent 0 priority")),
    ("received_priority_0", re.compile(r"\((?P<inst>[^)]+)\) Backup received priority 0")),
    ("master_down_timer_expired", re.compile(r"\((?P<inst>[^)]+)\) Receive advertisement timeout")),
    ("received_higher_priority", re.compile(
        r"\((?P<inst>[^)]+)\) Master received advert from (?P<src>\S+) with higher priority "
        r"(?P<prio>\d+), ours (?P<ours>\d+)")),
    ("received_same_priority_higher_address", re.compile(
        r"\((?P<inst>[^)]+)\) Master received advert from (?P<src>\S+) with same priority "
        r"(?P<prio>\d+) but higher IP address than ours")),
    ("received_lower_priority", re.compile(
        r"\((?P<inst>[^)]+)\) Received advert from (?P<src>\S+) with lower priority "
        r"(?P<prio>\d+), ours (?P<ours>\d+)")),
    ("backup_ignores_lower_priority", re.compile(
        r"\((?P<inst>[^)]+)\) received lower priority \((?P<prio>\d+)\) advert from (?P<src>\S+)"
        r" - discarding")),
    ("discarded", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>ip address associated with VRID "
                             r"(?P<vrid>\d+) not present in MASTER advert: (?P<addr>\S+))"),
     "address_list"),
    ("discarded", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>wrong version\. Received "
                             r"(?P<got>\d+) and expect (?P<want>\d+))"), "version"),
    ("discarded", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>.*advertisement interval mismatch.*)"),
     "interval"),
    ("discarded", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>.*(?:auth|passw).*)", re.I), "auth"),
    ("discarded", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>.*(?:[Ii]nvalid|bogus|mismatch|"
                             r"[Dd]iscard|ignor).*)"), "other"),
    ("interval_changed", re.compile(r"\((?P<inst>[^)]+)\) (?P<text>.*interval.*)")),
    ("stopping", re.compile(r"^Stopping$")),
    ("stopped", re.compile(r"^Stopped(?: - .*)?$")),
    ("starting", re.compile(r"^Starting Keepalived")),
]
NOISE = re.compile(r"gratuitous ARP|Unsolicited Neighbour|setting VIPs|removing VIPs|sockpool|Netlink|Registering")


def parse_log(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            at, t, msg = float(m.group(1)), float(m.group(2)), m.group(3)
            for pat in PATTERNS:
                name, rx = pat[0], pat[1]
                mm = rx.search(msg)
                if mm:
                    ev = {"t": round(t, 3), "at": at, "event": name, "log": msg}
                    ev.update({k: v for k, v in mm.groupdict().items() if v is not None})
                    if name == "discarded":
                        ev["reason"] = pat[2]
                    out.append(ev)
                    break
            else:
                if "(VI_" in msg and not NOISE.search(msg):
                    out.append({"t": round(t, 3), "at": at, "event": "other", "log": msg})
    return out


# ------------------------------------------------------------------------------ the capture
def frames(pcap):
    """VRRP frames: dicts t_abs, src, mac, ver, vrid, prio, int_cs, addrs, vlan."""
    if not os.path.exists(pcap):
        return []
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "vrrp", "-T", "fields", "-E", "separator=\t",
                        "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.time_epoch",
                        "-e", "eth.src", "-e", "ip.src", "-e", "ipv6.src", "-e", "vrrp.version",
                        "-e", "vrrp.virt_rtr_id", "-e", "vrrp.prio", "-e", "vrrp.adver_int",
                        "-e", "vrrp.short_adver_int", "-e", "vrrp.ip_addr", "-e", "vrrp.ipv6_addr",
                        "-e", "vlan.id", "-e", "ip.dst", "-e", "ipv6.dst"],
                       capture_output=True, text=True, timeout=120)
    out = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        f += [""] * (14 - len(f))
        ver = int(f[4] or 0)
        ic = int(f[7] or 0) * 100 if ver == 2 else int(f[8] or 0)
        out.append({"at": float(f[0]), "mac": f[1], "src": f[2] or f[3], "ver": ver,
                    "vrid": int(f[5] or 0), "prio": int(f[6] or 0), "int_cs": ic,
                    "addrs": (f[9] or f[10]), "vlan": f[11] or "", "dst": f[12] or f[13]})
    return out


def announcements(pcap):
    """Gratuitous ARP and unsolicited NAs: dicts at, mac, addr."""
    if not os.path.exists(pcap):
        return []
    r = subprocess.run(["tshark", "-r", pcap, "-Y",
                        "(arp and arp.src.proto_ipv4 == arp.dst.proto_ipv4) or "
                        "(icmpv6.type == 136 and icmpv6.nd.na.flag.s == 0)",
                        "-T", "fields", "-E", "separator=\t", "-e", "frame.time_epoch",
                        "-e", "arp.src.hw_mac", "-e", "arp.src.proto_ipv4", "-e",
                        "icmpv6.opt.linkaddr", "-e", "eth.src", "-e", "icmpv6.nd.na.target_address"],
                       capture_output=True, text=True, timeout=120)
    out = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        f += [""] * (6 - len(f))
        out.append({"at": float(f[0]), "mac": f[1] or f[3].split(",")[0] or f[4],
                    "addr": f[2] or f[5]})
    return out


def node_addr(n, spec):
    return ll6_of(n) if spec["family"] == "ipv6" else ip4_of(n, spec["net"])


def who(run, src):
    for n, spec in run["nodes"].items():
        if node_addr(n, spec) == src:
            return n
    return "?"


def attribute(run, node, ev, fr):
    """The sender of a discarded advert: the latest VRRP frame from someone else just before
    the log line (within 0.3 s), matching the reason when it can."""
    me = node_addr(node, run["nodes"][node])
    best = None
    for f in fr:
        if f["src"] == me or f["at"] > ev["at"] + 0.01 or ev["at"] - f["at"] > 0.3:
            continue
        if ev.get("reason") == "version" and str(f["ver"]) != ev.get("got"):
            continue
        if ev.get("reason") == "address_list" and ev.get("addr", "") in f["addrs"].split(","):
            continue
        if best is None or f["at"] > best["at"]:
            best = f
    return who(run, best["src"]) if best else "?"


# ------------------------------------------------------------------------------ truth
def truth_of(d, run, fr):
    truth = {"scenario": run["scenario"], "t0": run["t0"], "duration": run["duration"],
             "keepalived": run["keepalived"],
             "note": "t = seconds since the capture started (CLOCK_REALTIME, as tcpdump). "
                     "Events come from keepalived's console log (source 'keepalived'), except "
                     "the lab's own actions (source 'lab'). 'from' of a discarded advert is "
                     "the sender, matched with the capture (keepalived does not always name it).",
             "nodes": {}}
    for node in run["nodes"]:
        evs = parse_log(os.path.join(d, "logs", node + ".log"))
        for e in evs:
            e["source"] = "keepalived"
            if e["event"] == "discarded":
                e["from"] = attribute(run, node, e, fr)
        for le in run["events"]:
            if le["node"] == node and le["event"] in ("kill", "term", "start", "drop", "undrop"):
                txt = {"kill": "SIGKILL (keepalived and its VRRP child; nothing logged)",
                       "term": "SIGTERM", "start": "keepalived started",
                       "drop": "nftables: drop VRRP from %s" % (le["args"] or ["?"])[0],
                       "undrop": "nftables: drop removed"}[le["event"]]
                evs.append({"t": le["t"], "at": le["at"], "event": "lab_" + le["event"],
                            "log": txt, "source": "lab"})
        evs.sort(key=lambda e: e["at"])
        for e in evs:
            e.pop("at", None)
        truth["nodes"][node] = evs
    return truth


def intervals(truth, node, state, dur, moments=False):
    """[(start, end)] of `state` per the truth, clipped to the capture [0, dur]; with
    moments, those of no length too (entered and left at once)."""
    res, cur = [], None
    for e in truth["nodes"][node]:
        new = None
        if e["event"] == "state":
            new = e["state"]
        elif e["event"] in ("stopping", "lab_kill", "sent_priority_0"):
            new = "DOWN"
        elif e["event"] == "starting":
            new = "INIT"
        if new is None:
            continue
        if cur and cur[0] != new:
            res.append((cur[0], cur[1], e["t"]))
            cur = None
        if cur is None:
            cur = (new, e["t"])
    if cur:
        res.append((cur[0], cur[1], 1e9))
    out = []
    for st, a, b in res:
        if st == state:
            a, b = max(a, 0.0), min(b, dur)
            if b > a or (moments and b == a):
                out.append((a, b))
    return out


def overlap(xs, ys):
    res = []
    for a1, b1 in xs:
        for a2, b2 in ys:
            a, b = max(a1, a2), min(b1, b2)
            if b > a:
                res.append((a, b))
    return res


# vrrpwatch's defaults for master_flapping (--flap-changes, --flap-window)
FLAP_CHANGES = 3
FLAP_WINDOW = 60.0


def master_down(spec):
    i = float(spec["int"])
    return 3 * i + (256 - spec["prio"]) * i / 256


# ------------------------------------------------------------------------------ findings
def derive(run, truth, fr):
    """[(kind, severity, reason, unsure)] from the truth, by the lab's rules."""
    nodes, local = run["nodes"], run["local"]
    # the capture window: log lines after the capture ended are the lab's teardown
    dur = min(run["duration"], run["t_end"] - run["t0"])
    L = nodes[local]
    seg = [n for n in nodes if nodes[n]["bridge"] == L["bridge"] and nodes[n]["vrid"] == L["vrid"]]
    group = [n for n in seg if not nodes[n]["foreign"]]
    foreign = [n for n in seg if nodes[n]["foreign"]]
    md = master_down(L)
    M = {n: intervals(truth, n, "MASTER", dur) for n in seg}
    B = {n: intervals(truth, n, "BACKUP", dur) for n in seg}
    on_wire = {n: [f for f in fr if f["src"] == node_addr(n, nodes[n]) and f["prio"] > 0]
               for n in seg}
    out = []

    def add(kind, sev, why, unsure=False):
        for o in out:
            if o[0] == kind and o[1] == sev:
                if why not in o[2]:
                    o[2].append(why)
                return
        out.append([kind, sev, [why], unsure])

    def add_each(kind, sev, why):
        """a finding per source (vrrpwatch reports these one per advertiser)"""
        out.append([kind, sev, [why], False])

    # master_changed: X enters MASTER in the capture while Y's MASTER time ends near then
    for x in seg:
        for e in truth["nodes"][x]:
            if e["event"] == "state" and e["state"] == "MASTER" and 0 < e["t"] < dur:
                for y in seg:
                    if y == x:
                        continue
                    for a, b in M[y]:      # b at the capture's end: Y did not stop
                        if a < e["t"] and e["t"] - md - 1.5 <= b <= e["t"] + md and b < dur - 1e-3:
                            add("master_changed", "info",
                                "%s enters MASTER at t=%.1f s, %s was MASTER until t=%.1f s"
                                % (x, e["t"], y, b))
    # master_flapping: vrrpwatch's default is "more than 3 changes within 60 s"
    # (--flap-changes / --flap-window); each entry into MASTER that master_changed counts
    entries = sorted({float(w.split(" at t=")[1].split(" s")[0]) for o in out
                      if o[0] == "master_changed" for w in o[2]})
    for i, t in enumerate(entries):
        n = sum(1 for u in entries[i:] if u - t <= FLAP_WINDOW)
        if n > FLAP_CHANGES:
            add("master_flapping", "warning",
                "%d master changes within %.0f s (from t=%.1f s)" % (n, FLAP_WINDOW, t))
            break
    # master_resigned
    for n in seg:
        for e in truth["nodes"][n]:
            if e["event"] == "sent_priority_0" and 0 <= e["t"] < dur:
                add("master_resigned", "info", "%s sent priority 0 at t=%.1f s" % (n, e["t"]))
    # local_starved
    loc_master = [iv for g in group for iv in M[g]]
    for f in foreign:
        if sorted(nodes[f]["vips"]) != sorted(L["vips"]):
            continue
        ov = overlap(B[local], M[f])
        free = []
        for a, b in ov:               # minus the times a local node is MASTER
            pts = [(a, b)]
            for la, lb in loc_master:
                nxt = []
                for pa, pb in pts:
                    if lb <= pa or la >= pb:
                        nxt.append((pa, pb))
                    else:
                        if la > pa:
                            nxt.append((pa, la))
                        if lb < pb:
                            nxt.append((lb, pb))
                pts = nxt
            free += pts
        tot = sum(b - a for a, b in free)
        disc = [e for e in truth["nodes"][local] if e["event"] == "discarded" and e.get("from") == f]
        if tot > md and not disc:
            add("local_starved", "critical",
                "local %s is BACKUP for %.1f s while foreign %s is MASTER (same VRID and "
                "addresses, its adverts accepted) and no local node is MASTER" % (local, tot, f))
    # vrid_collision / priority_conflict
    for f in foreign:
        other = sorted(nodes[f]["vips"]) != sorted(L["vips"])
        if not on_wire[f]:
            continue
        disc = [e for g in group for e in truth["nodes"][g]
                if e["event"] == "discarded" and e.get("from") == f and 0 <= e["t"] < dur]
        if other:
            add("vrid_collision", "critical",
                "foreign %s advertises VRID %d with %s (local: %s)"
                % (f, L["vrid"], ",".join(nodes[f]["vips"]), ",".join(L["vips"])))
        if disc and nodes[f]["prio"] > L["prio"]:
            add("priority_conflict", "warning",
                "keepalived discards %s's adverts (%s) while it is above the local priority "
                "(%d > %d)" % (f, disc[0]["reason"], nodes[f]["prio"], L["prio"]),
                unsure=not other)
        elif disc and nodes[f]["prio"] == L["prio"]:
            add("priority_conflict", "warning",
                "keepalived discards %s's adverts (%s) at the local priority %d, a tie %s's "
                "higher address would win" % (f, disc[0]["reason"], L["prio"], f), unsure=True)
    # multiple_masters: same address set, both MASTER longer than the master-down interval
    for i, x in enumerate(seg):
        for y in seg[i + 1:]:
            if sorted(nodes[x]["vips"]) != sorted(nodes[y]["vips"]):
                continue
            ov = overlap(M[x], M[y])
            tot = sum(b - a for a, b in ov)
            if tot > md:
                # on the wire: does each of them advertise steadily in that time?
                quiet = [n for n in (x, y) if sum(1 for f in on_wire[n] for a, b in ov
                                                  if a <= f["at"] - run["t0"] <= b) < 3]
                add("multiple_masters", "critical",
                    "%s and %s both MASTER for %.1f s (master-down interval %.1f s)%s"
                    % (x, y, tot, md, "" if not quiet else
                       "; but %s sent fewer than 3 adverts in that time (its advert timer is "
                       "restarted by the other's adverts), so the wire shows no steady second "
                       "advertiser" % " and ".join(quiet)), unsure=bool(quiet))
    # peer_rejects_advert and the mismatch kinds
    for g in group:
        for e in truth["nodes"][g]:
            if e["event"] != "discarded" or not 0 <= e["t"] < dur:
                continue
            src = e.get("from")
            if src not in group:
                continue
            add("peer_rejects_advert", "critical",
                "%s discards %s's adverts: %s" % (g, src, e["log"]))
            if e["reason"] == "version":
                add("version_mismatch", "warning", "wrong version: " + e["log"])
            if e["reason"] == "interval":
                add("interval_mismatch", "critical", "VRRPv2 interval mismatch: " + e["log"])
    for g in group:
        for e in truth["nodes"][g]:
            if e["event"] == "interval_changed" and 0 <= e["t"] < dur and "by master" in e["log"]:
                own = round(float(nodes[g]["int"]) * 100)
                seen = any(f["int_cs"] == own for f in on_wire[g])
                add("interval_mismatch", "warning",
                    "VRRPv3: %s adopts another interval from its master (not discarded): %s%s"
                    % (g, e["log"], "" if seen else "; but %s never advertises its own %d cs in "
                       "the capture, so the mismatch is not on the wire" % (g, own)),
                    unsure=not seen)
    # cleartext_auth: the lab's configs (not a log line): every node of the segment with
    # PASS authentication that advertises in the capture sends its password in clear
    for n in seg:
        if nodes[n].get("auth") and on_wire[n]:
            add_each("cleartext_auth", "info",
                     "%s uses PASS authentication (its config) and advertises" % n)
    vip_rules(run, truth, fr, seg, M, dur, add)
    return [(k, s, "; ".join(w), u) for k, s, w, u in out]


# Two MASTER times that overlap by no more than this are a handover (see vip_rules):
# well under any advert interval, well over the two logs' stamping apart.
HANDOVER_S = 0.02


def both_master(a1, b1, a2, b2):
    """Whether MASTER times [a1, b1] and [a2, b2] hold a moment of two masters: an
    overlap, or a MASTER moment of no length on the other's edge, but not a handover
    (one leaves as the other enters, their stamps within HANDOVER_S).  A short MASTER
    time inside the other's is two masters, however short."""
    lo, hi = max(a1, a2), min(b1, b2)
    if hi < lo:
        return False
    if hi == lo:
        return a1 == b1 or a2 == b2
    in_turn = (a1 < a2 and b1 < b2) or (a2 < a1 and b2 < b1)
    return not (in_turn and hi - lo <= HANDOVER_S)


# vrrpwatch's vip_claim_without_master: a claim counts for 30 s; an advertiser is "on" for
# its episode, max(3 x master-down, 10 s) past its last advert (rules_vips.c, activity.c)
CLAIM_RECENT_S = 30.0
EPISODE_MIN_S = 10.0


def down_of(f):
    """The master-down interval a receiver works out from advert f (RFC 5798 6.1)."""
    i = f["int_cs"] / 100.0
    skew = (256 - max(f["prio"], 1)) * (i if f["ver"] == 3 else 1.0) / 256
    return 3 * i + skew


def claim_without_master(run, fr, ann, vip, M0, owners, dur, add):
    """vip_claim_without_master: the address is announced (gratuitous ARP / unsolicited NA)
    more than a master-down interval after the last advert listing it, and then no advert
    lists it for an episode while that announcement is the last and under 30 s old.
    keepalived's logs alone do not tell it: a node MASTER by its log may send no advert for
    many seconds, because keepalived restarts a master's advert timer on every advert it
    receives, even one it discards (two masters of one VRID with other address lists
    silence each other in turns), while it still sends its gratuitous ARPs."""
    t0, nodes = run["t0"], run["nodes"]
    lists = sorted(((f["at"] - t0, f) for f in fr
                    if f["prio"] > 0 and vip in f["addrs"].split(",")), key=lambda x: x[0])
    claims = sorted(a["at"] - t0 for a in ann if a["addr"] == vip)
    local = nodes.get(run.get("local"), {})
    if not lists and vip not in [v.split("/")[0] for v in local.get("vips", [])]:
        return      # watched only once an advert or the local config lists it
    for i, t in enumerate(claims):
        end = min(t + CLAIM_RECENT_S, dur, claims[i + 1] if i + 1 < len(claims) else dur)
        before = [(at, f) for at, f in lists if at <= t]
        if before and t <= before[-1][0] + down_of(before[-1][1]):
            continue        # a router listing it advertised within its master-down interval
        # the first moment no advertiser listing it is in its episode
        last = before[-1] if before else None
        free = t if last is None else max(t, last[0] + max(3 * down_of(last[1]), EPISODE_MIN_S))
        for at, f in lists:
            if t < at <= free:
                free = max(free, at + max(3 * down_of(f), EPISODE_MIN_S))
        if free > end:
            continue
        masters = [n for n in owners if any(a <= t <= b for a, b in M0[n])]
        add("vip_claim_without_master", "warning",
            "%s is announced at t=%.1f s and no advert lists it from t=%.1f to %.1f s%s"
            % (vip, t, last[0] if last else 0.0, free,
               "" if not masters else "; %s is MASTER by its log then, but keepalived "
               "restarts a master's advert timer on every advert it receives (even one it "
               "discards), so it sent none" % " and ".join(masters)))
        return


def vip_rules(run, truth, fr, seg, M, dur, add):
    """vip_split_claim and vip_stale_claim, from the MASTER times of the logs and the
    announcements (gratuitous ARP, unsolicited NA) on the wire."""
    ann = run.get("_announcements", [])
    t0 = run["t0"]
    nodes = run["nodes"]
    mac_of = {}
    for f in fr:
        n = who(run, f["src"])
        if n in seg:
            mac_of.setdefault(n, f["mac"])
    M0 = {n: intervals(truth, n, "MASTER", dur, True) for n in seg}
    vips = sorted({v.split("/")[0] for n in seg for v in nodes[n]["vips"]})
    for vip in vips:
        owners = [n for n in seg if vip in [v.split("/")[0] for v in nodes[n]["vips"]]]
        by = {n: [a["at"] - t0 for a in ann if a["mac"] == mac_of.get(n) and a["addr"] == vip]
              for n in owners}
        # split: two owners MASTER at the same time (the logs; a MASTER moment of no
        # length counts: keepalived announces on entering it), both announcing then.  A
        # handover is not such a time: when the old master logs "Master received advert
        # ... with higher priority" and "Entering BACKUP STATE" at the stamp the new one
        # logs "Entering MASTER STATE", their MASTER times only touch (keepalived's
        # vrrp_state_leave_master drops the addresses then); the old one's announcements
        # just before are its own, as the only master (e.g. its garp_master_delay refresh).
        # The two logs' stamps of a handover may also differ by the new master's first
        # advert's flight and handling (a millisecond or two: "Entering MASTER" at 21.439,
        # the old one's "Entering BACKUP" at 21.440): within HANDOVER_S they only touch
        # (both_master).
        for i, x in enumerate(owners):
            for y in owners[i + 1:]:
                both = [(max(a1, a2), min(b1, b2)) for a1, b1 in M0[x] for a2, b2 in M0[y]
                        if both_master(a1, b1, a2, b2)]
                for a, b in both:
                    tx = [t for t in by[x] if a - 1 <= t <= b + 1]
                    ty = [t for t in by[y] if a - 1 <= t <= b + 1]
                    if tx and ty:
                        add("vip_split_claim", "critical",
                            "%s and %s both MASTER (t=%.1f-%.1f s) and both announce %s then "
                            "(t=%.1f, %.1f)" % (x, y, a, b, vip, tx[0], ty[0]))
                        break
        claim_without_master(run, fr, ann, vip, M0, owners, dur, add)
        # stale: the last announcement comes from an owner not MASTER at the end
        last = max(((t, n) for n in owners for t in by[n] if t < dur), default=None)
        if last is None:
            continue
        t, n = last
        at_end = [m for m in owners if any(b >= dur - 1e-3 for a, b in M[m])]
        if at_end and n not in at_end and dur - t > 5:
            add("vip_stale_claim", "warning",
                "the last announcement of %s (t=%.1f s) comes from %s, not MASTER at the end "
                "(%s is)" % (vip, t, n, ",".join(at_end)))
        elif n in at_end and len(at_end) > 1 and dur - t > 5:
            add("vip_stale_claim", "warning",
                "the last announcement of %s (t=%.1f s) comes from %s; %s are all MASTER at the "
                "end: which one the wire takes for master decides" % (vip, t, n, ",".join(at_end)),
                unsure=True)


# ------------------------------------------------------------------------------ writing
def fold_events(evs, dur):
    """README lines: every state change and action, discards/received lines folded per text."""
    lines, folded, marked = [], {}, False
    for e in evs:
        if not marked and e["t"] >= dur:
            lines.append("---- t=%g: the capture ended; what follows is the lab's teardown ----" % dur)
            marked = True
        if e["event"] in ("discarded", "received_lower_priority", "interval_changed", "other",
                          "backup_ignores_lower_priority"):
            k = (e["event"], e.get("reason"), e.get("from"), e["log"])
            if k in folded:
                folded[k][1] += 1
                folded[k][2] = e["t"]
                continue
            folded[k] = [len(lines), 1, e["t"]]
            lines.append(None)
            continue
        if e["event"] in ("starting", "master_down_timer_expired"):
            if e["event"] == "starting":
                continue
        src = "lab" if e["source"] == "lab" else "log"
        lines.append("t=%+7.2f  %-4s %s" % (e["t"], src, e["log"]))
    for (ev, reason, frm, log), (i, n, last) in folded.items():
        first = [e for e in evs if e["log"] == log][0]["t"]
        extra = " (from %s)" % frm if frm else ""
        lines[i] = ("t=%+7.2f  log  %s%s%s" % (first, log, extra,
                                                "  [x%d, last t=%+.2f]" % (n, last) if n > 1 else ""))
    return [l for l in lines if l]


def wire_table(run, fr, t0):
    rows, order = {}, []
    for f in fr:
        k = (who(run, f["src"]), f["src"], f["dst"], f["vlan"], f["ver"], f["vrid"], f["prio"],
             f["int_cs"], f["addrs"])
        if k not in rows:
            rows[k] = [0, f["at"] - t0, 0]
            order.append(k)
        rows[k][0] += 1
        rows[k][2] = f["at"] - t0
    out = ["| node | source | destination | VLAN | version | VRID | priority | interval (cs) | "
           "addresses | frames | first t | last t |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for k in order:
        n, first, last = rows[k]
        out.append("| %s | %s | %s | %s | v%d | %d | %d | %d | %s | %d | %.1f | %.1f |"
                   % (k[0], k[1], k[2], k[3] or "-", k[4], k[5], k[6], k[7], k[8], n, first, last))
    return out


def runs_line(run, fr, t0):
    res, cur = [], None
    for f in fr:
        k = "%s/%d/v%d" % (who(run, f["src"]), f["prio"], f["ver"])
        if cur and cur[0] == k:
            cur[1] += 1
            cur[3] = f["at"] - t0
        else:
            if cur:
                res.append(cur)
            cur = [k, 1, f["at"] - t0, f["at"] - t0]
    if cur:
        res.append(cur)
    more = len(res) - 40
    return ", ".join("%s x%d (%.1f-%.1f)" % tuple(r) for r in res[:40]) + (
        ", ... and %d more runs" % more if more > 0 else "")


def peer_args(run):
    """--peer for each node of the local group (not foreign, same segment and VRID)."""
    nodes, local = run["nodes"], run["local"]
    L = nodes[local]
    return [a for n, sp in nodes.items() if n != local and not sp["foreign"]
            and sp["bridge"] == L["bridge"] and sp["vrid"] == L["vrid"]
            for a in ("--peer", node_addr(n, sp))]


def version_of(spec):
    return spec["ver"] or (3 if spec["family"] == "ipv6" else 2)


def report(d, s):
    with open(os.path.join(d, "run.json")) as f:
        run = json.load(f)
    nodes, local, dur = run["nodes"], run["local"], run["duration"]
    fr = frames(os.path.join(d, "capture.pcap"))
    truth = truth_of(d, run, fr)
    run["_announcements"] = announcements(os.path.join(d, "capture.pcap"))
    findings = derive(run, truth, fr)
    truth["derived_findings"] = [{"kind": k, "severity": v, "why": w, "unsure": u}
                                 for k, v, w, u in findings]
    with open(os.path.join(d, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    L = nodes[local]
    laddr = ll6_of(local) if L["family"] == "ipv6" else ip4_of(local, L["net"])
    with open(os.path.join(d, "capture.args"), "w") as f:
        f.write(" ".join(["--local-address", laddr] + peer_args(run)) + "\n")
    with open(os.path.join(d, "expected-findings"), "w") as f:
        for k, v, w, u in findings:
            f.write("%s %s%s\n" % (k, v, "  # ? unsure, see README" if u else ""))
    t0 = run["t0"]
    R = ["# %s: %s" % (s["name"], s["what"]), "",
         "Made from real %s daemons in network namespaces by `tools/lab/lab`. Regenerate with:"
         % run["keepalived"].split(" (")[0], "", "```", "sudo tools/lab/lab %s" % s["name"], "```", "",
         "Captured %s for %g s (observer port, `tcpdump -w`, filter `%s`); t = seconds since the "
         "capture started, on CLOCK_REALTIME like the capture's own stamps."
         % (time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(t0)), dur, CAPTURE_FILTER), ""]
    R += ["## What happens", "", s.get("story") or s["what"], ""]
    R += ["## Nodes", "", "| node | role | config | address | MAC | state | priority | version | "
          "advert_int | VIPs | segment |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, sp in nodes.items():
        role = "**local**" if n == local else ("foreign" if sp["foreign"] else "local peer")
        addr = (ip6_of(n) + " / " + ll6_of(n)) if sp["family"] == "ipv6" else ip4_of(n, sp["net"])
        seg = sp["bridge"] + ("" if sp["bridge"] != L["bridge"] or "vlans" not in s
                              else " (local)")
        if "vlans" in s:
            seg = "VLAN %s" % s["vlans"][sp["bridge"]] if s["vlans"][sp["bridge"]] else "untagged"
        R.append("| %s | %s | %s | %s | %s | %s | %d | v%d%s | %s | %s | %s |" % (
            n, role, "keepalived.conf" if n == local else n + ".conf", addr, mac_of(n),
            sp["state"], sp["prio"], version_of(sp), " unicast" if sp["unicast"] else "",
            sp["int"], " ".join(sp["vips"]), seg))
    R += ["", "Replay as", "", "```",
          "vrrpwatch -r pcaps/lab/%s/capture.pcap -c pcaps/lab/%s/keepalived.conf %s"
          % (s["name"], s["name"], " ".join(["--local-address", laddr] + peer_args(run))),
          "```", ""]
    R += ["## Timeline (the lab's actions)", ""]
    pre = run.get("prestart", [])
    if pre:
        R.append("- before the capture: keepalived started on %s%s" % (
            ", ".join(pre), " and waited until %s was MASTER (+2 s)" % s["settle"] if s.get("settle") else ""))
    for e in run["events"]:
        R.append("- t=%+.2f s: %s %s%s" % (e["t"], {"start": "start keepalived on", "term":
                  "SIGTERM to keepalived on", "kill": "SIGKILL (crash) of keepalived on",
                  "drop": "nftables drop of VRRP on", "undrop": "remove the drop on"}[e["event"]],
                  e["node"], (" from " + e["args"][0]) if e["args"] else ""))
    R.append("- t=%g s: capture ends; then everything is stopped (log lines after it are the "
             "teardown)" % dur)
    R += ["", "## What keepalived logged (the truth)", "",
          "From `truth.json` (parsed from `logs/<node>.log`; `lab` lines are the lab's actions). "
          "Repeated lines folded; t after %g is the teardown." % dur, ""]
    for n in nodes:
        R += ["Node %s:" % n, "", "```"] + fold_events(truth["nodes"][n], dur) + ["```", ""]
    R += ["State on the wire, per the truth (MASTER intervals inside the capture):", ""]
    for n in nodes:
        iv = intervals(truth, n, "MASTER", dur)
        R.append("- %s: %s" % (n, ", ".join("%.1f-%.1f s" % x for x in iv) or "never MASTER"))
    R += ["", "## What the capture contains", "", "%d VRRP frames:" % len(fr), ""]
    R += wire_table(run, fr, t0)
    R += ["", "Runs of consecutive adverts (node/priority/version x count (first-last t)):", "",
          "    " + runs_line(run, fr, t0), ""]
    R += ["## Expected findings", "",
          "Derived from the truth above by the lab's rules (tools/lab/labreport.py derive()); "
          "`expected-findings` holds them as `KIND SEVERITY` lines; a trailing `# ?` marks one "
          "the rules do not settle.", ""]
    if not findings:
        R.append("- none (a healthy segment as keepalived saw it)")
    for k, v, w, u in findings:
        R.append("- `%s %s`%s: %s" % (k, v, " **(?)**" if u else "", w))
    if s.get("notes"):
        R += ["", "Notes: " + s["notes"]]
    R.append("")
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write("\n".join(R))


def index(outdir, scenarios):
    R = ["# Real-incident lab samples", "",
         "Captures of REAL keepalived 2.2.7 daemons in network namespaces, one directory per "
         "scenario, made by `tools/lab/lab` (`sudo tools/lab/lab [-j N] [SCENARIO...]`; "
         "scenarios in `tools/lab/scenarios.py`). Each holds `capture.pcap`, `keepalived.conf` "
         "(the local node), `<node>.conf` (the others), `logs/<node>.log` (keepalived's console, "
         "every line stamped with CLOCK_REALTIME and t since the capture start), `run.json` "
         "(the lab's actions), `truth.json` (state transitions, priority-0 adverts and discarded "
         "adverts with keepalived's reason, extracted from the logs), `capture.args`, "
         "`expected-findings` (derived from the truth, lines `KIND SEVERITY`, `# ?` = unsure) "
         "and a README.md.", "",
         "Addresses: nodes a..f are 198.18.0.1..6 (IPv6 fd00:0:0:1::N, link-local fe80::ff:fe00:N), "
         "MACs 02:00:00:00:00:01..06; observer 02:00:00:00:00:fe. Node a is the local node.", "",
         "`tools/lab/live-compare VRRPWATCH SCENARIO...` reruns scenarios with vrrpwatch live "
         "(observer and node a) and compares live, replay and expected-findings; with "
         "`--replay-only` it only replays the committed samples (no root, seconds), with "
         "`--recompare DIR` it compares the runs it kept in DIR (`-o DIR`) again.", "",
         "| scenario | what | local node | expected findings |", "|---|---|---|---|"]
    for s in scenarios:
        d = os.path.join(outdir, s["name"])
        ef = os.path.join(d, "expected-findings")
        if not os.path.exists(ef):
            R.append("| %s (not generated) | %s | a | |" % (s["name"], s["what"]))
            continue
        exp = [l.strip() for l in open(ef) if l.strip()]
        args = open(os.path.join(d, "capture.args")).read().split()
        args = args[args.index("--local-address") + 1]
        R.append("| [%s/](%s/README.md) | %s | a (%s) | %s |" % (
            s["name"], s["name"], s["what"].replace("|", "/"), args,
            ", ".join(e.replace("  # ? unsure, see README", " (?)") for e in exp) or "none"))
    R += ["", "## How the expected findings are derived (from the truth, never from vrrpwatch)", "",
          "- `master_changed info`: a node enters MASTER inside the capture while another node's "
          "MASTER time ends around then (within the master-down interval), foreign routers "
          "included; a master that crashed before the capture started does not count (its "
          "adverts are not on the wire).",
          "- `master_resigned info`: keepalived logged `sent 0 priority` inside the capture "
          "(teardown after the capture is left out).",
          "- `local_starved critical`: the local node is BACKUP, for longer than the master-down "
          "interval, while a foreign router with the same VRID and address list is MASTER, no "
          "local node is MASTER and the local node logged no discard of its adverts.",
          "- `vrid_collision critical`: a foreign router on the local VRID and segment with "
          "another address list advertises; `priority_conflict warning` when keepalived logs "
          "discards of its adverts while its priority is above the local one (at equal "
          "priority: listed, unsure).",
          "- `multiple_masters critical`: two nodes with the same address list both MASTER by "
          "their logs for longer than the master-down interval (unsure when one of them sent "
          "fewer than 3 adverts in that time).",
          "- `peer_rejects_advert critical`: a local node logged a discard of a local peer's "
          "advert (version, VRRPv2 interval, authentication), plus `version_mismatch warning` / "
          "`interval_mismatch critical` (v2); `interval_mismatch warning` when a VRRPv3 backup "
          "logs that it adopted its master's other interval.",
          "- `master_flapping warning`: more than 3 of those master changes within 60 s "
          "(vrrpwatch's default --flap-changes / --flap-window).",
          "- `cleartext_auth info`: one per node of the segment whose config has PASS "
          "authentication and that advertises in the capture (from the lab's configs).",
          "- `vip_split_claim critical`: two nodes MASTER at once by their logs (a MASTER moment "
          "of no length counts, as does a short MASTER time inside the other's; a handover "
          "where one leaves MASTER as the other enters it, their stamps within %g ms, does "
          "not) that both announce the address (gratuitous ARP / unsolicited "
          "NA) within a second of that time; `vip_stale_claim warning`: the last announcement "
          "comes from a node not MASTER at the end, over 5 s before it." % (HANDOVER_S * 1000),
          "- `vip_claim_without_master warning`: the address is announced more than a "
          "master-down interval after the last advert listing it, and no advert lists it for an "
          "episode (3 master-down intervals, at least 10 s) within 30 s of that announcement. "
          "The logs alone do not tell it: keepalived restarts a master's advert timer on every "
          "advert it receives, even one it discards, so a node MASTER by its log may send no "
          "advert for many seconds while it announces its addresses.",
          "- a healthy segment: none.", "",
          "The full matrix takes about 6.5 minutes with `-j 3` on 2 cores (captures of 13.5 to "
          "40 s, plus about 8 s of set-up and settling each).", ""]
    unsure = []
    for s in scenarios:
        ef = os.path.join(outdir, s["name"], "expected-findings")
        if os.path.exists(ef) and "?" in open(ef).read():
            unsure.append(s["name"])
        elif s.get("notes", "").startswith("(?)"):
            unsure.append(s["name"])
    if unsure:
        R += ["Scenarios whose expectation is marked unsure (see the Notes in their README): " +
              ", ".join("[%s](%s/README.md)" % (u, u) for u in unsure) + ".", ""]
    with open(os.path.join(outdir, "README.md"), "w") as f:
        f.write("\n".join(R))
