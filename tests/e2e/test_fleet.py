#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A fleet end to end: four vrrpwatch on loopback, one real Prometheus, the
fleet rules and the Grafana dashboard.

Hosts (each a vrrpwatch replaying a sample capture with --prom-listen
127.0.0.1:0, serving its final metrics until killed):
  a, b   pcaps/collision  --segment lab1   (both hear the collision)
  c      pcaps/healthy    --segment lab1
  d      pcaps/healthy    --segment lab2   (the same VRID and address as lab1)
One Prometheus scrapes all four every second (job "vrrpwatch") and evaluates
vrrpwatch.rules.yml and vrrpwatch.fleet.rules.yml every second, from copies
whose "for:" durations are cut to 2 s so that the alerts fire within the
test.  Checked:
  - every target of every panel of src/dist/grafana/vrrpwatch.json, its
    variables substituted ($segment, $host: All, then segment lab1), returns
    at least one series through the HTTP API (and, for lab1, only lab1's);
  - the fleet rules give one merged inventory per segment: one series per
    segment and VRID, sources counted once whatever the hosts, priorities
    merged with max (150, not 3 x 150), three hosts on lab1 and one on lab2;
  - VRRPSegmentVridCollision fires, once, for lab1 (and the per-host
    VRRPVridCollision for a and b); VRRPAddressOnTwoSegments fires for VRID
    51 and 198.18.0.100.
It prints what one host exports: series and bytes per capture, and the
resident memory of a replaying vrrpwatch.

Everything listens on 127.0.0.1 only and is killed at the end; bounded to
about 2 minutes.  Skips (77) without prometheus unless VRRPWATCH_NO_SKIP.

usage: test_fleet.py VRRPWATCH SOURCE_ROOT
"""
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prom_e2e  # noqa: E402
import test_replay_golden as replay  # noqa: E402

HOSTS = (("a", "pcaps/collision/capture.pcap", "lab1"),
         ("b", "pcaps/collision/capture.pcap", "lab1"),
         ("c", "pcaps/healthy/capture.pcap", "lab1"),
         ("d", "pcaps/healthy/capture.pcap", "lab2"))
DEADLINE = 90  # seconds for Prometheus to see it all, after it started


def start_vrrpwatch(vrrpwatch, root, capture, segment):
    argv = [vrrpwatch] + replay.arguments(root, capture) + [
        "--segment", segment, "--prom-listen", "127.0.0.1:0"]
    p = subprocess.Popen(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         bufsize=0, start_new_session=True)
    # raw reads: a buffered readline could keep the second line from select()
    text, end = "", time.monotonic() + 30
    while time.monotonic() < end:
        if not select.select([p.stderr], [], [], 1)[0]:
            continue
        chunk = os.read(p.stderr.fileno(), 4096)
        if not chunk:
            break
        text += chunk.decode(errors="replace")
        if "until interrupted" in text:  # the replay is done, the metrics are in
            m = re.search(r"http://127\.0\.0\.1:(\d+)/metrics", text)
            return p, int(m.group(1))
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    raise RuntimeError(f"vrrpwatch {capture} did not start serving:\n" + text)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def short_rules(root, tmp):
    """Copies of the rule files with every "for:" cut to 2 s."""
    out = []
    for name in ("vrrpwatch.rules.yml", "vrrpwatch.fleet.rules.yml"):
        with open(os.path.join(root, "src/dist", name)) as f:
            text = re.sub(r"^(\s+for:) \S+$", r"\1 2s", f.read(), flags=re.M)
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        out.append(path)
    return out


def api(prom, path, **query):
    url = prom.url(path) + ("?" + urllib.parse.urlencode(query) if query else "")
    body = json.loads(prom_e2e.http_get(url, timeout=10)[2])
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {query}: {body}")
    return body["data"]


def query(prom, expr):
    return api(prom, "/api/v1/query", query=expr)["result"]


def panel_targets(root):
    with open(os.path.join(root, "src/dist/grafana/vrrpwatch.json")) as f:
        dash = json.load(f)
    names = {v["name"] for v in dash["templating"]["list"]}
    assert {"segment", "host", "datasource"} <= names, names
    for p in dash["panels"]:
        for t in p.get("targets", []):
            yield p["title"], t["refId"], t["expr"]


def substitute(expr, segment, host):
    for var, val in (("$__rate_interval", "30s"), ("$__interval", "5s"),
                     ("$segment", segment), ("$host", host)):
        expr = expr.replace(var, val)
    return expr


def alerts(prom, name):
    return [a for a in api(prom, "/api/v1/alerts")["alerts"]
            if a["labels"]["alertname"] == name and a["state"] == "firing"]


def wait_ready(prom, n_targets):
    """Until every target is up, the fleet rules have run and the alerts fire."""
    end = time.monotonic() + DEADLINE
    state = ""
    while time.monotonic() < end:
        targets = api(prom, "/api/v1/targets")["activeTargets"]
        up = [t for t in targets if t["health"] == "up"]
        inventory = query(prom, "segment:vrrpwatch_vrid_sources:count")
        seg = alerts(prom, "VRRPSegmentVridCollision")
        host = alerts(prom, "VRRPVridCollision")
        two = alerts(prom, "VRRPAddressOnTwoSegments")
        rate = query(prom, "segment:vrrpwatch_source_adverts:rate5m_max")
        state = (f"{len(up)}/{n_targets} targets up, {len(inventory)} inventory series, "
                 f"{len(rate)} rate series, alerts: {len(seg)} segment collision, "
                 f"{len(host)} host collision, {len(two)} two-segment")
        if len(up) == n_targets and len(inventory) >= 2 and seg and len(host) >= 2 and two \
                and len(rate) >= 3:
            return True, state
        time.sleep(1)
    return False, state


def check_dashboard(prom, root):
    ok, n = True, 0
    for segment, host in ((".*", ".*"), ("lab1", ".*")):
        for title, ref, expr in panel_targets(root):
            q = substitute(expr, segment, host)
            if "$" in q:
                print(f"FAIL {title} {ref}: a variable left in {q}")
                ok = False
                continue
            res = query(prom, q)
            n += 1
            if not res:
                print(f"FAIL panel {title!r} target {ref} (segment {segment}): no series for {q}")
                ok = False
            elif segment == "lab1" and any(r["metric"].get("segment", "lab1") != "lab1" for r in res):
                print(f"FAIL panel {title!r} target {ref}: another segment with segment=lab1: {res}")
                ok = False
    print(f"dashboard: {n} panel queries run, {'all' if ok else 'not all'} with series")
    return ok


def check_inventory(prom):
    ok = True
    inv = {(r["metric"]["segment"], r["metric"]["vrid"]): float(r["value"][1])
           for r in query(prom, "segment:vrrpwatch_vrid_sources:count")}
    raw = query(prom, "segment:vrrpwatch_vrid_sources:count")
    if len(raw) != len(inv) or inv != {("lab1", "51"): 2.0, ("lab2", "51"): 1.0}:
        print(f"FAIL merged inventory: {raw}")
        ok = False
    prio = query(prom, 'segment:vrrpwatch_source_priority:max{segment="lab1"}')
    got = sorted((r["metric"]["source"], r["value"][1]) for r in prio)
    if got != [("198.18.0.1", "150"), ("198.18.0.3", "200")]:
        print(f"FAIL lab1 priorities merged with max: {got}")
        ok = False
    hosts = {r["metric"]["segment"]: r["value"][1]
             for r in query(prom, "segment:vrrpwatch_hosts:count")}
    if hosts != {"lab1": "3", "lab2": "1"}:
        print(f"FAIL hosts per segment: {hosts}")
        ok = False
    vrids = {r["metric"]["segment"]: r["value"][1]
             for r in query(prom, "segment:vrrpwatch_vrids:count")}
    if vrids != {"lab1": "1", "lab2": "1"}:
        print(f"FAIL VRIDs per segment: {vrids}")
        ok = False
    if ok:
        print(f"fleet rules: one inventory per segment {sorted(inv.items())}, "
              f"lab1 priorities {got}, hosts {sorted(hosts.items())}")
    return ok


def check_alerts(prom):
    ok = True
    seg = alerts(prom, "VRRPSegmentVridCollision")
    labels = [(a["labels"]["segment"], a["labels"]["vrid"]) for a in seg]
    if labels != [("lab1", "51")]:
        print(f"FAIL VRRPSegmentVridCollision: want one for lab1 VRID 51, got {labels}")
        ok = False
    per_host = sorted(a["labels"]["instance"] for a in alerts(prom, "VRRPVridCollision"))
    if len(per_host) != 2:
        print(f"FAIL VRRPVridCollision per host: want a and b, got {per_host}")
        ok = False
    two = [(a["labels"]["vrid"], a["labels"]["address"], a["value"] if "value" in a else "")
           for a in alerts(prom, "VRRPAddressOnTwoSegments")]
    if [t[:2] for t in two] != [("51", "198.18.0.100")]:
        print(f"FAIL VRRPAddressOnTwoSegments: {two}")
        ok = False
    if ok:
        print(f"alerts firing: VRRPSegmentVridCollision {labels}, VRRPVridCollision on "
              f"{len(per_host)} hosts, VRRPAddressOnTwoSegments {[t[:2] for t in two]}")
    return ok


def report_cost(prom, procs, ports):
    scraped = query(prom, 'count by (instance) ({job="vrrpwatch"})')
    recorded = query(prom, 'count({__name__=~"(instance_)?segment:vrrpwatch_.*"})')
    print(f"Prometheus: series per host {sorted(int(r['value'][1]) for r in scraped)} "
          f"(with up, scrape_* and ALERTS), fleet-rule series "
          f"{int(recorded[0]['value'][1]) if recorded else 0} for 2 segments")
    for (name, capture, segment), p, port in zip(HOSTS, procs, ports):
        if name not in ("a", "c"):
            continue
        body = prom_e2e.http_get(f"http://127.0.0.1:{port}/metrics")[2]
        samples, _ = prom_e2e.parse(body)
        print(f"host {name} ({capture}, --segment {segment}): {len(samples)} series, "
              f"{len(body)} bytes per scrape, vrrpwatch RSS {rss_kib(p.pid)} KiB")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    prometheus = prom_e2e.need("prometheus")
    started = time.monotonic()
    procs, ports, ok = [], [], False
    try:
        for _, capture, segment in HOSTS:
            p, port = start_vrrpwatch(vrrpwatch, root, capture, segment)
            procs.append(p)
            ports.append(port)
        with tempfile.TemporaryDirectory(prefix="vw-fleet.") as tmp:
            rules = short_rules(root, tmp)
            config = os.path.join(tmp, "prometheus.yml")
            with open(config, "w") as f:
                f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: {json.dumps(rules)}
scrape_configs:
  - job_name: vrrpwatch
    static_configs:
      - targets: {json.dumps([f"127.0.0.1:{p}" for p in ports])}
""")
            argv = lambda p: [prometheus, f"--config.file={config}",  # noqa: E731
                              f"--storage.tsdb.path={os.path.join(tmp, 'data')}",
                              f"--web.listen-address=127.0.0.1:{p}"]
            with prom_e2e.Daemon(argv, ready_path="/-/ready", deadline=60) as prom:
                ready, state = wait_ready(prom, len(HOSTS))
                print(f"after {time.monotonic() - started:.0f} s: {state}")
                if not ready:
                    print("FAIL Prometheus did not see the fleet in time")
                else:
                    ok = check_inventory(prom)
                    ok = check_alerts(prom) and ok
                    ok = check_dashboard(prom, root) and ok
                    report_cost(prom, procs, ports)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    print(f"fleet end to end {'passed' if ok else 'failed'} "
          f"in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
