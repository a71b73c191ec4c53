"""The DNS listener: authoritative answers, over UDP and TCP, for every enabled zone.

Each query reads the store afresh (`DnsZones.lookup`: one indexed read of the zone
and its records), so a record written by any process, through any face, is answered
on the next query; nothing is cached to go stale. Names outside every enabled zone
answer REFUSED (so do slave zones and, with remote DNS on, every zone: `DnsZones.lookup`
with core/dns/answering.py); inside a zone, a name with no records (and none below it) answers
NXDOMAIN, a name without the asked type NODATA, both with the zone's SOA in the
authority section. Answers carry the AA flag. Zone transfers are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import struct
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from panelkey.core.dns.rdata import to_rdata
from panelkey.core.dns.records import Record
from panelkey.core.dns.zones import DnsZones, Zone

log = logging.getLogger("panelkey.dns")
_T = dns.rdatatype


def bound_socket(host: str, port: int, kind: int = socket.SOCK_STREAM) -> socket.socket:
    """A socket bound to `host` (IPv6 when it has a colon) and `port`, a TCP one with
    address reuse; raises OSError, the socket closed, when the bind fails."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, kind)
    try:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def bind_sockets(host: str, port: int) -> tuple[socket.socket, socket.socket]:
    """A UDP and a TCP socket on the same port (a free one when `port` is 0)."""
    for _ in range(50):
        udp = bound_socket(host, port, socket.SOCK_DGRAM)
        chosen = udp.getsockname()[1]
        try:
            tcp = bound_socket(host, chosen)
        except OSError as exc:
            udp.close()
            if port == 0 and exc.errno == errno.EADDRINUSE:
                continue  # the UDP port was free, the TCP one not: draw again
            raise
        tcp.listen(128)
        for s in (udp, tcp):
            s.set_inheritable(True)
            s.setblocking(False)
        return udp, tcp
    raise OSError(errno.EADDRINUSE, "no port free for both UDP and TCP")


def _soa(zone: Zone, records: list[Record]) -> dns.rrset.RRset:
    apex = zone.name + "."
    ns = next((r.value for r in records if r.type == "NS" and r.host == apex), f"ns.{apex}")
    text = (
        f"{ns} hostmaster.{apex} {zone.serial} {zone.soa.refresh} {zone.soa.retry} "
        f"{zone.soa.expire} {zone.soa.minimum}"
    )
    return dns.rrset.from_text(apex, zone.soa.ttl, "IN", "SOA", text)


def _rrsets(owner: dns.name.Name, records: list[Record]) -> list[dns.rrset.RRset]:
    by_type: dict[str, list[Record]] = {}
    for r in records:
        by_type.setdefault(r.type, []).append(r)
    out = []
    for kind, group in by_type.items():
        rdatas = [to_rdata(r.type, r.value, r.opt) for r in group]
        out.append(dns.rrset.from_rdata_list(owner, min(r.ttl for r in group), rdatas))
        assert out[-1].rdtype == _T.from_text(kind)
    return out


def resolve(zones: DnsZones, query: dns.message.Message) -> dns.message.Message:
    """The answer to one query (never raises for a well-formed query)."""
    response = dns.message.make_response(query)
    response.flags &= ~dns.flags.RA
    if query.opcode() != dns.opcode.QUERY:
        response.set_rcode(dns.rcode.NOTIMP)
        return response
    if len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
        return response
    question = query.question[0]
    qname, qtype = question.name, question.rdtype
    if question.rdclass != dns.rdataclass.IN or qtype in (_T.AXFR, _T.IXFR):
        response.set_rcode(dns.rcode.REFUSED)
        return response
    try:
        found = zones.lookup(qname.to_text())
        if found is None:
            response.set_rcode(dns.rcode.REFUSED)
            return response
        zone, records = found
        _fill(response, zone, records, qname, qtype)
    except Exception:  # noqa: BLE001 - a store failure answers SERVFAIL, the listener lives on
        log.exception("DNS query for %s failed", qname)
        response = dns.message.make_response(query)
        response.set_rcode(dns.rcode.SERVFAIL)
    return response


def _fill(
    response: dns.message.Message,
    zone: Zone,
    records: list[Record],
    qname: dns.name.Name,
    qtype: int,
) -> None:
    response.flags |= dns.flags.AA
    apex, name = zone.name + ".", qname.to_text().lower()
    soa = _soa(zone, records)
    at = [r for r in records if r.host == name]
    exists = bool(at) or name == apex or any(r.host.endswith("." + name) for r in records)
    if not exists and name != apex:
        # A wildcard stands in for a name that does not exist at all.
        parent = name.split(".", 1)[1]
        at = [r for r in records if r.host == f"*.{parent}"]
        exists = bool(at)
    if not exists:
        response.set_rcode(dns.rcode.NXDOMAIN)
        response.authority.append(soa)
        return
    wanted = _T.to_text(_T.RdataType.make(qtype))
    if qtype == _T.ANY:
        chosen = at
    else:
        chosen = [r for r in at if r.type == wanted]
        if not chosen and qtype != _T.CNAME:
            chosen = [r for r in at if r.type == "CNAME"]
    answers = _rrsets(qname, chosen)
    if name == apex and qtype in (_T.SOA, _T.ANY):
        answers.insert(0, soa)
    if not answers:
        response.authority.append(soa)
        return
    response.answer.extend(answers)


def answer_wire(zones: DnsZones, wire: bytes, *, udp: bool) -> bytes | None:
    """The wire answer to a wire query; None for one too broken to answer."""
    try:
        query = dns.message.from_wire(wire)
    except dns.exception.DNSException:
        if len(wire) < 12:
            return None
        # A header we can read: answer FORMERR to its id.
        (qid,) = struct.unpack("!H", wire[:2])
        return struct.pack("!HHHHHH", qid, 0x8000 | dns.rcode.FORMERR, 0, 0, 0, 0)
    response = resolve(zones, query)
    limit = 65535
    if udp:
        limit = max(512, min(query.payload, 4096)) if query.edns >= 0 else 512
    try:
        return response.to_wire(max_size=limit)
    except dns.exception.TooBig:
        truncated = dns.message.make_response(query)
        truncated.flags |= dns.flags.TC | (response.flags & dns.flags.AA)
        return truncated.to_wire(max_size=limit)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, listener: DnsListener) -> None:
        self._listener = listener
        # uvloop's UDP transport is not an asyncio.DatagramTransport subclass.
        self.transport: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self._listener.spawn(self._reply(data, addr))

    async def _reply(self, data: bytes, addr: Any) -> None:
        out = await asyncio.to_thread(answer_wire, self._listener.zones, data, udp=True)
        if out is not None and self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(out, addr)


class DnsListener:
    """Serves the DNS sockets on the running event loop until `close`."""

    TCP_IDLE = 10.0

    def __init__(self, zones: DnsZones, udp: socket.socket, tcp: socket.socket) -> None:
        self.zones = zones
        self._udp_sock, self._tcp_sock = udp, tcp
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._udp, _ = await loop.create_datagram_endpoint(lambda: _Udp(self), sock=self._udp_sock)
        self._tcp = await asyncio.start_server(self._client, sock=self._tcp_sock)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await asyncio.wait_for(reader.readexactly(2), self.TCP_IDLE)
                (size,) = struct.unpack("!H", head)
                wire = await asyncio.wait_for(reader.readexactly(size), self.TCP_IDLE)
                out = await asyncio.to_thread(answer_wire, self.zones, wire, udp=False)
                if out is None:
                    break
                writer.write(struct.pack("!H", len(out)) + out)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def close(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._tcp is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._tcp.wait_closed(), 2)
