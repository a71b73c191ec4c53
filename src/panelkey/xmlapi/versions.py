"""The protocol versions the XML face answers to, and the operators each one had.

Every protocol version Plesk lists is served (1.0.0.0 through 1.6.9.1), each with the
shape it had: a *shape* is agent.xsd less the operators its version did not have
(OPERATOR_SPANS: ``client`` and ``domain`` until 1.6.3.0, when Plesk 10 replaced them
with ``customer``, ``webspace``, ``site`` and the plans); validation.py compiles them.

    check_version(root) ``version`` absent, supported, or a prefix of a
                        supported version                  -> ProtocolVersionUnsupported (1005)
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.errors import ProtocolVersionUnsupported

SERVER_PROTOCOL = "1.6.9.1"

# Every protocol version the server answers to, oldest first, newest last
# (server/get_protos lists them in this order).
SUPPORTED_VERSIONS: tuple[str, ...] = (
    "1.0.0.0",
    "1.1.0.0",
    "1.2.0.0",
    "1.3.0.0",
    "1.3.1.0",
    "1.3.2.0",
    "1.3.3.0",
    "1.3.4.0",
    "1.3.5.0",
    "1.4.0.0",
    "1.4.1.0",
    "1.4.1.1",
    "1.4.1.2",
    "1.4.2.0",
    "1.5.0.0",
    "1.5.1.0",
    "1.5.2.0",
    "1.5.2.1",
    "1.6.0.0",
    "1.6.0.1",
    "1.6.0.2",
    "1.6.1.0",
    "1.6.2.0",
    "1.6.3.0",
    "1.6.3.1",
    "1.6.3.2",
    "1.6.3.3",
    "1.6.3.4",
    "1.6.3.5",
    "1.6.4.0",
    "1.6.5.0",
    "1.6.6.0",
    "1.6.7.0",
    "1.6.8.0",
    "1.6.9.0",
    SERVER_PROTOCOL,
)


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# Operators a version range has: operator -> (first version with it, first without it),
# None for open ends. An operator not named here is in every version's shape. Plesk 10
# (protocol 1.6.3.0) brought customer, webspace, site and the plans in place of the
# legacy client and domain (Plesk's reference: "XML API version: 1.6.3.0 and later").
_PLESK_10 = "1.6.3.0"
OPERATOR_SPANS: dict[str, tuple[str | None, str | None]] = {
    "client": (None, _PLESK_10),
    "domain": (None, _PLESK_10),
    "customer": (_PLESK_10, None),
    "webspace": (_PLESK_10, None),
    "site": (_PLESK_10, None),
    "service-plan": (_PLESK_10, None),
    "service-plan-addon": (_PLESK_10, None),
    "reseller-plan": (_PLESK_10, None),
}


def lacks(version: str) -> frozenset[str]:
    """The operators `version` did not have: the key of its shape."""
    at = _parts(version)
    return frozenset(
        name
        for name, (since, until) in OPERATOR_SPANS.items()
        if (since is not None and at < _parts(since)) or (until is not None and at >= _parts(until))
    )


# Every supported version and each of its whole-part prefixes ("1", "1.6", "1.6.5", ...),
# with the version whose shape it is checked against: a prefix stands for the newest
# version it begins (oldest first, so the newest wins).
_RESOLVED: dict[str, str] = {
    ".".join(version.split(".")[:n]): version
    for version in SUPPORTED_VERSIONS
    for n in range(1, len(version.split(".")) + 1)
}


def check_version(packet: etree._Element) -> str:
    """Accept a packet whose ``version`` is absent, supported, or a prefix of one: the
    version it speaks (see version_of).

    A prefix is compared part by part: ``1.6`` and ``1.6.5`` are prefixes of
    ``1.6.5.0``; ``1.6.`` and ``1.60`` are not. Raises ProtocolVersionUnsupported.
    """
    requested = packet.get("version")
    if requested is None:
        return SERVER_PROTOCOL
    resolved = _RESOLVED.get(requested.strip())
    if resolved is None:
        raise ProtocolVersionUnsupported("XML API protocol version not supported.")
    return resolved


def version_of(packet: etree._Element) -> str:
    """The protocol version a checked packet speaks: the one it names, the newest one
    a prefix begins, or the server's own when it names none."""
    requested = packet.get("version")
    if requested is None:
        return SERVER_PROTOCOL
    return _RESOLVED.get(requested.strip(), SERVER_PROTOCOL)
