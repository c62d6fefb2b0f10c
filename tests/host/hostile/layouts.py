"""Wire layouts for the hostile-input tests, written from the specs alone.

PPTP control messages from RFC 2637 section 2, the LRP-RRP tunnel frames
and handshake from doc/tunnel-protocol.md (sections 3, 4 and 6).  Nothing
here comes from the project's C code: the point of the hostile tests is an
independent packet crafter (scapy, from Debian) that can disagree with it.

scapy has no PPTP layer, so the messages are scapy Packet classes here;
each fills in its Length field unless a test sets it (to lie).  GRE on the
LAN uses scapy's own enhanced-GRE layer (GRE_PPTP).
"""
import hashlib
import hmac
import struct

from scapy.fields import (ByteField, IntField, ShortField, StrFixedLenField,
                          XIntField, XShortField)
from scapy.packet import Packet

MAGIC_COOKIE = 0x1A2B3C4D


class PPTP(Packet):
    """RFC 2637 2.1: the 12-byte header every control message starts with.
    Subclasses add the message body; length=None means 'the real length'."""
    name = "PPTP"
    ctrl_type = 0
    fields_desc = [
        ShortField("length", None),
        ShortField("pptp_type", 1),          # 1 = control message
        XIntField("magic", MAGIC_COOKIE),
        ShortField("ctrl", None),            # control message type
        ShortField("reserved0", 0),
    ]

    def post_build(self, pkt, pay):
        pkt += pay
        if self.length is None:
            pkt = struct.pack("!H", len(pkt)) + pkt[2:]
        if self.ctrl is None:
            pkt = pkt[:8] + struct.pack("!H", self.ctrl_type) + pkt[10:]
        return pkt


class SCCRQ(PPTP):
    """2.1 Start-Control-Connection-Request, 156 bytes."""
    name = "PPTP SCCRQ"
    ctrl_type = 1
    fields_desc = PPTP.fields_desc + [
        XShortField("version", 0x0100),
        ShortField("reserved1", 0),
        IntField("framing_caps", 1),
        IntField("bearer_caps", 1),
        ShortField("max_channels", 0),
        ShortField("firmware", 1),
        StrFixedLenField("hostname", b"scapy", 64),
        StrFixedLenField("vendor", b"hostile crafter", 64),
    ]


class EchoRequest(PPTP):
    """2.5 Echo-Request, 16 bytes."""
    name = "PPTP Echo-Request"
    ctrl_type = 5
    fields_desc = PPTP.fields_desc + [IntField("identifier", 1)]


class OCRQ(PPTP):
    """2.7 Outgoing-Call-Request, 168 bytes."""
    name = "PPTP OCRQ"
    ctrl_type = 7
    fields_desc = PPTP.fields_desc + [
        ShortField("call_id", 0x4242),
        ShortField("call_serial", 1),
        IntField("min_bps", 300),
        IntField("max_bps", 100000000),
        IntField("bearer_type", 3),
        IntField("framing_type", 3),
        ShortField("recv_window", 64),
        ShortField("processing_delay", 0),
        ShortField("phone_len", 0),
        ShortField("reserved1", 0),
        StrFixedLenField("phone", b"", 64),
        StrFixedLenField("subaddress", b"", 64),
    ]


class CCRQ(PPTP):
    """2.12 Call-Clear-Request, 16 bytes."""
    name = "PPTP CCRQ"
    ctrl_type = 12
    fields_desc = PPTP.fields_desc + [
        ShortField("call_id", 0),
        ShortField("reserved1", 0),
    ]


class SLI(PPTP):
    """2.15 Set-Link-Info, 24 bytes."""
    name = "PPTP SLI"
    ctrl_type = 15
    fields_desc = PPTP.fields_desc + [
        ShortField("peer_call_id", 0),
        ShortField("reserved1", 0),
        XIntField("send_accm", 0xFFFFFFFF),
        XIntField("recv_accm", 0xFFFFFFFF),
    ]


