"""Allow lists: IPv4/IPv6 addresses and CIDR networks in canonical form."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from panelkey.core.errors import InvalidValue

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def canonical_item(item: str) -> str:
    """One address or network in canonical form; raises InvalidValue when it is neither.

    A bare address stays an address (`10.0.0.1`); a network keeps its prefix with host
    bits refused (`10.0.0.0/8`, not `10.0.0.1/8`), as a user writing a range means it.
    """
    text = item.strip()
    if not text:
        raise InvalidValue("An empty IP address is not valid")
    try:
        if "/" in text:
            net = ipaddress.ip_network(text, strict=True)
            if net.num_addresses == 1:
                return str(net.network_address)
            return str(net)
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InvalidValue(f"Invalid IP address or network: {text!r}") from None


def parse_allow_list(value: str | Iterable[str] | None) -> list[str]:
    """A comma-separated string or a list, checked whole: one bad item rejects it all.

    Spaces around items are ignored, duplicates collapse (first one wins the order).
    """
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    if isinstance(value, str) and not value.strip():
        return []
    result: list[str] = []
    for raw in items:
        if not isinstance(raw, str):
            raise InvalidValue(f"Invalid IP address or network: {raw!r}")
        canon = canonical_item(raw)
        if canon not in result:
            result.append(canon)
    return result


@dataclass(frozen=True, slots=True)
class AllowList:
    """A compiled allow list; exact addresses are matched by string first for speed."""

    exact: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def compile(cls, items: Sequence[str]) -> AllowList:
        exact: set[str] = set()
        networks: list[Network] = []
        for item in items:
            if "/" in item:
                networks.append(ipaddress.ip_network(item))
            else:
                exact.add(item)
        return cls(frozenset(exact), tuple(networks))

    @property
    def anyone(self) -> bool:
        return not self.exact and not self.networks

    def allows(self, address: str) -> bool:
        if address in self.exact or (not self.exact and not self.networks):
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if str(ip) in self.exact:
            return True
        return any(ip.version == net.version and ip in net for net in self.networks)
