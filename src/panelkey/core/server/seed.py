"""Seed data: accounts, plans, subscriptions with DNS records, and keys, loaded at once.

A seed is a mapping (parsed from YAML or JSON by the caller) with the lists
`accounts`, `plans`, `subscriptions`, `keys` and `faults` (rules of
core/testing/faults.py), each optional. Its shape is checked
whole before anything is written, and then every entry is written through the same
core calls the faces use, inside one transaction: a seed loads entirely or not at all.
Every error names the entry (`subscriptions[1] (example.com): ...`). docs/testing.md
documents the format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from panelkey.core.errors import InvalidValue, PanelkeyError
from panelkey.core.identity import Identity
from panelkey.core.plans.subscriptions import Checked

if TYPE_CHECKING:
    from panelkey.core.panel import Panel

_STR = "text"
_KINDS = {
    "list": "list",
    "map": "mapping",
    "int": "whole number",
    "num": "number",
    "bool": "true or false",
    "key": "key id or key value",
}


def _spec(names: str) -> dict[str, tuple[str, bool]]:
    """field -> (expected type, required) of `names`, each named once: `name*` is
    required, `name:int` (list, map, int, num, bool, key) is not a text."""
    fields: dict[str, tuple[str, bool]] = {}
    for word in names.split():
        name, _, kind = word.partition(":")
        fields[name.removesuffix("*")] = (_KINDS[kind] if kind else _STR, name.endswith("*"))
    return fields


# entry kind -> field -> (expected type, required)
FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "accounts": _spec(
        "type* login* password* name company email phone locale description external_id owner"
        " status:int"
    ),
    "plans": _spec("name* owner kind limits:map permissions:map hosting:map preferences:map"),
    "subscriptions": _spec("name* owner plan ip status description dns:list"),
    "keys": _spec("value login ips:list description expires scope:list rate"),
    "faults": _spec(
        "operation* errcode:int errtext http_status:int delay:num drop:bool times:int"
        " ratio:num key:key login"
    ),
}
DNS_FIELDS = _spec("type* host value* opt ttl:int")


class SeedError(InvalidValue):
    """A seed entry that cannot be loaded; the message names the entry."""


@dataclass
class Loaded:
    """How many objects of each kind a seed made."""

    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.counts.items()) or "nothing"


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# expected type (as errors name it) -> its check
_CHECKS: dict[str, Callable[[Any], bool]] = {
    _STR: lambda v: isinstance(v, str),
    _KINDS["list"]: lambda v: isinstance(v, list),
    _KINDS["map"]: lambda v: isinstance(v, Mapping),
    _KINDS["int"]: _whole,
    _KINDS["num"]: lambda v: _whole(v) or isinstance(v, float),
    _KINDS["bool"]: lambda v: isinstance(v, bool),
    _KINDS["key"]: lambda v: isinstance(v, str) or _whole(v),
}


def _type_ok(value: Any, expected: str) -> bool:
    return _CHECKS[expected](value)


def _label(kind: str, index: int, entry: Any) -> str:
    if isinstance(entry, Mapping):
        for name in ("login", "name", "description", "operation"):
            if isinstance(entry.get(name), str) and entry[name]:
                return f"{kind}[{index}] ({entry[name]})"
    return f"{kind}[{index}]"


def _check_fields(where: str, entry: Any, fields: Mapping[str, tuple[str, bool]]) -> None:
    if not isinstance(entry, Mapping):
        raise SeedError(f"{where}: expected a mapping of fields")
    for name in entry:
        if name not in fields:
            known = ", ".join(fields)
            raise SeedError(f"{where}: unknown field {name!r} (known: {known})")
    for name, (expected, required) in fields.items():
        if name not in entry:
            if required:
                raise SeedError(f"{where}: field {name!r} is required")
            continue
        if not _type_ok(entry[name], expected):
            raise SeedError(f"{where}: field {name!r} must be {expected}")


def check(data: Any) -> None:
    """Raise SeedError naming the first entry whose shape is wrong; write nothing."""
    if not isinstance(data, Mapping):
        raise SeedError("a seed is a mapping with accounts, plans, subscriptions and keys")
    for kind in data:
        if kind not in FIELDS:
            raise SeedError(f"unknown section {kind!r} (known: {', '.join(FIELDS)})")
        if not isinstance(data[kind], list):
            raise SeedError(f"{kind}: expected a list of entries")
        for index, entry in enumerate(data[kind]):
            where = _label(kind, index, entry)
            _check_fields(where, entry, FIELDS[kind])
            for n, record in enumerate(entry.get("dns", []) if kind == "subscriptions" else []):
                _check_fields(f"{where} dns[{n}]", record, DNS_FIELDS)
            for n, ip in enumerate(entry.get("ips", []) if kind == "keys" else []):
                if not isinstance(ip, str):
                    raise SeedError(f"{where} ips[{n}]: must be text")


def load(panel: Panel, data: Any) -> Loaded:
    """Check the seed, then write all of it in one transaction. Raises SeedError naming
    the entry at fault; then nothing was written."""
    check(data)
    admin_account = panel.accounts.admin()
    if admin_account is None:
        raise SeedError("the store has no admin yet: start panelkey once first")
    admin = admin_account.identity()
    loaded = Loaded()
    steps: list[tuple[str, Callable[[Panel, Identity, Mapping[str, Any]], None]]] = [
        ("accounts", _account),
        ("plans", _plan),
        ("subscriptions", _subscription),
        ("keys", _key),
        ("faults", _fault),
    ]
    with panel.db.atomic():
        for kind, write in steps:
            for index, entry in enumerate(data.get(kind, [])):
                try:
                    write(panel, admin, entry)
                except PanelkeyError as exc:
                    why = str(exc).rstrip(".")
                    raise SeedError(f"{_label(kind, index, entry)}: {why}") from None
            if data.get(kind):
                loaded.counts[kind] = len(data[kind])
    panel.auth.written()
    return loaded


def _owner(panel: Panel, login: str | None) -> Any:
    if login is None:
        return None
    account = panel.accounts.by_login(login)
    if account is None:
        raise InvalidValue(f"owner {login!r} does not exist")
    return account


def _account(panel: Panel, admin: Identity, e: Mapping[str, Any]) -> None:
    extra = {k: e[k] for k in FIELDS["accounts"] if k in e and k not in _ACCOUNT_OWN}
    panel.accounts.create(
        admin,
        type=e["type"],
        login=e["login"],
        password=e["password"],
        owner=_owner(panel, e.get("owner")),
        status=e.get("status", 0),
        **extra,
    )


_ACCOUNT_OWN = ("type", "login", "password", "owner", "status")


# A plan's settings blocks, by the names `service-plan/add` gives them.
PLAN_BLOCKS = ("limits", "permissions", "hosting", "preferences")


def _setting(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plan(panel: Panel, admin: Identity, e: Mapping[str, Any]) -> None:
    settings = {
        block: [(str(name), _setting(value)) for name, value in e[block].items()]
        for block in PLAN_BLOCKS
        if block in e
    }
    panel.plans.create(
        admin,
        e.get("kind", "service"),
        name=e["name"],
        owner=_owner(panel, e.get("owner")),
        settings=settings,
    )


def _subscription(panel: Panel, admin: Identity, e: Mapping[str, Any]) -> None:
    owner = _owner(panel, e.get("owner"))
    plan = None
    if e.get("plan") is not None:
        vendor = owner or panel.accounts.get(admin.account_id)
        assert vendor is not None
        plan = panel.subscriptions.find_plan(vendor, "service", "name", e["plan"])
    domain = panel.domains.create(
        admin,
        name=e["name"],
        owner=owner,
        status=e.get("status", "active"),
        ip_address=e.get("ip", ""),
        description=e.get("description", ""),
        within=panel.subscriptions.writer(Checked(), main=plan, actor=admin),
    )
    for record in e.get("dns", []):
        panel.dns.add(
            admin,
            domain,
            type=record["type"],
            host=record.get("host", ""),
            value=record["value"],
            opt=record.get("opt", ""),
            ttl=record.get("ttl"),
        )


def _key(panel: Panel, admin: Identity, e: Mapping[str, Any]) -> None:
    panel.keys.create(
        admin,
        addresses=e.get("ips", []),
        description=e.get("description", ""),
        login=e.get("login"),
        face="seed",
        value=e.get("value"),
        expires=e.get("expires"),
        scope=e.get("scope"),
        rate=e.get("rate"),
    )


def _fault(panel: Panel, admin: Identity, e: Mapping[str, Any]) -> None:
    key = e.get("key")
    if isinstance(key, str):  # a key's value, such as one this seed made: its id
        found = panel.keys.lookup(key)
        if found is None:
            raise InvalidValue("key: no key has this value")
        key = found.id
    panel.faults.add(
        e["operation"],
        errcode=e.get("errcode"),
        errtext=e.get("errtext", ""),
        http_status=e.get("http_status"),
        delay=float(e.get("delay", 0)),
        drop=e.get("drop", False),
        times=e.get("times"),
        ratio=float(e.get("ratio", 1)),
        key_id=key,
        login=e.get("login"),
    )


# Server configuration that a reset keeps: it is the server's, not the test's data; and
# the catalogue of snapshots, which a test restores after a reset. Every other table (the
# ones added later too, the fault rules among them) is emptied.
KEEP_TABLES = frozenset({"meta", "changes", "snapshots"})


def reset(panel: Panel, admin_email: str | None = None) -> None:
    """Back to the first start: every account but the admin (whose password stays and
    whose profile is the first start's again), with everything they own, every key, the
    audit and the events; then what a first start makes (stock.first_start: the host's
    addresses, the stock plans, their events). Server configuration (KEEP_TABLES) stays.
    One transaction; caches dropped everywhere."""
    from panelkey.core.server import stock
    from panelkey.store import tables

    with panel.db.atomic() as conn:
        for table in reversed(tables.metadata.sorted_tables):
            if table.name in KEEP_TABLES:
                continue
            if table is tables.accounts:
                conn.execute(table.update().values(owner_id=None).where(table.c.type != "admin"))
                conn.execute(table.delete().where(table.c.type != "admin"))
            else:
                conn.execute(table.delete())
        _restart_ids(conn, [t for t in tables.metadata.sorted_tables if t.name not in KEEP_TABLES])
        # the host's addresses are a first start's too: seed them again
        conn.execute(tables.meta.delete().where(tables.meta.c.name == "ips_seeded"))
        panel.ips.seed()
        stock.first_start(panel, admin_email, conn)
        panel.db.record_change(conn, "reset")
    panel.auth.written()


def _restart_ids(conn: Any, emptied: list[Any]) -> None:
    """New rows of the emptied tables get the ids a fresh store's get (after the kept
    admin's): SQLite's AUTOINCREMENT counters and PostgreSQL's sequences start again."""
    import sqlalchemy as sa

    dialect = conn.dialect.name
    for table in emptied:
        column = table.c.get("id")
        if column is None or not column.primary_key or not isinstance(column.type, sa.Integer):
            continue
        top = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(column), 0))).scalar())
        if dialect == "sqlite":
            # no row when the table never had AUTOINCREMENT ids: nothing to restart
            conn.execute(
                sa.text("UPDATE sqlite_sequence SET seq = :top WHERE name = :name"),
                {"top": top, "name": table.name},
            )
        elif dialect == "postgresql":
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:name, 'id')"), {"name": table.name}
            ).scalar()
            if sequence is not None:
                conn.execute(
                    sa.text("SELECT setval(CAST(:seq AS regclass), :value, :called)"),
                    {"seq": sequence, "value": max(top, 1), "called": top > 0},
                )
