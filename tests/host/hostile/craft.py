#!/usr/bin/python3
"""craft.py - the hostile peer of the hostile-*.sh tests (scapy).

  craft.py lrp-ctrl HOST PORT CASE          a PPTP client gone wrong, at the LRP's 1723
  craft.py lrp-gre SRC DST CASE CALLID [N]  GRE on the LAN, at the LRP's capture
  craft.py lrp-frag-flood SRC DST [options] first fragments of GRE, at the LRP's reassembly
  craft.py rrp HOST PORT CASE [options]     an LRP gone wrong, at pptpd's rrp-listen

Each prints what it did and what came back, one fact a line, for the test
to check ("port P", "rx TYPE", "ocrp CALLID", "error NAME", "eof", ...).
It exits 0 when it could play its case (the test judges the result), 1
when it could not (no connection, a step that must work failed).
The layouts are in layouts.py, from the specifications only.
"""
import argparse
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layouts as L  # noqa: E402


def say(*words):
    print(*words, flush=True)


def die(msg):
    say("craft-failed", msg)
    sys.exit(1)


class Conn:
    """A TCP connection with a receive buffer and a deadline per wait."""

    def __init__(self, host, port, timeout=5.0):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.eof = False
        say("port", self.s.getsockname()[1])

    def send(self, data):
        try:
            self.s.sendall(data)
            return True
        except OSError as e:
            say("send-failed", e.strerror)
            return False

    def fill(self, timeout):
        """Read what arrives within timeout; False at EOF (or reset)."""
        self.s.settimeout(timeout)
        try:
            data = self.s.recv(65536)
        except socket.timeout:
            return True
        except OSError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def wait_eof(self, timeout):
        end = time.time() + timeout
        while not self.eof and time.time() < end:
            self.fill(max(0.05, end - time.time()))
        return self.eof


# ---- at the LRP's TCP 1723 ------------------------------------------------

def pptp_wait(c, want, timeout=8.0):
    """Read PPTP messages until one of type want; returns it or None."""
    end = time.time() + timeout
    while time.time() < end:
        msgs, rest = L.pptp_messages(c.buf)
        for i, (t, m) in enumerate(msgs):
            say("rx", t)
            if t == want:
                consumed = sum(len(x[1]) for x in msgs[:i + 1])
                c.buf = c.buf[consumed:]
                return m
        c.buf = rest
        if not c.fill(max(0.05, end - time.time())):
            return None
    return None


def start_and_call(c, with_call):
    if not c.send(bytes(L.SCCRQ())) or pptp_wait(c, 2) is None:
        die("no Start-Control-Connection-Reply")
    if not with_call:
        return None
    if not c.send(bytes(L.OCRQ(call_id=0x4242))):
        die("cannot send Outgoing-Call-Request")
    m = pptp_wait(c, 8)
    if m is None:
        die("no Outgoing-Call-Reply")
    cid, peer, result = struct.unpack("!HHB", m[12:17])
    say("ocrp", cid, "peer", peer, "result", result)
    if result != 1:
        die("the call was refused")
    return cid


def lrp_ctrl(a):
    c = Conn(a.host, a.port)
    case = a.case
    if case == "bad-magic":
        c.send(bytes(L.SCCRQ(magic=0xDEADBEEF)))
    elif case == "length-smaller":
        # the length field says 16; 156 bytes follow
        c.send(bytes(L.SCCRQ(length=16)))
    elif case == "length-bigger":
        # a 156-byte SCCRQ whose length field says 200, padded to 200
        c.send(bytes(L.SCCRQ(length=200)) + b"\0" * 44)
    elif case == "length-below-minimum":
        c.send(bytes(L.SCCRQ(length=8)))
    elif case == "length-above-maximum":
        c.send(bytes(L.SCCRQ(length=1000)) + b"\0" * 844)
    elif case == "truncated":
        c.send(bytes(L.SCCRQ())[:100])
        time.sleep(1.0)
        c.s.shutdown(socket.SHUT_WR)
    elif case == "unknown-type":
        c.send(bytes(L.Unknown()))
    elif case == "ocrq-first":
        c.send(bytes(L.OCRQ()))
    elif case == "sccrq-twice":
        start_and_call(c, False)
        c.send(bytes(L.SCCRQ()))
    elif case == "sli-before-call":
        start_and_call(c, False)
        c.send(bytes(L.SLI(peer_call_id=7)))
    elif case == "ocrq-twice":
        start_and_call(c, True)
        time.sleep(a.hold)
        say("second-ocrq")
        c.send(bytes(L.OCRQ(call_id=0x4343)))
    elif case == "sli-unknown-call":
        cid = start_and_call(c, True)
        c.send(bytes(L.SLI(peer_call_id=cid ^ 0x5555)))
    elif case == "ccrq-unknown-call":
        start_and_call(c, True)
        c.send(bytes(L.CCRQ(call_id=0x4242 ^ 0x5555)))
    elif case == "ccrq-short":
        # after the start, a Call-Clear-Request of its header alone: the
        # length field says 12, and 12 bytes come
        start_and_call(c, False)
        c.send(bytes(L.CCRQ(length=12))[:12])
    else:
        die("unknown case " + case)
    if c.wait_eof(a.timeout):
        msgs, _ = L.pptp_messages(c.buf)
        for t, _m in msgs:
            say("rx", t)
        say("closed-by-peer")
    else:
        say("still-open")


