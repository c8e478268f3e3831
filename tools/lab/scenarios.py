# SPDX-License-Identifier: GPL-2.0-or-later
"""scenarios.py - the scenario matrix of tools/lab/lab, one small declarative entry each.

An entry: name, what (one line), nodes {letter: keepalived settings (state, prio, vrid, int,
ver, family, vips, unicast, foreign, iface, net, bridge, auth)}, local (the node the capture
is judged from), prestart (started before the capture), settle (wait until it is MASTER, then
2 s, before capturing), duration (capture seconds), events [(t, what, node[, arg])] with t in
seconds since the capture started (negative: before it; what: start, term (SIGTERM), kill
(SIGKILL of keepalived and its VRRP child: a crash), drop (node stops receiving VRRP from
arg, nftables input), undrop), story (the README's prose) and notes (reasoning on findings).

Node letters: a..f are 198.18.<net>.1..6, MAC 02:00:00:00:00:01..06; fd00:0:0:1::N and
fe80::ff:fe00:N for IPv6. 'foreign': not part of the local group (an unrelated router).
"""

VIP = ["198.18.0.100/24"]
OTHER_VIP = ["198.18.0.150/24"]


def S(name, what, nodes, **kw):
    d = dict(name=name, what=what, nodes=nodes, local="a", prestart=[], settle=None,
             duration=20, events=[], story="", notes="")
    d.update(kw)
    return d


def pair(a=None, b=None, **common):
    """the local pair: a MASTER 150, b BACKUP 100 (VRID 51, VIP 198.18.0.100/24, v2, 1 s)"""
    na = dict(state="MASTER", prio=150, **common)
    nb = dict(state="BACKUP", prio=100, **common)
    na.update(a or {})
    nb.update(b or {})
    return {"a": na, "b": nb}


def settled(**kw):
    return dict(prestart=["a", "b"], settle="a", **kw)


SCENARIOS = []


def add(*a, **kw):
    SCENARIOS.append(S(*a, **kw))


# ---------------------------------------------------------------- healthy
add("healthy_v2", "Healthy VRRPv2 pair (a MASTER 150, b BACKUP 100)", pair(), **settled(),
    story="The local pair had settled before the capture: a is MASTER and advertises once a "
          "second, b is a silent BACKUP.")
add("healthy_both_backup", "Healthy pair, both `state BACKUP` (a 101, b 100)",
    pair(a=dict(state="BACKUP", prio=101), b=dict(prio=100)), **settled(),
    story="Both nodes are configured `state BACKUP`; a (101) won the election before the "
          "capture and advertises, b stays BACKUP.")
add("healthy_v3_ipv4", "Healthy VRRPv3 IPv4 pair", pair(ver=3), **settled())
add("healthy_ipv6_v3", "Healthy VRRPv3 IPv6 pair", pair(family="ipv6", vrid=61), **settled())
add("unicast_healthy", "Healthy unicast VRRPv3 IPv4 pair", pair(ver=3, vrid=71, unicast=True),
    **settled())

# ---------------------------------------------------------------- failover
for how, word in (("term", "SIGTERM (graceful: priority 0 advert)"),
                  ("kill", "SIGKILL (crash: no priority 0 advert)")):
    for at in (2, 5, 15):
        add("failover_%s_%ds" % (how, at),
            "Master a stopped by %s at %d s, restarted %d s later (preempts back)"
            % (word.split(" ")[0], at, 10),
            pair(), **settled(duration=at + 20,
                              events=[(at, how, "a"), (at + 10, "start", "a")]),
            story="The settled pair a (MASTER 150) / b (BACKUP 100). At t=%d s keepalived on a "
                  "gets %s; b takes over. At t=%d s a is started again and, with its higher "
                  "priority and preemption (keepalived's default), takes the VIP back."
                  % (at, word, at + 10))
add("failover_ipv6_v3", "IPv6 VRRPv3 pair: master a stopped (SIGTERM) at 6 s",
    pair(family="ipv6", vrid=61), **settled(duration=20, events=[(6, "term", "a")]))
add("unicast_kill_failover", "Unicast VRRPv3 pair: master a SIGKILLed at 6 s",
    pair(ver=3, vrid=71, unicast=True), **settled(duration=20, events=[(6, "kill", "a")]))

