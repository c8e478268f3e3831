# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers shared by the Prometheus end-to-end tests: tool lookup with the
skip rule, free loopback ports, daemons bounded in time, a parser for the
text exposition format, and a synthetic capture with many advertisers."""
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.request

SKIP = 77


def need(tool):
    """The tool's path; exits 77 (skip) without it, 1 under VRRPWATCH_NO_SKIP."""
    path = shutil.which(tool)
    if not path:
        print(f"{tool} not found (Debian: apt-get install prometheus prometheus-node-exporter)")
        raise SystemExit(1 if os.environ.get("VRRPWATCH_NO_SKIP") else SKIP)
    return path


def free_port():
    """A port free on 127.0.0.1 now (the daemon may still lose a race: retry)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.headers, r.read().decode()


class Daemon:
    """A process on a loopback port, killed (its whole group) when done."""

    def __init__(self, argv_for_port, ready_path="/metrics", deadline=20, **kw):
        last = ""
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen(argv_for_port(self.port), stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True,
                                         start_new_session=True, **kw)
            end = time.monotonic() + deadline
            while time.monotonic() < end and self.proc.poll() is None:
                try:
                    http_get(f"http://127.0.0.1:{self.port}{ready_path}", timeout=1)
                    return
                except OSError:
                    time.sleep(0.1)
            last = self.stop()
        raise RuntimeError(f"{argv_for_port(0)[0]} did not start:\n{last}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            out, _ = self.proc.communicate()
        return out or ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- the text exposition format ---------------------------------------------

def _labels(s, i):
    """Parse {a="x",b="y"} starting at s[i] == '{'; returns (dict, next index)."""
    labels, i = {}, i + 1
    while s[i] != "}":
        eq = s.index("=", i)
        name = s[i:eq].strip(" ,")
        i, val = eq + 2, []
        while s[i] != '"':
            if s[i] == "\\":
                val.append({"n": "\n", "\\": "\\", '"': '"'}[s[i + 1]])
                i += 2
            else:
                val.append(s[i])
                i += 1
        labels[name] = "".join(val)
        i += 1
        if s[i] == ",":
            i += 1
    return labels, i + 1


def parse(text):
    """{(name, frozenset(labels without empty values)): float} and the TYPEs."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ", 3)
            types[name] = typ
        if not line or line.startswith("#"):
            continue
        brace, space = line.find("{"), line.find(" ")
        if brace != -1 and brace < space:
            name = line[:brace]
            labels, i = _labels(line, brace)
            value = line[i:].split()[0]
        else:
            name, value = line.split()[:2]
            labels = {}
        key = (name, frozenset((k, v) for k, v in labels.items() if v))
        if key in samples:
            raise ValueError(f"duplicate series {key}")
        samples[key] = float(value)
    return samples, types


# --- a capture with many advertisers ----------------------------------------

def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _advert(vlan, vrid, src, prio):
    vrrp = struct.pack("!BBBBBBH4s8s", 0x21, vrid, prio, 1, 0, 1, 0,
                       bytes([198, 18, vrid, 100]), b"\0" * 8)
    vrrp = vrrp[:6] + struct.pack("!H", _csum(vrrp)) + vrrp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(vrrp), 0, 0, 255, 112, 0,
                     bytes([198, 18, src >> 8, src & 0xFF]), bytes([224, 0, 0, 18]))
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    eth = bytes([1, 0, 0x5E, 0, 0, 0x12, 2, 0, 0, 0, src >> 8, src & 0xFF])
    if vlan:
        eth += struct.pack("!HH", 0x8100, vlan)
    return eth + b"\x08\x00" + ip + vrrp


def write_flood_pcap(path, vlans=8, vrids=255, sources=4):
    """vlans x vrids x sources advertisers, 1 to 3 adverts each: far past the caps."""
    t0 = 1767225600
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        n = 0
        for vlan in range(vlans):
            for vrid in range(1, vrids + 1):
                for src in range(1, sources + 1):
                    for _ in range(1 + (vrid + src) % 3):
                        frame = _advert(vlan, vrid, src, 100 + src)
                        f.write(struct.pack("<IIII", t0 + n // 1000, (n % 1000) * 1000,
                                            len(frame), len(frame)))
                        f.write(frame)
                        n += 1
    return n
