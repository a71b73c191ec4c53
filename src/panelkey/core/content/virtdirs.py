"""Virtual directories of a site or of one of its subdomains (Plesk's `virtdir`).

Plesk maps a path of a site (`/docs/v1`) to a folder of its files and gives it web
server settings (access, logging, an application, default documents, request limits:
`PROPERTIES`). Only the admin manages them, as in Plesk; any other caller is refused
(PermissionDenied). panelkey runs no web server: the settings are kept and answered.

Properties are Plesk's element names. Values come from a face as text (a boolean is
`true`/`false`, `1`/`0`...), a list of texts (`ip-allow`, `ip-deny`, `mime-type`) or, for
`application` and `default-doc`, a mapping with `state` (`enabled`/`disabled`) and its
own settings; they are kept canonical (booleans `true`/`false`, numbers as digits).
Writes are `virtdir_*` events; directories go with their site (`purge`, run by
`Domains.delete`) and with their subdomain (the store's ON DELETE CASCADE).
"""

from __future__ import annotations

import builtins
import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.content.subdomains import NOT_FOUND as SUBDOMAIN_NOT_FOUND
from panelkey.core.content.subdomains import Subdomain, Subdomains
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.core.rows import insert
from panelkey.store import tables
from panelkey.store.database import Database

EVENT = "virtdir"
NOT_FOUND = "Virtual directory does not exist"
SITE_NOT_FOUND = "Site does not exist"
_V = tables.virtdirs
# Plesk's VDirPath: letters, digits, `_`, `-`, separated by `/`.
_NAME = re.compile(r"^[/0-9A-Za-z_-]{1,255}$")
_TEXT_MAX = 1024
_LIST_MAX = 100

BOOLEANS: dict[str, str | None] = {
    "access-source": "false",
    "access-read": "true",
    "access-write": "false",
    "dir-browsing": "false",
    "log-visits": "true",
    "access-anonymous": "true",
    "access-windows": "false",
    "require-ssl": "false",
    "asp-enabled-server-debug": None,
    "asp-enabled-client-debug": None,
    "is-deny-by-concurrent-requests": None,
    "is-deny-by-request-rate": None,
}
NUMBERS = (
    "asp-buffering-limit",
    "asp-max-request-entity-allowed",
    "max-concurrent-requests",
    "max-requests",
    "request-interval",
)
LISTS = ("ip-allow", "ip-deny", "mime-type")
EXECUTE = ("none", "script", "script_execute")
# Every property in Plesk's VDirProperties order (answers follow it).
PROPERTIES = (
    "real-path",
    "access-source",
    "access-read",
    "access-write",
    "dir-browsing",
    "log-visits",
    "application",
    "execute-perm",
    "default-doc",
    "access-anonymous",
    "access-windows",
    "require-ssl",
    "asp-buffering-limit",
    "asp-max-request-entity-allowed",
    "asp-enabled-server-debug",
    "asp-enabled-client-debug",
    "ip-allow",
    "ip-deny",
    "mime-type",
    "is-deny-by-concurrent-requests",
    "max-concurrent-requests",
    "is-deny-by-request-rate",
    "max-requests",
    "request-interval",
)
_TRUE, _FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no"}


@dataclass(frozen=True, slots=True)
class VirtDir:
    id: int
    domain_id: int
    subdomain_id: int | None
    name: str
    properties: dict[str, Any]
    created: str

    def settings(self) -> dict[str, Any]:
        """Every property with a value, defaults filled in, in Plesk's order."""
        merged = {**defaults(self.name), **self.properties}
        return {name: merged[name] for name in PROPERTIES if name in merged}


def defaults(name: str) -> dict[str, Any]:
    """What a directory created without a property has (Plesk's documented defaults;
    the real path is the directory's own name)."""
    out: dict[str, Any] = {n: v for n, v in BOOLEANS.items() if v is not None}
    out["real-path"] = name
    out["execute-perm"] = "script"
    out["application"] = {"state": "disabled"}
    out["default-doc"] = {"state": "enabled", "search": []}
    return out


def check_name(name: Any) -> str:
    """`docs//v1/` -> `/docs/v1`. The root alone (the site itself) and anything outside
    Plesk's VDirPath are InvalidValue (1019)."""
    text = name.strip() if isinstance(name, str) else ""
    if not _NAME.match(text):
        raise InvalidValue(f"Invalid virtual directory name: {name!r}")
    parts = [p for p in text.split("/") if p]
    if not parts:
        raise InvalidValue("Invalid virtual directory name: the site's root is not one")
    return "/" + "/".join(parts)