# ---------------------------------------------------------------- preemption
for at in (2, 5, 15):
    add("preempt_%ds" % at, "Higher-priority a (150) started at %d s preempts master b (100)" % at,
        pair(a=dict(state="BACKUP")), prestart=["b"], settle="b", duration=at + 12,
        events=[(at, "start", "a")],
        story="b (BACKUP 100) runs alone and is MASTER. At t=%d s a (state BACKUP, priority "
              "150) starts; on b's lower-priority adverts it preempts and becomes MASTER, b "
              "returns to BACKUP." % at)

# ---------------------------------------------------------------- the origin incident
add("origin_incident", "THE ORIGIN INCIDENT: two `state BACKUP` nodes (101/100, advert_int 5) "
    "start at 0.5 s; a foreign router at 150 with the same VRID and VIP, started 12.5 s before "
    "the capture, begins advertising about 3 s in; both stay BACKUP",
    {"a": dict(state="BACKUP", prio=101, int=5), "b": dict(state="BACKUP", prio=100, int=5),
     "e": dict(state="MASTER", prio=150, int=5, foreign=True)},
    duration=35, events=[(-12.5, "start", "e"), (0.5, "start", "a"), (0.5, "start", "b")],
    story="The foreign router e (198.18.0.5, not part of the pair, `state MASTER`, priority "
          "150, advert_int 5, same VRID 51 and VIP 198.18.0.100) was started 12.5 s before the "
          "capture; keepalived waits its master-down interval (about 15.4 s with advert_int 5) "
          "before the first advert, so e starts advertising about 3 s into the capture. The "
          "local pair a (BACKUP 101) and b (BACKUP 100), advert_int 5, starts at t=0.5 s: "
          "their own master-down timers (about 15.6 s) have not expired when e's adverts come, "
          "and keepalived accepts them (same address list, same interval, higher priority): "
          "both local nodes stay BACKUP for the whole capture, nothing local ever advertises.")
add("origin_incident_late_foreign", "Origin incident, foreign router started late: two `state BACKUP` nodes "
    "(101/100, advert_int 5) start at 0.5 s, a foreign router at 150 (same VRID and VIP) at 3 s; "
    "a is MASTER for 2 s, then both stay BACKUP",
    {"a": dict(state="BACKUP", prio=101, int=5), "b": dict(state="BACKUP", prio=100, int=5),
     "e": dict(state="MASTER", prio=150, int=5, foreign=True)},
    duration=40, events=[(0.5, "start", "a"), (0.5, "start", "b"), (3, "start", "e")],
    story="a (BACKUP 101) and b (BACKUP 100), advert_int 5, start at t=0.5 s; the foreign "
          "router e (198.18.0.5, not part of the pair, `state MASTER`) starts at t=3 s with the "
          "same VRID 51, the same VIP and priority 150. keepalived makes even a `state MASTER` "
          "instance wait its master-down interval before the first advert (about 15.4 s with "
          "advert_int 5), so a's own timer expires first: a is MASTER for about 2 s (t=16), "
          "then accepts e's higher-priority advert and returns to BACKUP. From then on both "
          "local nodes stay BACKUP.")
add("origin_incident_int1", "Origin incident with advert_int 1: the settled pair (a 101 / b 100, "
    "both `state BACKUP`), foreign router at 150 (same VRID, same VIP) starts at 3 s",
    {"a": dict(state="BACKUP", prio=101), "b": dict(state="BACKUP", prio=100),
     "e": dict(state="MASTER", prio=150, foreign=True)},
    **settled(duration=25, events=[(3, "start", "e")]),
    story="With advert_int 1 the local pair elects a before the foreign router appears (it "
          "was settled before the capture). At t=3 s e (foreign, priority 150, same VRID and "
          "VIP) starts; a accepts e's higher-priority adverts and drops to BACKUP: both local "
          "nodes are BACKUP from then on.")