# ---- GRE at the LRP's capture ---------------------------------------------

def lrp_gre(a):
    # scapy only here: its import takes a while and wants a routing table
    from scapy.layers.inet import IP
    from scapy.layers.l2 import GRE_PPTP
    from scapy.sendrecv import send
    from scapy.packet import Raw

    ppp = b"\xff\x03\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00"  # LCP Echo-Request
    ip = IP(src=a.src, dst=a.dst, proto=47)
    gre = dict(call_id=a.callid, seqnum_present=1, seqence_number=1, payload_len=len(ppp))
    if a.case == "bad-version":
        pkt = ip / GRE_PPTP(version=0, **gre) / Raw(ppp)
    elif a.case == "bad-protocol":
        pkt = ip / GRE_PPTP(proto=0x0800, **gre) / Raw(ppp)
    elif a.case in ("unknown-callid", "spoofed-source", "good"):
        pkt = ip / GRE_PPTP(**gre) / Raw(ppp)
    elif a.case == "truncated":
        # the IP header is honest; the GRE header ends after 6 of its 8 bytes
        pkt = ip / Raw(bytes(GRE_PPTP(**gre))[:6])
    elif a.case == "length-lies":
        pkt = ip / GRE_PPTP(**dict(gre, payload_len=400)) / Raw(ppp)
    else:
        die("unknown case " + a.case)
    send(pkt, count=a.count, verbose=False)
    say("sent", a.count, a.case, "call-id", a.callid, "from", a.src)


def lrp_frag_flood(a):
    """First fragments (MF set, offset 0, 8 bytes), each with an IP id of
    its own, none ever completed: each one, if reassembly takes it, holds a
    slot until the reassembly timeout.  BURST of them every EVERY seconds,
    on one raw socket (the kernel's routing and ARP), until killed (or
    --seconds)."""
    from scapy.layers.inet import IP
    from scapy.packet import Raw
    from scapy.supersocket import L3RawSocket

    sock = L3RawSocket()
    ident = 1
    sent = 0
    end = time.time() + a.seconds if a.seconds > 0 else None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while end is None or time.time() < end:
            for _ in range(a.burst):
                # a GRE header's first 8 bytes (Call ID 0), nothing more
                sock.send(IP(src=a.src, dst=a.dst, proto=47, id=ident, flags="MF", frag=0)
                          / Raw(b"\x30\x81\x88\x0b\x00\x00\x00\x00"))
                ident = ident % 65535 + 1
                sent += 1
            if sent == a.burst:
                say("first-burst", a.burst, "from", a.src)
            time.sleep(a.every)
    finally:
        say("sent", sent, "first fragments")


# ---- at pptpd's rrp-listen ------------------------------------------------

def frame_wait(c, timeout=8.0):
    """The next tunnel frame (type, payload), or None at EOF/timeout."""
    end = time.time() + timeout
    while time.time() < end:
        fr, rest = L.frames(c.buf)
        if fr:
            t, p = fr[0]
            c.buf = c.buf[4 + len(p):]
            return t, p
        if not c.fill(max(0.05, end - time.time())):
            return None
    return None


def report_end(c, timeout):
    """Print how the RRP ended the tunnel: 'error NAME', 'close N', 'eof'."""
    end = time.time() + timeout
    while time.time() < end:
        f = frame_wait(c, max(0.05, end - time.time()))
        if f is None:
            break
        t, p = f
        if t == L.ERROR:
            code = struct.unpack("!H", p[:2])[0]
            say("error", L.ERROR_NAMES.get(code, str(code)), p[4:].decode("ascii", "replace"))
        elif t == L.CLOSE:
            say("close", struct.unpack("!H", p[:2])[0], p[4:].decode("ascii", "replace"))
        elif t == L.CTRL:
            say("ctrl", struct.unpack("!H", p[8:10])[0])
            continue
        else:
            say("frame", t)
            continue
    if c.wait_eof(max(0.5, end - time.time())):
        say("eof")
    else:
        say("still-open")


