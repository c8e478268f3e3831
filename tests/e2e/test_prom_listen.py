#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""End to end for --prom-listen, with a real Prometheus server on loopback.

vrrpwatch replays a sample capture and serves its metrics on 127.0.0.1 (port
0: the kernel picks; vrrpwatch prints it).  Checked:
  - GET /metrics is the golden textfile, byte for byte, with the exposition
    content type; HEAD, other paths, other methods and garbage get 200
    without a body, 404, 405 and 400;
  - a Prometheus server scrapes it (job "vrrpwatch", target up, no scrape
    error), and the shipped alerting rules see the capture's VRID collision
    (VRRPVridCollision pending or firing);
  - starvation (issue 13): 1000 idle connections held open, then 32
    re-opening idle ones and 16 slowloris ones: a scraper with a 2 s
    timeout is answered every time, and vrrpwatch's descriptors stay
    bounded (the listener, 32 connections, a few of its own);
  - SIGTERM ends vrrpwatch promptly with the replay's exit status.

Both daemons listen on 127.0.0.1 only and are killed at the end.  Skips (77)
without prometheus unless VRRPWATCH_NO_SKIP is set.

usage: test_prom_listen.py VRRPWATCH SOURCE_ROOT
"""
import json
import os
import re
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prom_e2e  # noqa: E402
import test_replay_golden as replay  # noqa: E402

SAMPLE = "pcaps/collision/capture.pcap"


def start_vrrpwatch(vrrpwatch, root):
    argv = [vrrpwatch] + replay.arguments(root, SAMPLE) + ["--prom-listen", "127.0.0.1:0"]
    p = subprocess.Popen(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True)
    # raw reads: two lines arriving in one chunk must not leave the second
    # in a reader's buffer that select() cannot see
    text, end = b"", time.monotonic() + 30
    while time.monotonic() < end:
        if not select.select([p.stderr], [], [], 1)[0]:
            continue
        chunk = os.read(p.stderr.fileno(), 4096)
        if not chunk:
            break
        text += chunk
        if b"until interrupted" in text:  # the replay is done, the metrics are in
            m = re.search(rb"http://127\.0\.0\.1:(\d+)/metrics", text)
            return p, int(m.group(1))
    p.kill()
    raise RuntimeError("vrrpwatch did not start serving:\n" + text.decode(errors="replace"))


def raw(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode(errors="replace")


def check_http(port, golden):
    ok = True
    status, headers, body = prom_e2e.http_get(f"http://127.0.0.1:{port}/metrics")
    if status != 200 or body != golden:
        print("FAIL GET /metrics differs from the golden textfile")
        ok = False
    if headers["Content-Type"] != "text/plain; version=0.0.4; charset=utf-8":
        print(f"FAIL content type {headers['Content-Type']}")
        ok = False
    for request, want in ((b"HEAD /metrics HTTP/1.0\r\n\r\n", "HTTP/1.0 200 "),
                          (b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.0 404 "),
                          (b"DELETE /metrics HTTP/1.1\r\n\r\n", "HTTP/1.0 405 "),
                          (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", "HTTP/1.0 400 ")):
        got = raw(port, request)
        if not got.startswith(want) or (request.startswith(b"HEAD") and "vrrpwatch_" in got):
            print(f"FAIL {request[:20]!r}: {got[:60]!r}")
            ok = False
    return ok


def api(prom, path, **query):
    url = prom.url(path) + ("?" + urllib.parse.urlencode(query) if query else "")
    return json.loads(prom_e2e.http_get(url)[2])["data"]


def check_prometheus(prometheus, root, port, tmp):
    rules = os.path.abspath(os.path.join(root, "src/dist/vrrpwatch.rules.yml"))
    config = os.path.join(tmp, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [{json.dumps(rules)}]
scrape_configs:
  - job_name: vrrpwatch
    static_configs:
      - targets: ["127.0.0.1:{port}"]
""")
    argv = lambda p: [prometheus, f"--config.file={config}",  # noqa: E731
                      f"--storage.tsdb.path={os.path.join(tmp, 'data')}",
                      f"--web.listen-address=127.0.0.1:{p}"]
    with prom_e2e.Daemon(argv, ready_path="/-/ready", deadline=60) as prom:
        end = time.monotonic() + 60
        target = alerts = series = None
        while time.monotonic() < end:
            targets = api(prom, "/api/v1/targets")["activeTargets"]
            target = targets[0] if targets else None
            series = api(prom, "/api/v1/query",
                         query='vrrpwatch_finding_active{job="vrrpwatch",kind="vrid_collision"}')
            alerts = [a for a in api(prom, "/api/v1/alerts")["alerts"]
                      if a["labels"]["alertname"] == "VRRPVridCollision"]
            if target and target["health"] == "up" and series["result"] and alerts:
                break
            time.sleep(0.5)
        if not (target and target["health"] == "up" and not target["lastError"]):
            print(f"FAIL Prometheus' scrape of vrrpwatch: {target}")
            return False
        if not series["result"] or series["result"][0]["value"][1] != "1":
            print(f"FAIL vrid_collision not in Prometheus: {series}")
            return False
        if not alerts or alerts[0]["state"] not in ("pending", "firing"):
            print(f"FAIL VRRPVridCollision not raised: {alerts}")
            return False
        print(f"Prometheus scraped vrrpwatch (up, no error); VRRPVridCollision "
              f"{alerts[0]['state']} for VRID {alerts[0]['labels']['vrid']}")
    return True


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def scrape_ok(port, golden):
    """One GET /metrics with a 2 s timeout: the golden body, whole."""
    t0 = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(max(0.1, 2 - (time.monotonic() - t0)))
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while time.monotonic() - t0 < 2:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    if not data.startswith(b"HTTP/1.0 200 ") or not data.endswith(golden.encode()):
        return None
    return time.monotonic() - t0