# ---------------------------------------------------------------- foreign routers on VRID 51
for vips, vname in ((VIP, "same_vips"), (OTHER_VIP, "other_vips")):
    for prio, pname in ((200, "higher"), (150, "equal"), (100, "lower")):
        add("foreign_%s_%s" % (vname, pname),
            "Foreign router e on VRID 51, %s address list, priority %d (%s than master a's 150)"
            % (vname.split("_")[0], prio, pname if pname != "equal" else "equal to"),
            dict(pair(), e=dict(state="MASTER", prio=prio, vips=vips, foreign=True)),
            **settled(duration=22, events=[(3, "start", "e")]),
            story="The settled local pair a (MASTER 150) / b (BACKUP 100), VIP 198.18.0.100. At "
                  "t=3 s a foreign keepalived e (198.18.0.5, `state MASTER`, priority %d, VIP %s) "
                  "starts on the same segment with the same VRID 51." % (prio, vips[0]))
    add("foreign_%s_higher_int3" % vname,
        "Foreign router e on VRID 51, %s address list, priority 200, advert_int 3 (local 1)"
        % vname.split("_")[0],
        dict(pair(), e=dict(state="MASTER", prio=200, vips=vips, int=3, foreign=True)),
        **settled(duration=25, events=[(3, "start", "e")]),
        story="As foreign_%s_higher, but e advertises every 3 s (VRRPv2: the local nodes must "
              "discard adverts with another interval)." % vname)
add("foreign_200_stops", "Foreign router e (200, same VIP) takes over, then stops (SIGTERM: "
    "priority 0) at 14 s; a takes back",
    dict(pair(), e=dict(state="MASTER", prio=200, foreign=True)),
    **settled(duration=24, events=[(3, "start", "e"), (14, "term", "e")]))

# ---------------------------------------------------------------- mismatches
add("v2_v3_pair", "Version mismatch: a VRRPv2 MASTER 150, b VRRPv3 BACKUP 100 (both start at 1 s)",
    pair(a=dict(ver=2), b=dict(ver=3)), duration=22,
    events=[(1, "start", "a"), (1, "start", "b")])
add("interval_mismatch_v2", "VRRPv2 pair with advert_int 1 (a) against 3 (b)",
    pair(b=dict(int=3)), duration=22, events=[(1, "start", "a"), (1, "start", "b")])
add("interval_mismatch_v3", "VRRPv3 pair with advert_int 1 (a) against 3 (b); a crashes at 12 s "
    "and b advertises with its own 3 s",
    pair(a=dict(ver=3), b=dict(ver=3, int=3)), duration=26,
    events=[(1, "start", "a"), (1, "start", "b"), (12, "kill", "a")],
    story="a (MASTER 150, advert_int 1) and b (BACKUP 100, advert_int 3), VRRPv3, both start "
          "at t=1 s. In VRRPv3 a backup adopts its master's interval (keepalived logs 'advertisement "
          "interval updated from 3000ms to 1000ms by master'), so nothing is discarded. At t=12 s "
          "a crashes (SIGKILL); b becomes MASTER and goes back to its configured 3 s interval: "
          "the wire then shows adverts with both intervals.")
add("auth_mismatch", "VRRPv2 pair with PASS authentication, different passwords",
    pair(a=dict(auth="secretA"), b=dict(auth="secretB")), duration=20,
    events=[(1, "start", "a"), (1, "start", "b")])

# ---------------------------------------------------------------- split brain, flapping
add("split_brain", "Split brain: from 4 s b stops hearing a (nftables, one way); both MASTER",
    pair(), **settled(duration=20, events=[(4, "drop", "b", "a")]))
add("flapping_master", "Flapping master: a SIGKILLed and restarted 3 times",
    pair(), **settled(duration=34, events=[(2, "kill", "a"), (7, "start", "a"),
                                           (13, "kill", "a"), (18, "start", "a"),
                                           (24, "kill", "a"), (29, "start", "a")]))

# ---------------------------------------------------------------- capture window edges
add("capture_mid_election", "Capture starts while the pair is still electing (started 2 s "
    "before); master a then SIGKILLed at 9 s",
    pair(), duration=20, events=[(-2, "start", "a"), (-2, "start", "b"), (9, "kill", "a")])
add("capture_mid_failover", "Capture starts 1.5 s after master a crashed (SIGKILL): b takes "
    "over in the capture; a's adverts are not in it",
    pair(), **settled(duration=15, events=[(-1.5, "kill", "a")]))
add("capture_ends_after_preempt", "Capture ends about 2 s after a preempting master (a, 150) "
    "appears", pair(a=dict(state="BACKUP")), prestart=["b"], settle="b", duration=13.5,
    events=[(8, "start", "a")])