class Unknown(PPTP):
    """A control message type RFC 2637 does not define (16 bytes)."""
    name = "PPTP unknown"
    ctrl_type = 42
    fields_desc = PPTP.fields_desc + [IntField("junk", 0)]


def pptp_messages(buf):
    """Split a PPTP byte stream into (ctrl_type, bytes); returns the list
    and the bytes left over (an incomplete message)."""
    out = []
    while len(buf) >= 12:
        length = struct.unpack("!H", buf[:2])[0]
        if length < 12 or len(buf) < length:
            break
        out.append((struct.unpack("!H", buf[8:10])[0], buf[:length]))
        buf = buf[length:]
    return out, buf


# ---- the tunnel (doc/tunnel-protocol.md) --------------------------------

HELLO, CHALLENGE, AUTH, WELCOME = 0x01, 0x02, 0x03, 0x04
CTRL, GRE, KEEPALIVE, CLOSE, ERROR = 0x10, 0x11, 0x20, 0x21, 0x22
ERROR_NAMES = {1: "VERSION", 2: "TYPE", 3: "LENGTH", 4: "FLAGS", 5: "STATE",
               6: "AUTH", 7: "MAGIC", 8: "ADDRESS", 9: "TIMEOUT",
               10: "PAYLOAD", 11: "INTERNAL"}


class Frame(Packet):
    """Section 3: type, flags, payload length (None: the real one)."""
    name = "RRP frame"
    fields_desc = [
        ByteField("type", 0),
        ByteField("flags", 0),
        ShortField("length", None),
    ]

    def post_build(self, pkt, pay):
        if self.length is None:
            pkt = pkt[:2] + struct.pack("!H", len(pay))
        return pkt + pay


class Hello(Packet):
    """4.1 HELLO payload, 40 bytes."""
    name = "RRP HELLO"
    fields_desc = [
        StrFixedLenField("magic", b"PRRP", 4),
        ByteField("version_min", 1),
        ByteField("version_max", 1),
        ByteField("capabilities", 0),
        ByteField("reserved", 0),
        StrFixedLenField("client_nonce", b"\0" * 32, 32),
    ]


class Auth4(Packet):
    """4.3 AUTH payload for an IPv4 client, 40 bytes."""
    name = "RRP AUTH"
    fields_desc = [
        StrFixedLenField("mac", b"\0" * 32, 32),
        ByteField("family", 4),
        ByteField("reserved", 0),
        ShortField("port", 0),
        StrFixedLenField("address", b"\0" * 4, 4),
    ]


def auth_mac(secret, version, client_nonce, server_nonce, port, address4):
    """6.1: HMAC-SHA256 over the label, version, both nonces, the client."""
    data = (b"pptpd-rrp v1 auth" + bytes([version]) + client_nonce +
            server_nonce + bytes([4]) + struct.pack("!H", port) + address4)
    return hmac.new(secret, data, hashlib.sha256).digest()


def welcome_mac(secret, version, server_nonce, client_nonce):
    """6.2: the RRP's proof, server nonce first."""
    data = b"pptpd-rrp v1 welcome" + bytes([version]) + server_nonce + client_nonce
    return hmac.new(secret, data, hashlib.sha256).digest()


def read_secret(path):
    """Section 6: the file's bytes less one trailing newline."""
    with open(path, "rb") as f:
        data = f.read()
    if data.endswith(b"\r\n"):
        return data[:-2]
    if data.endswith(b"\n"):
        return data[:-1]
    return data


def frames(buf):
    """Split tunnel bytes into (type, payload); returns them and the rest."""
    out = []
    while len(buf) >= 4:
        ftype, _flags, length = struct.unpack("!BBH", buf[:4])
        if len(buf) < 4 + length:
            break
        out.append((ftype, buf[4:4 + length]))
        buf = buf[4 + length:]
    return out, buf