def _flag(name: str, value: Any) -> str:
    text = str(value).strip().lower()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    raise InvalidValue(f"Invalid value for '{name}' specified")


def _number(name: str, value: Any) -> str:
    text = str(value).strip()
    if not text.isdigit() or len(text) > 10 or int(text) > 2**31 - 1:
        raise InvalidValue(f"Invalid value for '{name}' specified")
    return str(int(text))


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > _TEXT_MAX or "\x00" in value:
        raise InvalidValue(f"Invalid value for '{name}' specified")
    return value.strip()


def _real_path(value: Any) -> str:
    text = _text("real-path", value)
    if "\\" in text or ".." in text.split("/"):
        raise InvalidValue("Invalid value for 'real-path' specified")
    return text or "/"


def _list(name: str, value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    if len(items) > _LIST_MAX:
        raise InvalidValue(f"Too many values for '{name}'")
    out = [_text(name, v) for v in items]
    if name in ("ip-allow", "ip-deny"):
        for item in out:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise InvalidValue(f"Invalid value for '{name}' specified: {item!r}") from None
    return out


def _choice(name: str, value: Any) -> dict[str, Any]:
    """`application` or `default-doc`: disabled, or enabled with its own settings."""
    if not isinstance(value, Mapping) or value.get("state") not in ("enabled", "disabled"):
        raise InvalidValue(f"Invalid value for '{name}' specified")
    if value["state"] == "disabled":
        return {"state": "disabled"}
    if name == "default-doc":
        return {"state": "enabled", "search": _list("search", value.get("search", []))}
    out: dict[str, Any] = {"state": "enabled"}
    for flag in ("parent-paths", "run-in-mta"):
        if value.get(flag) is not None:
            out[flag] = _flag(flag, value[flag])
    if value.get("aspnet-version") is not None:
        out["aspnet-version"] = _text("aspnet-version", value["aspnet-version"])
    return out


def check_properties(values: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical values of the properties given (None values are left out). Raises
    InvalidValue (1019) naming the first bad one."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name in BOOLEANS:
            out[name] = _flag(name, value)
        elif name in NUMBERS:
            out[name] = _number(name, value)
        elif name in LISTS:
            out[name] = _list(name, value)
        elif name in ("application", "default-doc"):
            out[name] = _choice(name, value)
        elif name == "execute-perm":
            if str(value).strip() not in EXECUTE:
                raise InvalidValue("Invalid value for 'execute-perm' specified")
            out[name] = str(value).strip()
        elif name == "real-path":
            out[name] = _real_path(value)
        else:
            raise InvalidValue(f"Unknown virtual directory property: {name!r}")
    return out


@dataclass(frozen=True, slots=True)
class Place:
    """Where directories live: a site, or a subdomain of it."""

    site: Domain
    subdomain: Subdomain | None = None

    @property
    def label(self) -> str:
        return self.subdomain.ascii_name if self.subdomain is not None else self.site.name


class VirtDirs:
    def __init__(self, db: Database, domains: Domains, subdomains: Subdomains) -> None:
        self._db = db
        self._domains = domains
        self._subdomains = subdomains
        domains.on_delete(self.purge)

    @staticmethod
    def _row(row: Any) -> VirtDir:
        m = dict(row._mapping)
        m["properties"] = json.loads(m["properties"] or "{}")
        return VirtDir(**m)

    def place(
        self, actor: Identity, *, site_id: int | None = None, subdomain_id: int | None = None
    ) -> Place:
        """The site or subdomain a request names. Raises PermissionDenied (only the admin
        manages virtual directories) and NotFound (`Site does not exist`, `Subdomain
        does not exist`)."""
        require_admin(actor)
        if subdomain_id is not None:
            sub = self._subdomains.get(actor, subdomain_id)
            site = None if sub is None else self._domains.get(actor, sub.domain_id)
            if sub is None or site is None:
                raise NotFound(SUBDOMAIN_NOT_FOUND)
            return Place(site, sub)
        found = self._domains.get(actor, site_id or 0)
        if found is None:
            raise NotFound(SITE_NOT_FOUND)
        return Place(found)

    def _where(self, place: Place, name: str) -> Any:
        sub = place.subdomain
        return sa.and_(
            _V.c.domain_id == place.site.id,
            _V.c.subdomain_id.is_(None) if sub is None else _V.c.subdomain_id == sub.id,
            _V.c.name == name,
        )

    def list(self, actor: Identity, place: Place) -> builtins.list[VirtDir]:
        """The directories of a site (not its subdomains') or of a subdomain, by name."""
        require_admin(actor)
        sub = place.subdomain
        q = sa.select(_V).where(
            _V.c.domain_id == place.site.id,
            _V.c.subdomain_id.is_(None) if sub is None else _V.c.subdomain_id == sub.id,
        )
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q.order_by(_V.c.name))]

    def get(self, actor: Identity, place: Place, name: str) -> VirtDir:
        """Raises PermissionDenied, InvalidValue (the name), NotFound."""
        require_admin(actor)
        path = check_name(name)
        with self._db.read() as conn:
            row = conn.execute(sa.select(_V).where(self._where(place, path))).first()
        if row is None:
            raise NotFound(NOT_FOUND)
        return self._row(row)

    def create(
        self, actor: Identity, place: Place, name: str, properties: Mapping[str, Any]
    ) -> VirtDir:
        """Raises PermissionDenied, InvalidValue, AlreadyExists (1007)."""
        require_admin(actor)
        path = check_name(name)
        values = check_properties(properties)
        with self._db.begin() as conn:
            if conn.execute(sa.select(_V.c.id).where(self._where(place, path))).first():
                raise AlreadyExists(f"Virtual directory {path} already exists on {place.label}")
            new_id = insert(
                conn,
                _V,
                domain_id=place.site.id,
                subdomain_id=None if place.subdomain is None else place.subdomain.id,
                name=path,
                properties=json.dumps(values, sort_keys=True),
            )
            made = self._row(conn.execute(sa.select(_V).where(_V.c.id == new_id)).one())
            events.record(
                conn,
                EVENT,
                events.CREATE,
                made.id,
                f"{place.label}{path}",
                actor,
                new=_flat(values),
            )
        return made

    def update(
        self, actor: Identity, place: Place, name: str, properties: Mapping[str, Any]
    ) -> VirtDir:
        """Change the properties given; the others keep their values. Raises
        PermissionDenied, InvalidValue, NotFound."""
        current = self.get(actor, place, name)
        values = check_properties(properties)
        merged = {**current.properties, **values}
        with self._db.begin() as conn:
            q = _V.update().where(_V.c.id == current.id)
            if not conn.execute(q.values(properties=json.dumps(merged, sort_keys=True))).rowcount:
                raise NotFound(NOT_FOUND)
            old, new = _flat(current.settings()), _flat({**current.settings(), **values})
            events.record(
                conn,
                EVENT,
                events.UPDATE,
                current.id,
                f"{place.label}{current.name}",
                actor,
                old={k: v for k, v in old.items() if new.get(k) != v},
                new={k: v for k, v in new.items() if old.get(k) != v},
            )
        return VirtDir(**{**_fields(current), "properties": merged})

    def delete(self, actor: Identity, place: Place, name: str) -> VirtDir:
        """Raises PermissionDenied, InvalidValue, NotFound."""
        current = self.get(actor, place, name)
        with self._db.begin() as conn:
            if not conn.execute(_V.delete().where(_V.c.id == current.id)).rowcount:
                raise NotFound(NOT_FOUND)
            events.record(
                conn, EVENT, events.DELETE, current.id, f"{place.label}{current.name}", actor
            )
        return current

    @staticmethod
    def purge(conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Delete the directories of these sites (and their subdomains'), in their
        transaction."""
        gone = conn.execute(
            sa.select(_V.c.id, _V.c.name).where(_V.c.domain_id.in_(domain_ids))
        ).all()
        conn.execute(_V.delete().where(_V.c.domain_id.in_(domain_ids)))
        for vdir_id, name in gone:
            events.record(conn, EVENT, events.DELETE, vdir_id, name)


def _fields(v: VirtDir) -> dict[str, Any]:
    return {f: getattr(v, f) for f in VirtDir.__dataclass_fields__}


def _flat(values: Mapping[str, Any]) -> dict[str, str]:
    """Values for an event: nested settings as dotted names, lists joined."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            for inner, v in value.items():
                out[f"{name}.{inner}"] = " ".join(v) if isinstance(v, list) else str(v)
        elif isinstance(value, list):
            out[name] = " ".join(value)
        else:
            out[name] = str(value)
    return out