# ---------------------------------------------------------------- VLAN trunk
add("vlan_trunk", "Trunk: VRID 51 on VLAN 100 (local, eth0.100), on VLAN 200 and untagged; "
    "one healthy pair each",
    {"a": dict(state="MASTER", prio=150, iface="eth0.100", bridge="br100"),
     "b": dict(state="BACKUP", prio=100, iface="eth0.100", bridge="br100"),
     "c": dict(state="MASTER", prio=150, net=2, bridge="br200", foreign=True),
     "d": dict(state="BACKUP", prio=100, net=2, bridge="br200", foreign=True),
     "e": dict(state="MASTER", prio=150, net=1, bridge="br0", foreign=True),
     "f": dict(state="BACKUP", prio=100, net=1, bridge="br0", foreign=True)},
    prestart=["a", "b", "c", "d", "e", "f"], settle="a", settle_extra=3, duration=20,
    vlans={"br100": 100, "br200": 200, "br0": None},
    story="Three independent healthy pairs run VRID 51, each on its own bridge in the switch "
          "namespace: a/b (the local pair, interface `eth0.100` in their namespaces, VIP "
          "198.18.0.100), c/d (198.18.2.0/24, VIP 198.18.2.100) and e/f (198.18.1.0/24, VIP "
          "198.18.1.100). This kernel has no 8021q, so the trunk is made afterwards: tcpdump "
          "captures each bridge (br100, br200, br0) and tools/lab/lablib.py merge_trunk() inserts "
          "an 802.1Q tag (VLAN 100, 200; none for br0) after the MAC addresses of every frame "
          "and merges the three captures by time, as a trunk observer port would see them.")

NOTES = {
    "foreign_same_vips_lower":
        "(?) e is a foreign router, but with the local address list and a lower priority it "
        "hears a's adverts and stays a silent BACKUP: nothing of it is on the wire, so no rule "
        "applies and no finding is expected. (Were a to fail, e could take the VIP over.)",
    "foreign_same_vips_higher_int3":
        "(?) keepalived (VRRPv2) discards e's adverts for their interval, so e is not obeyed: a "
        "and e are both MASTER by their logs, same address list. The rules give multiple_masters "
        "and priority_conflict (discarded while above the local priority), both marked unsure: "
        "e's advert timer is restarted by a's once-a-second adverts, so e shows up as very few "
        "adverts. interval_mismatch/peer_rejects_advert are NOT listed: e is not a local peer "
        "(the rule is for local peers); a detector may well report interval_mismatch for it.",
    "foreign_other_vips_higher_int3":
        "keepalived logs the address-list mismatch (not the interval) for e's adverts; "
        "interval_mismatch is not listed because e is not a local peer.",
    "foreign_other_vips_equal":
        "(?) priority_conflict at EQUAL priority: the rule says 'above the local priority'; "
        "listed (unsure) because the tie is decided by the address and e's (198.18.0.5) would "
        "win, as in pcaps/foreign_same_priority.",
    "interval_mismatch_v2":
        "(?) b becomes MASTER by its log while a stays MASTER, but b's advert timer keeps "
        "being restarted by a's adverts, so the wire shows b only now and then: "
        "multiple_masters is marked unsure (pcaps/interval_mismatch expects no multiple_masters).",
    "v2_v3_pair":
        "Both stay MASTER by their logs (no transition after the first), so no master_changed, "
        "although on the wire v2 and v3 adverts come in alternating runs.",
    "capture_mid_failover":
        "(?) a was MASTER and crashed 1.5 s before the capture started: its adverts are not in "
        "the capture, so the change of master is not on the wire and master_changed is not "
        "expected (the capture only shows b starting to advertise after a silence).",
    "origin_incident":
        "The incident: nothing local is MASTER; keepalived accepted the foreign router's "
        "adverts (no 'discard' line in a's or b's log).",
    "foreign_same_vips_equal":
        "(?) e never becomes MASTER: a BACKUP accepts an advert of equal priority (the address "
        "tie-break is only between masters), so e stays a silent BACKUP and no finding is "
        "expected.",
    "vlan_trunk":
        "Only the local segment (VLAN 100, bridge br100) is judged for findings; the other "
        "pairs are healthy and on other VLANs, so they are not a collision.",
    "auth_mismatch":
        "keepalived logs 'received an invalid passwd!' for the peer's adverts (PASS "
        "authentication, different passwords): both stay MASTER. The password itself travels "
        "in clear text in every advert: `cleartext_auth info`, one per node, from the "
        "lab's configs (keepalived logs nothing about it).",
}
for _s in SCENARIOS:
    _s["notes"] = _s["notes"] or NOTES.get(_s["name"], "")

BY_NAME = {s["name"]: s for s in SCENARIOS}
