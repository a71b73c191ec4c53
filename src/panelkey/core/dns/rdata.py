"""DNS record values: each type checked by dnspython's own parser, in Plesk's shapes.

A record is stored as Plesk keeps it: `type`, `value`, `opt`, where `opt` carries
what Plesk puts beside the value:

    A, AAAA           value: the address                     opt: ''
    CNAME, NS, PTR    value: a name (made absolute)          opt: ''
    MX                value: the exchanger                   opt: priority (default 10)
    SRV               value: the target                      opt: 'priority weight port'
    TXT               value: the text, unquoted              opt: ''
    CAA               value: the tag's value, unquoted       opt: 'flag tag' ('0 issue')
    DS, TLSA, HTTPS   value: the record data in zone-file form (opt, when given,
                      is put in front of it, so an HTTPS priority may come apart)

`normalise` turns what a client sent into that stored form (or raises InvalidValue);
`to_rdata` turns the stored form into what the DNS listener answers.
"""

from __future__ import annotations

import ipaddress
from typing import Any, cast

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
from dns.rdtypes.ANY.CAA import CAA as _CAA
from dns.rdtypes.ANY.TXT import TXT

from panelkey.core import patterns
from panelkey.core.errors import InvalidValue

CAA = cast(Any, _CAA)  # dnspython leaves its constructor untyped

TYPES = patterns.DNS_TYPES
_NAMES = ("CNAME", "NS", "PTR")
_WHOLE = ("DS", "TLSA", "HTTPS")
_TXT_MAX = 16000  # bytes of text in one record; the whole answer must fit in 64 KiB
_CHUNK = 255


def _name(text: str, what: str) -> str:
    try:
        name = dns.name.from_text(text.strip(), origin=dns.name.root)
    except (dns.exception.DNSException, ValueError):
        raise InvalidValue(f"Invalid {what}: {text!r}") from None
    return name.to_text().lower()


def _uint16(text: str, what: str) -> int:
    t = text.strip()
    if not t.isascii() or not t.isdigit() or int(t) > 65535:
        raise InvalidValue(f"Invalid {what}: {text!r}")
    return int(t)


def _parse(kind: str, text: str) -> dns.rdata.Rdata:
    try:
        return dns.rdata.from_text(
            dns.rdataclass.IN,
            dns.rdatatype.from_text(kind),
            text,
            origin=dns.name.root,
            relativize=False,
        )
    except (dns.exception.DNSException, ValueError, UnicodeError) as exc:
        raise InvalidValue(f"Invalid value for a {kind} record: {text!r} ({exc})") from None


def _txt(value: str) -> TXT:
    try:
        data = value.encode("utf-8")
    except UnicodeError:
        raise InvalidValue("Invalid text for a TXT record") from None
    if len(data) > _TXT_MAX:
        raise InvalidValue(f"A TXT record holds at most {_TXT_MAX} bytes")
    chunks = [data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK)] or [b""]
    return TXT(dns.rdataclass.IN, dns.rdatatype.TXT, chunks)


def _caa(value: str, opt: str) -> tuple[str, str]:
    """(value, opt) of a CAA record: opt 'flag tag' (or 'tag'), or all in the value."""
    if not opt:
        rdata = _parse("CAA", value)
        assert isinstance(rdata, _CAA)
        return rdata.value.decode("utf-8", "replace"), f"{rdata.flags} {rdata.tag.decode()}"
    parts = opt.split()
    if len(parts) == 1:
        parts = ["0", parts[0]]
    if len(parts) != 2 or not parts[0].isdigit() or int(parts[0]) > 255:
        raise InvalidValue(f"Invalid CAA flag and tag: {opt!r}")
    flags, tag = int(parts[0]), parts[1].lower()
    try:
        CAA(dns.rdataclass.IN, dns.rdatatype.CAA, flags, tag.encode("ascii"), value.encode())
    except (dns.exception.DNSException, ValueError, UnicodeError) as exc:
        raise InvalidValue(f"Invalid CAA record: {exc}") from None
    return value, f"{flags} {tag}"


def normalise(type_: str, value: str, opt: str) -> tuple[str, str, str]:
    """(type, value, opt) checked and in stored form; raises InvalidValue."""
    if not isinstance(type_, str) or not isinstance(value, str) or not isinstance(opt, str):
        raise InvalidValue("Invalid DNS record")
    kind = type_.strip().upper()
    if kind == "SOA":
        raise InvalidValue("The SOA record of a zone is changed with dns/set, not added")
    if kind not in TYPES:
        raise InvalidValue(f"Invalid DNS record type: {type_!r}")
    text, opt = value.strip(), opt.strip()
    if not text:
        raise InvalidValue("A DNS record needs a value")
    if kind in ("A", "AAAA"):
        try:
            address = (ipaddress.IPv4Address if kind == "A" else ipaddress.IPv6Address)(text)
        except ValueError:
            raise InvalidValue(f"Invalid IP address for a {kind} record: {value!r}") from None
        return kind, str(address), ""
    if kind in _NAMES:
        return kind, _name(text, f"name for a {kind} record"), ""
    if kind == "MX":
        return kind, _name(text, "mail exchanger"), str(_uint16(opt or "10", "MX priority"))
    if kind == "SRV":
        parts = opt.split()
        if len(parts) != 3:
            raise InvalidValue(f"An SRV record needs 'priority weight port' in opt: {opt!r}")
        numbers = [_uint16(p, "SRV priority, weight or port") for p in parts]
        return kind, _name(text, "SRV target"), " ".join(map(str, numbers))
    if kind == "TXT":
        _txt(text)
        return kind, text, ""
    if kind == "CAA":
        caa_value, caa_opt = _caa(text, opt)
        return kind, caa_value, caa_opt
    whole = f"{opt} {text}" if opt else text
    return kind, _parse(kind, whole).to_text(), ""


def to_rdata(type_: str, value: str, opt: str) -> dns.rdata.Rdata:
    """The answerable form of a stored record (as `normalise` left it)."""
    if type_ == "TXT":
        return _txt(value)
    if type_ == "CAA":
        flags, tag = opt.split()
        made: dns.rdata.Rdata = CAA(
            dns.rdataclass.IN, dns.rdatatype.CAA, int(flags), tag.encode(), value.encode()
        )
        return made
    if type_ in ("MX", "SRV"):
        return _parse(type_, f"{opt} {value}")
    return _parse(type_, value)


def srv_opt(protocol: str, port: str, priority: str, weight: str) -> str:
    """The stored opt of Plesk's ``<Srv Protocol= Port= Priority= Weight=/>`` form."""
    del protocol  # the protocol goes into the host (_service._protocol)
    return f"{priority or '0'} {weight or '0'} {port}"