def hello(c, nonce, **fields):
    return c.send(bytes(L.Frame(type=L.HELLO) / L.Hello(client_nonce=nonce, **fields)))


def handshake(c, a):
    secret = L.read_secret(a.secret)
    cn = os.urandom(32)
    if not hello(c, cn):
        die("cannot send HELLO")
    f = frame_wait(c)
    if f is None or f[0] != L.CHALLENGE:
        die("no CHALLENGE")
    version, sn = f[1][0], f[1][4:36]
    ip, port = a.client.rsplit(":", 1)
    addr = socket.inet_aton(ip)
    mac = good = L.auth_mac(secret, version, cn, sn, int(port), addr)
    if a.case == "auth-wrong-mac":
        mac = bytes([good[0] ^ 1]) + good[1:]
    c.send(bytes(L.Frame(type=L.AUTH) / L.Auth4(mac=mac, port=int(port), address=addr)))
    if a.case == "auth-wrong-mac":
        return
    f = frame_wait(c)
    if f is None or f[0] != L.WELCOME:
        die("no WELCOME")
    if f[1] != L.welcome_mac(secret, version, sn, cn):
        die("WELCOME's MAC does not verify")
    say("welcome-verified")


def ctrl(c, msg):
    return c.send(bytes(L.Frame(type=L.CTRL) / msg))


def ctrl_wait(c, want, timeout=8.0):
    end = time.time() + timeout
    while time.time() < end:
        f = frame_wait(c, max(0.05, end - time.time()))
        if f is None:
            return None
        if f[0] == L.CTRL:
            t = struct.unpack("!H", f[1][8:10])[0]
            say("ctrl", t)
            if t == want:
                return f[1]
        elif f[0] in (L.ERROR, L.CLOSE):
            c.buf = bytes([f[0], 0]) + struct.pack("!H", len(f[1])) + f[1] + c.buf
            return None
    return None


def tunnel_call(c):
    if not ctrl(c, L.SCCRQ()) or ctrl_wait(c, 2) is None:
        die("no Start-Control-Connection-Reply")
    if not ctrl(c, L.OCRQ(call_id=0x4242)):
        die("cannot send Outgoing-Call-Request")
    m = ctrl_wait(c, 8)
    if m is None:
        die("no Outgoing-Call-Reply")
    cid, peer, result = struct.unpack("!HHB", m[12:17])
    say("ocrp", cid, "peer", peer, "result", result)
    return cid


def replayed(pcap):
    """The first tunnel's LRP->RRP bytes in a capture, cut into frames:
    its HELLO and AUTH, byte for byte."""
    from scapy.layers.inet import IP, TCP
    from scapy.utils import rdpcap

    streams = {}
    for p in rdpcap(pcap):
        if TCP not in p or p[TCP].dport != a_port or not bytes(p[TCP].payload):
            continue
        key = (p[IP].src, p[TCP].sport)
        streams.setdefault(key, {})[p[TCP].seq] = bytes(p[TCP].payload)
    for key, segs in streams.items():
        data = b"".join(segs[s] for s in sorted(segs))
        fr, _ = L.frames(data)
        got = dict((t, p) for t, p in fr if t in (L.HELLO, L.AUTH))
        if L.HELLO in got and L.AUTH in got:
            say("replaying", "tunnel", "%s:%d" % key)
            return got[L.HELLO], got[L.AUTH]
    die("no HELLO and AUTH in " + pcap)


a_port = 0


