#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Live capture with the Prometheus outputs: vrrpwatch watches one end of a
veth pair (libpcap backend) while the other end sends VRRP adverts from two
sources with one VRID and one address set (split brain).  Checked while it
runs:
  - the textfile is rewritten at every tick (several distinct versions, the
    advert counters growing), and a real prometheus-node-exporter on
    127.0.0.1 in the host namespace serves its series with no scrape error;
  - --prom-listen (inside the namespace) serves the same families;
  - the split brain shows as vrrpwatch_finding_active{kind="multiple_masters"} 1.

Two network namespaces with a veth pair and 198.18.0.0/15 addresses only,
removed at the end; everything bounded in time.  Needs root, ip(8),
prometheus-node-exporter: skips (77) without them unless VRRPWATCH_NO_SKIP.

usage: test_prom_live.py VRRPWATCH
"""
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prom_e2e  # noqa: E402

RUN_SECONDS = 9
SENDER = """
import socket, sys, time
sys.path.insert(0, {tests!r})
import prom_e2e
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(({dev!r}, 0))
end = time.monotonic() + {seconds}
while time.monotonic() < end:
    s.send(prom_e2e._advert(0, 51, 1, 150))
    s.send(prom_e2e._advert(0, 51, 3, 200))
    time.sleep(0.25)
"""


def sh(*argv):
    subprocess.run(argv, check=True, timeout=30, capture_output=True)


class VethPair:
    """Namespaces NAME-a and NAME-b joined by a veth pair, removed on exit."""

    def __init__(self, name):
        self.ns = (f"{name}a", f"{name}b")
        self.dev = (f"{name}a", f"{name}b")

    def __enter__(self):
        for ns in self.ns:
            sh("ip", "netns", "add", ns)
        sh("ip", "link", "add", self.dev[0], "netns", self.ns[0], "type", "veth", "peer",
           "name", self.dev[1], "netns", self.ns[1])
        for ns, dev in zip(self.ns, self.dev):
            # no router solicitations or MLD reports among the frames
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", f"net.ipv6.conf.{dev}.disable_ipv6=1")
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        return self

    def __exit__(self, *exc):
        for ns in self.ns:
            subprocess.run(["ip", "netns", "del", ns], timeout=30, capture_output=True)


def serving_port(proc):
    lines, end = [], time.monotonic() + 20
    while time.monotonic() < end and select.select([proc.stderr], [], [], 1)[0]:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/metrics", line)
        if m:
            return int(m.group(1))
    raise RuntimeError("vrrpwatch did not say where it serves:\n" + "".join(lines))


def adverts_total(samples):
    return sum(v for k, v in samples.items() if k[0] == "vrrpwatch_advertiser_adverts_total")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    vrrpwatch = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("needs root and ip(8) for network namespaces")
        return 1 if os.environ.get("VRRPWATCH_NO_SKIP") else 77
    exporter = prom_e2e.need("prometheus-node-exporter")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    ok = True
    with tempfile.TemporaryDirectory(prefix="vw-prom-live.") as textdir, \
            VethPair(f"vwp{os.getpid() % 100000}") as net, \
            prom_e2e.Daemon(lambda port: [
                exporter, f"--web.listen-address=127.0.0.1:{port}",
                "--collector.disable-defaults", "--collector.textfile",
                f"--collector.textfile.directory={textdir}"]) as ne:
        os.chmod(textdir, 0o755)
        textfile = os.path.join(textdir, "vrrpwatch.prom")
        w = subprocess.Popen(
            ["ip", "netns", "exec", net.ns[1], vrrpwatch, "-i", net.dev[1], "--backend", "pcap",
             "--no-config", "--duration", f"{RUN_SECONDS}s", "--prom-file", textfile,
             "--prom-listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        sender = None
        try:
            port = serving_port(w)
            sender = subprocess.Popen(["ip", "netns", "exec", net.ns[0], python, "-c",
                                       SENDER.format(tests=os.path.dirname(__file__),
                                                     dev=net.dev[0], seconds=RUN_SECONDS - 2)])
            versions, counts, scraped, served = set(), [], None, None
            end = time.monotonic() + RUN_SECONDS - 1
            while time.monotonic() < end:
                time.sleep(0.3)
                if not os.path.exists(textfile):
                    continue
                with open(textfile) as f:
                    text = f.read()
                samples, _ = prom_e2e.parse(text)  # whole, or this raises
                if text not in versions:
                    versions.add(text)
                    counts.append(adverts_total(samples))
                scraped = prom_e2e.parse(prom_e2e.http_get(ne.url("/metrics"))[2])[0]
                if scraped.get(("node_textfile_scrape_error", frozenset())) != 0:
                    print("FAIL node_exporter reports a textfile scrape error")
                    ok = False
                got = subprocess.run(["ip", "netns", "exec", net.ns[1], python, "-c",
                                      "import sys, urllib.request; sys.stdout.write(urllib."
                                      f"request.urlopen('http://127.0.0.1:{port}/metrics', "
                                      "timeout=5).read().decode())"],
                                     capture_output=True, text=True, timeout=10)
                if got.returncode == 0:
                    served = prom_e2e.parse(got.stdout)[0]
            rc = w.wait(timeout=20)
        finally:
            for p in (w, sender):
                if p and p.poll() is None:
                    p.kill()
                    p.wait()
        with open(textfile) as f:
            final, _ = prom_e2e.parse(f.read())
    split = [v for k, v in final.items()
             if k[0] == "vrrpwatch_finding_active" and ("kind", "multiple_masters") in k[1]]
    print(f"live: {len(versions)} versions of the textfile while running, advert counts "
          f"{counts}; exit {rc}; multiple_masters {split}")
    if len(versions) < 3 or counts != sorted(counts) or counts[-1] <= counts[0]:
        print("FAIL the textfile was not rewritten at every tick with growing counters")
        ok = False
    if not scraped or not any(k[0] == "vrrpwatch_advertiser_adverts_total" for k in scraped):
        print("FAIL node_exporter did not serve vrrpwatch's series")
        ok = False
    if not served or not any(k[0] == "vrrpwatch_build_info" for k in served):
        print("FAIL --prom-listen did not serve the metrics during the run")
        ok = False
    if split != [1.0] or rc != 1:
        print("FAIL the split brain is not in the metrics (or the exit status is not 1)")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
