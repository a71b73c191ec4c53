"""A domain and the rules of its values: names, statuses, hosting types, addresses, the
document root; a change checked before it is written (`checked_changes`)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from panelkey.core import patterns
from panelkey.core.domains.logins import check_ftp_login
from panelkey.core.errors import InvalidValue

HOSTING_TYPES = patterns.HOSTING_TYPES
STATUSES = patterns.DOMAIN_STATUSES
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
DEFAULT_IP = "127.0.0.1"
# The `properties` kind of what a domain keeps only to answer back (its external id,
# notes, forwarding target, parent site, ...): purged with the domain.
PROPERTY_KIND = "domain"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def event_class(domain_or_base: int) -> str:
    """Plesk's event class: ``domain`` for a subscription, ``site`` for a site in one."""
    return "domain" if domain_or_base == 0 else "site"


class Domain(NamedTuple):
    """A domain as read: a named tuple, made from its row at a fraction of a frozen
    dataclass's cost (as core/accounts/accounts.py's Account)."""

    id: int
    guid: str
    name: str
    ascii_name: str
    owner_id: int
    owner_login: str
    hosting_type: str
    base_domain_id: int
    www_root: str
    status: str
    ip_address: str
    ftp_login: str
    description: str
    created: str

    @property
    def is_webspace(self) -> bool:
        return self.base_domain_id == 0

    def as_dict(self) -> dict[str, Any]:
        """What a domain's answer (REST) shows of it, in order: written out, as every
        list of domains makes one per domain (a dict display costs a fifth of a loop)."""
        return {
            "id": self.id,
            "name": self.name,
            "ascii_name": self.ascii_name,
            "hosting_type": self.hosting_type,
            "base_domain_id": self.base_domain_id,
            "www_root": self.www_root,
            "guid": self.guid,
            "created": self.created,
            "description": self.description,
        }

    def event_values(self) -> dict[str, Any]:
        """What a domain event shows of it."""
        return {k: getattr(self, k) for k in _EVENT_FIELDS}


# What a domain's events show of it.
_EVENT_FIELDS = (
    "name", "owner_id", "hosting_type", "status", "ip_address", "www_root", "description",
)  # fmt: skip


def normalise_name(name: str) -> tuple[str, str]:
    """(name in lower case, its ASCII form); raises InvalidValue for a non-DNS name."""
    if not isinstance(name, str):
        raise InvalidValue("Invalid domain name")
    text = name.strip().rstrip(".").lower()
    if len(text) > 253:  # before IDNA, whose punycode takes time quadratic in a label
        raise InvalidValue(f"Invalid domain name: {name[:253]!r}...")
    if text.isascii():
        ascii_name = text  # IDNA leaves ASCII as it is; the label checks below still run
    else:
        try:
            ascii_name = text.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            raise InvalidValue(f"Invalid domain name: {name!r}") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        raise InvalidValue(f"Invalid domain name: {name!r}")
    if labels[-1].isdigit():
        raise InvalidValue(f"Invalid domain name: {name!r}")
    return text, ascii_name


def check_ip(value: str) -> str:
    """The canonical form of an IP address, '' for none; raises InvalidValue."""
    if not value or not value.strip():
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise InvalidValue(f"Invalid IP address: {value!r}") from None


def check_www_root(value: str) -> str:
    if (
        not isinstance(value, str)
        or len(value) > 1024
        or "\x00" in value
        or ".." in value.split("/")
    ):
        raise InvalidValue(f"Invalid document root: {value!r}")
    return value


def check_choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """`value` when it is one of `allowed`; InvalidValue naming `what` otherwise."""
    if value not in allowed:
        raise InvalidValue(f"Invalid {what}: {value!r}")
    return str(value)


def default_www_root(ascii_name: str) -> str:
    """Where a domain with physical hosting serves from unless told."""
    return f"/var/www/vhosts/{ascii_name}/httpdocs"


def checked_changes(domain: Domain, values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns an update writes, each value checked (Domains.update takes them);
    raises InvalidValue. A domain given physical hosting gets its default document
    root."""
    row: dict[str, Any] = {}
    if values.get("guid") is not None:
        guid = str(values["guid"]).strip().lower()
        if not _GUID.match(guid):
            raise InvalidValue(f"Invalid GUID: {values['guid']!r}")
        row["guid"] = guid
    if values.get("ip_address"):
        row["ip_address"] = check_ip(values["ip_address"])
    if values.get("ftp_login") is not None:
        row["ftp_login"] = check_ftp_login(values["ftp_login"], empty=True)
    if values.get("www_root") is not None:
        row["www_root"] = check_www_root(values["www_root"])
    if values.get("status") is not None:
        row["status"] = check_choice(values["status"], STATUSES, "status")
    if values.get("description") is not None:
        if not isinstance(values["description"], str):
            raise InvalidValue("Invalid description")
        row["description"] = values["description"]
    if values.get("hosting_type") is not None:
        row["hosting_type"] = check_choice(values["hosting_type"], HOSTING_TYPES, "hosting type")
        if row["hosting_type"] == "virtual" and not domain.www_root and "www_root" not in row:
            row["www_root"] = default_www_root(domain.ascii_name)
    if values.get("name") is not None:
        row["name"], row["ascii_name"] = normalise_name(values["name"])
    return row