def rrp(a):
    global a_port
    a_port = a.port
    case = a.case
    if case == "replay":
        hello_payload, auth_payload = replayed(a.pcap)
    c = Conn(a.host, a.port)
    if case == "hello-bad-magic":
        hello(c, os.urandom(32), magic=b"PPTP")
    elif case == "hello-bad-version":
        hello(c, os.urandom(32), version_min=2, version_max=3)
    elif case == "hello-length-short":
        # header and payload agree on 39 bytes: below HELLO's exact 40
        c.send(struct.pack("!BBH", L.HELLO, 0, 39) + bytes(L.Hello(client_nonce=os.urandom(32)))[:39])
    elif case == "hello-length-huge":
        c.send(struct.pack("!BBH", L.HELLO, 0, 0xFFFF) + bytes(L.Hello()))
    elif case == "hello-length-lies":
        # the header promises 40 bytes; 20 come, then the peer hangs up
        c.send(struct.pack("!BBH", L.HELLO, 0, 40) + bytes(L.Hello())[:20])
        time.sleep(0.5)
        c.s.shutdown(socket.SHUT_WR)
    elif case == "auth-wrong-mac":
        handshake(c, a)
    elif case == "replay":
        # the recorded HELLO (with its old client nonce), then the
        # recorded AUTH: its MAC covers a server nonce this RRP never drew
        c.send(struct.pack("!BBH", L.HELLO, 0, len(hello_payload)) + hello_payload)
        f = frame_wait(c)
        if f is None or f[0] != L.CHALLENGE:
            die("no CHALLENGE")
        c.send(struct.pack("!BBH", L.AUTH, 0, len(auth_payload)) + auth_payload)
    elif case.startswith("open-"):
        handshake(c, a)
        case = case[5:]
        if case == "ctrl-length-bigger":
            # a 156-byte SCCRQ whose PPTP length field says 168
            ctrl(c, L.SCCRQ(length=168))
        elif case == "ctrl-length-smaller":
            ctrl(c, L.SCCRQ(length=100))
        elif case == "ctrl-frame-shorter":
            # the frame carries 100 bytes of a message that says 156
            m = bytes(L.SCCRQ())[:100]
            c.send(struct.pack("!BBH", L.CTRL, 0, len(m)) + m)
        elif case == "ocrq-first":
            ctrl(c, L.OCRQ())
        elif case == "sccrq-twice":
            if not ctrl(c, L.SCCRQ()) or ctrl_wait(c, 2) is None:
                die("no Start-Control-Connection-Reply")
            ctrl(c, L.SCCRQ())
        elif case == "ocrq-twice":
            tunnel_call(c)
            time.sleep(a.hold)
            say("second-ocrq")
            ctrl(c, L.OCRQ(call_id=0x4343))
        elif case == "sli-unknown-call":
            cid = tunnel_call(c)
            ctrl(c, L.SLI(peer_call_id=cid ^ 0x5555))
        elif case == "gre-wrong-callid":
            from scapy.layers.l2 import GRE_PPTP
            cid = tunnel_call(c)
            ppp = b"\xff\x03\xc0\x21\x09\x01\x00\x08\x00\x00\x00\x00"
            for i in range(a.count):
                g = bytes(GRE_PPTP(call_id=cid ^ 0x5555, seqnum_present=1, seqence_number=i,
                                   payload_len=len(ppp))) + ppp
                c.send(struct.pack("!BBH", L.GRE, 0, len(g)) + g)
            say("sent", a.count, "gre", "call-id", cid ^ 0x5555)
            # the tunnel must still be served: a PPTP echo round trip
            time.sleep(0.5)
            ctrl(c, L.EchoRequest(identifier=0x5ca9))
            if ctrl_wait(c, 6) is not None:
                say("echo-reply")
            ctrl(c, L.CCRQ(call_id=0x4242))
        else:
            die("unknown case " + a.case)
    else:
        die("unknown case " + case)
    report_end(c, a.timeout)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("lrp-ctrl")
    q.add_argument("host")
    q.add_argument("port", type=int)
    q.add_argument("case")
    q.add_argument("--hold", type=float, default=1.0)
    q.add_argument("--timeout", type=float, default=8.0)
    q = sub.add_parser("lrp-gre")
    q.add_argument("src")
    q.add_argument("dst")
    q.add_argument("case")
    q.add_argument("callid", type=int)
    q.add_argument("count", type=int, nargs="?", default=1)
    q = sub.add_parser("lrp-frag-flood")
    q.add_argument("src")
    q.add_argument("dst")
    q.add_argument("--burst", type=int, default=8)
    q.add_argument("--every", type=float, default=0.01)
    q.add_argument("--seconds", type=float, default=0)
    q = sub.add_parser("rrp")
    q.add_argument("host")
    q.add_argument("port", type=int)
    q.add_argument("case")
    q.add_argument("--secret")
    q.add_argument("--client", default="192.0.2.66:40666")
    q.add_argument("--pcap")
    q.add_argument("--hold", type=float, default=1.0)
    q.add_argument("--count", type=int, default=5)
    q.add_argument("--timeout", type=float, default=8.0)
    a = p.parse_args()
    try:
        {"lrp-ctrl": lrp_ctrl, "lrp-gre": lrp_gre, "lrp-frag-flood": lrp_frag_flood,
         "rrp": rrp}[a.cmd](a)
    except (OSError, socket.timeout) as e:
        die("%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main()