def attack(port, n, slow, stop, counts):
    """n connections that send nothing (or a byte every 500 ms: slow),
    re-opened as soon as the server closes them."""
    def dial():
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        return s
    socks = [dial() for _ in range(n)]
    while not stop.is_set():
        for i, s in enumerate(socks):
            try:
                gone = s.recv(1) == b""
                if not gone and slow:
                    s.send(b"G")
            except BlockingIOError:
                gone = False
                if slow:
                    try:
                        s.send(b"G")
                    except OSError:
                        pass
            except OSError:
                gone = True
            if gone:
                s.close()
                socks[i] = dial()
                counts[0] += 1
        stop.wait(0.5 if slow else 0.002)
    for s in socks:
        s.close()


def check_starvation(p, port, golden):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    bound = 1 + 32 + 16  # listener, connections, its own (std, signalfd, ...)
    ok, worst, most = True, 0.0, 0
    idle = []
    for i in range(1000):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        idle.append(s)
        most = max(most, fd_count(p.pid)) if i % 50 == 0 else most
    for _ in range(5):
        t = scrape_ok(port, golden)
        most = max(most, fd_count(p.pid))
        if t is None:
            ok = False
            print("FAIL a scrape beside 1000 idle connections was not answered within 2 s")
        worst = max(worst, t or 0)
        time.sleep(0.1)
    for s in idle:
        s.close()
    print(f"1000 idle connections: 5 scrapes answered, slowest {worst * 1000:.0f} ms")
    stop, counts, worst, n = threading.Event(), [0], 0.0, 0
    threads = [threading.Thread(target=attack, args=(port, 32, False, stop, counts)),
               threading.Thread(target=attack, args=(port, 16, True, stop, counts))]
    for t in threads:
        t.start()
    end = time.monotonic() + 3
    while time.monotonic() < end:
        t = scrape_ok(port, golden)
        most = max(most, fd_count(p.pid))
        n += 1
        if t is None:
            ok = False
            print("FAIL a scrape under re-opening and slowloris connections was not answered")
        worst = max(worst, t or 0)
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join()
    print(f"re-opening + slowloris ({counts[0]} reconnects): {n} scrapes answered, slowest "
          f"{worst * 1000:.0f} ms; vrrpwatch held at most {most} descriptors")
    if most > bound:
        ok = False
        print(f"FAIL vrrpwatch held {most} descriptors (bound {bound})")
    return ok


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    vrrpwatch, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    prometheus = prom_e2e.need("prometheus")
    with open(os.path.join(root, replay.stem(SAMPLE) + ".expected.prom")) as f:
        golden = f.read()
    p, port = start_vrrpwatch(vrrpwatch, root)
    try:
        ok = check_http(port, golden)
        ok = check_starvation(p, port, golden) and ok
        with tempfile.TemporaryDirectory(prefix="vw-prom-listen.") as tmp:
            ok = check_prometheus(prometheus, root, port, tmp) and ok
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=5)
        if rc != 1:  # the capture has critical findings
            print(f"FAIL vrrpwatch exit status {rc} after SIGTERM (want 1)")
            ok = False
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    print("--prom-listen end to end " + ("passed" if ok else "failed"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
