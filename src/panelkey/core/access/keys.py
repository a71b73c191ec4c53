"""Secret keys: made once, shown once, stored as a SHA-256 digest, bound to addresses."""

from __future__ import annotations

import builtins
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import sqlalchemy as sa

from panelkey.core.access.addresses import parse_allow_list
from panelkey.core.access.audit import KEY_CREATED, KEY_DELETED, KEY_ROTATED, Audit
from panelkey.core.access.keypolicy import Rate, Scope, duration_seconds, parse_expires
from panelkey.core.accounts.accounts import Accounts
from panelkey.core.clock import iso
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PermissionDenied,
)
from panelkey.core.identity import Identity
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

_NO_RATE = Rate(0, 1)
KEY_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_key_value() -> str:
    """128 random bits as 36 lower-case hex characters in the 8-4-4-4-12 layout."""
    h = secrets.token_hex(16)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def digest(value: str) -> str:
    """What the store keeps instead of the value; presented values are trimmed and lowered."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """A key as listings show it: never its value."""

    id: int
    ips: list[str]
    description: str
    login: str
    owner_id: int
    created: str
    last_used: str | None
    last_used_ip: str | None
    expires: str | None = None
    scope: list[str] = field(default_factory=list)
    rate: str = ""
    requests: int = 0
    refusals: int = 0

    @property
    def plain(self) -> bool:
        """Made the Plesk way: no expiry, scope or rate (listed exactly as Plesk lists)."""
        return not (self.expires or self.scope or self.rate)

    def as_dict(self) -> dict[str, Any]:
        """The REST and `-format json` listing. `expires` to `refusals` are panelkey's,
        given for keys that have any of panelkey's options; a plain key keeps the shape
        it always had."""
        listed: dict[str, Any] = {
            "id": self.id,
            "ips": list(self.ips),
            "description": self.description,
            "login": self.login,
            "created": self.created,
            "last_used": self.last_used,
            "last_used_ip": self.last_used_ip,
        }
        if not self.plain:
            listed.update(
                expires=self.expires,
                scope=list(self.scope),
                rate=self.rate or None,
                requests=self.requests,
                refusals=self.refusals,
            )
        return listed


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What verification needs of a key, read in one query."""

    id: int
    addresses: str
    owner: Identity
    active: bool
    expires: str | None
    scope: str
    rate: str


def split_addresses(stored: str) -> list[str]:
    return [a for a in stored.split(",") if a]


class Keys:
    def __init__(
        self, db: Database, accounts: Accounts, audit: Audit, on_change: Callable[[], None]
    ) -> None:
        self._db = db
        # The reads of one key and of all (get_info, --list): built once per process,
        # compiled once (prepared.py).
        reads = built(Keys, self._build_reads)
        self._base = reads["base"]
        self._names = tuple(self._base.selected_columns.keys())
        self._by_id = db.prepare(reads["id"])
        self._by_digest = db.prepare(reads["digest"])
        self._all = db.prepare(self._base)
        self._of_owner = db.prepare(reads["owner"])
        self._lookup = reads["lookup"]
        self._accounts = accounts
        self._audit = audit
        self._on_change = on_change

    @classmethod
    def _build_reads(cls) -> dict[str, sa.Select[Any]]:
        k, a = tables.secret_keys, tables.accounts
        v: sa.BindParameter[Any] = sa.bindparam("v")
        base = cls._build_select()
        lookup = sa.select(
            k.c.id,
            k.c.addresses,
            k.c.owner_id,
            a.c.login,
            a.c.type,
            a.c.status,
            a.c.owner_id.label("account_owner_id"),
            k.c.expires,
            k.c.scope,
            k.c.rate,
        ).select_from(k.join(a, k.c.owner_id == a.c.id))
        return {
            "base": base,
            "id": base.where(k.c.id == v),
            "digest": base.where(k.c.digest == v),
            "owner": base.where(k.c.owner_id == v),
            "lookup": lookup,
        }

    @property
    def db(self) -> Database:
        """The store the keys live in (the authenticator counts its limits there too)."""
        return self._db

    @staticmethod
    def _build_select() -> sa.Select[Any]:
        """A listing reads KeyInfo's fields by name: each the secret_keys column of that
        name, but the owner's login and `ips` (the `addresses` column)."""
        k, a = tables.secret_keys, tables.accounts
        read_as = {"login": a.c.login, "ips": k.c.addresses}
        columns = (
            (read_as[f.name] if f.name in read_as else k.c[f.name]).label(f.name)
            for f in fields(KeyInfo)
        )
        return sa.select(*columns).select_from(k.join(a, k.c.owner_id == a.c.id)).order_by(k.c.id)

    def _found(self, row: tuple[Any, ...]) -> KeyInfo:
        """`_info` of a prepared read's row (a plain tuple in `_base`'s column order)."""
        return self._info_of(dict(zip(self._names, row, strict=True)))

    @classmethod
    def _info(cls, row: Any) -> KeyInfo:
        return cls._info_of(row._asdict())

    @staticmethod
    def _info_of(values: dict[str, Any]) -> KeyInfo:
        """A listed key; its addresses and scope are stored as comma-separated text."""
        ips, scope = split_addresses(values.pop("ips")), values.pop("scope").split(",")
        return KeyInfo(ips=ips, scope=[p for p in scope if p], **values)

    def create(
        self,
        actor: Identity,
        *,
        addresses: str | Iterable[str] | None,
        description: str = "",
        login: str | None = None,
        face: str,
        source_ip: str = "",
        value: str | None = None,
        expires: str | None = None,
        scope: str | Iterable[str] | None = None,
        rate: str | None = None,
    ) -> tuple[str, KeyInfo]:
        """Make a key and return its value (the only time it exists) with its listing.

        `value` fixes the key's value instead of drawing one (seed files, so that test
        suites can hard-code a key); it must have the 8-4-4-4-12 layout. `expires`,
        `scope` and `rate` are panelkey's limits (core/access/keypolicy.py), checked here.
        Raises PermissionDenied unless the actor is the admin; InvalidValue for any bad
        address or value (nothing is created); AlreadyExists for a fixed value in use;
        OwnerNotFound for an unknown or inactive login.
        """
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        allow = parse_allow_list(addresses)
        if not isinstance(description, str):
            raise InvalidValue("Invalid description")
        policy = {
            "expires": parse_expires(expires) if expires else None,
            "scope": Scope.parse(scope).text,
            "rate": (Rate.parse(rate) or _NO_RATE).text if rate else "",
        }
        owner = self._accounts.get(actor.account_id) if login is None else None
        if login is not None:
            owner = self._accounts.by_login(login)
            if owner is None or not owner.active:
                raise OwnerNotFound(
                    f"Login {login!r} is not an existing active account"
                    if owner is None
                    else f"Account {login!r} is not active"
                )
        if owner is None:
            raise OwnerNotFound("The owner does not exist")
        if value is None:
            value = new_key_value()
        elif not isinstance(value, str) or not KEY_RE.match(value.strip().lower()):
            raise InvalidValue("A key value has the layout 8-4-4-4-12 of hex digits")
        else:
            value = value.strip().lower()
        with self._db.begin() as conn:
            taken = sa.select(tables.secret_keys.c.id).where(
                tables.secret_keys.c.digest == digest(value)
            )
            if conn.execute(taken).first() is not None:
                raise AlreadyExists("A key with this value exists already")
            key_id = conn.execute(
                tables.secret_keys.insert().values(
                    digest=digest(value),
                    owner_id=owner.id,
                    addresses=",".join(allow),
                    description=description,
                    created=iso(),
                    **policy,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            limits = " ".join(f"{k}={v}" for k, v in policy.items() if v)
            extra = f" {limits}" if limits else ""
            told = f"owner={owner.login} ips={','.join(allow) or '*'}{extra}"
            self._written(conn, KEY_CREATED, (actor, face, source_ip), int(key_id), told)
            row = conn.execute(self._base.where(tables.secret_keys.c.id == key_id)).one()
        return value, self._info(row)

    def list(self, owner_id: int | None = None) -> list[KeyInfo]:
        rows = self._all.all() if owner_id is None else self._of_owner.all(v=owner_id)
        return [self._found(r) for r in rows]

    @staticmethod
    def _named(ref: str) -> tuple[bool, Any]:
        """A string of digits is an id; anything else is a value, looked up by its digest:
        (is an id, what to look up)."""
        ref = ref.strip()
        return (True, int(ref)) if ref.isdigit() else (False, digest(ref))

    def _where(self, ref: str) -> Any:
        by_id, value = self._named(ref)
        k = tables.secret_keys
        return k.c.id == value if by_id else k.c.digest == value

    def find(self, ref: str) -> KeyInfo | None:
        """A key by id (a string of digits) or by value."""
        by_id, value = self._named(ref)
        row = (self._by_id if by_id else self._by_digest).first(v=value)
        return self._found(row) if row else None

    def delete(self, actor: Identity, ref: str, *, face: str, source_ip: str = "") -> KeyInfo:
        """Delete one key by value or id; raises NotFound. Effective on the next request."""
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        with self._db.begin() as conn:
            row = conn.execute(self._base.where(self._where(ref))).first()
            if row is None:
                raise NotFound("Secret key does not exist")
            info = self._info(row)
            self._delete_rows(conn, [info], actor, face, source_ip)
        self._on_change()
        return info

    def delete_all(
        self, actor: Identity, *, face: str, source_ip: str = ""
    ) -> builtins.list[KeyInfo]:
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        with self._db.begin() as conn:
            infos = [self._info(r) for r in conn.execute(self._base)]
            self._delete_rows(conn, infos, actor, face, source_ip)
        self._on_change()
        return infos

    def _written(
        self,
        conn: sa.Connection,
        event: str,
        by: tuple[Identity, str, str],
        key_id: int,
        detail: str,
    ) -> None:
        """A key write's audit entry (`by`: who, through which face, from where) and the
        change every process hears of, in the write's transaction."""
        actor, face, source_ip = by
        self._audit.record(
            event, face=face, actor=actor.login, source_ip=source_ip, key_id=key_id,
            detail=detail, conn=conn,
        )  # fmt: skip
        self._db.record_change(conn, "key")

    def _delete_rows(
        self,
        conn: sa.Connection,
        infos: builtins.list[KeyInfo],
        actor: Identity,
        face: str,
        ip: str,
    ) -> None:
        if not infos:
            return
        ids = [i.id for i in infos]
        conn.execute(tables.secret_keys.delete().where(tables.secret_keys.c.id.in_(ids)))
        for info in infos:  # one change noted per key: each process drops what it cached
            self._written(conn, KEY_DELETED, (actor, face, ip), info.id, f"owner={info.login}")

    def lookup(self, value: str) -> KeyRecord | None:
        """What verification needs of the key with this value, or None. One indexed
        query: this is the cold path of every key check."""
        with self._db.read() as conn:
            row = conn.execute(
                self._lookup.where(tables.secret_keys.c.digest == digest(value))
            ).first()
        if row is None:
            return None
        owner = Identity(row.owner_id, row.login, row.type, row.account_owner_id)
        return KeyRecord(
            row.id, row.addresses, owner, row.status == 0, row.expires, row.scope, row.rate
        )

    def record_usage(
        self,
        usage: dict[int, tuple[str, str]],
        counts: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        """Write last-used time and address, and add (requests, refusals) counted since
        the last call, for many keys at once. Deleted keys are skipped."""
        counts = counts or {}
        if not usage and not counts:
            return
        k = tables.secret_keys
        with self._db.begin() as conn:
            for key_id, (at, ip) in usage.items():
                conn.execute(
                    k.update().where(k.c.id == key_id).values(last_used=at, last_used_ip=ip)
                )
            for key_id, (requests, refusals) in counts.items():
                conn.execute(
                    k.update()
                    .where(k.c.id == key_id)
                    .values(requests=k.c.requests + requests, refusals=k.c.refusals + refusals)
                )

    def states(self) -> dict[str, int]:
        """How many keys are expired, plain (Plesk's kind), or limited (panelkey's
        expiry, scope or rate), for the metrics."""
        k = tables.secret_keys
        now = iso()
        with self._db.read() as conn:
            rows = conn.execute(sa.select(k.c.expires, k.c.scope, k.c.rate)).all()
        states = {"expired": 0, "plain": 0, "limited": 0}
        for expires, scope, rate in rows:
            if expires is not None and expires <= now:
                states["expired"] += 1
            elif expires or scope or rate:
                states["limited"] += 1
            else:
                states["plain"] += 1
        return states

    def rotate(
        self,
        actor: Identity,
        ref: str,
        *,
        grace: str | None = None,
        face: str,
        source_ip: str = "",
    ) -> tuple[str, KeyInfo]:
        """A new key with the old one's owner, addresses, description, expiry, scope and
        rate; returns its value (shown once) and listing. The old key is deleted at once,
        or, with a `grace` duration (`15m`), expires when the grace ends (sooner if it
        expired sooner anyway). Raises NotFound, InvalidValue, PermissionDenied."""
        if not actor.is_admin:
            raise PermissionDenied("Permission denied.")
        seconds = duration_seconds(grace) if grace else 0
        value = new_key_value()
        k = tables.secret_keys
        with self._db.begin() as conn:
            old = conn.execute(sa.select(k).where(self._where(ref))).first()
            if old is None:
                raise NotFound("Secret key does not exist")
            new_id = conn.execute(
                k.insert().values(
                    digest=digest(value),
                    owner_id=old.owner_id,
                    addresses=old.addresses,
                    description=old.description,
                    created=iso(),
                    expires=old.expires,
                    scope=old.scope,
                    rate=old.rate,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            if seconds:
                until = iso(time.time() + seconds)
                if old.expires is None or old.expires > until:
                    conn.execute(k.update().where(k.c.id == old.id).values(expires=until))
            else:
                conn.execute(k.delete().where(k.c.id == old.id))
            kept = f"valid {grace} more" if seconds else "deleted"
            told = f"from key {old.id}; old key {kept}"
            self._written(conn, KEY_ROTATED, (actor, face, source_ip), int(new_id), told)
            row = conn.execute(self._base.where(k.c.id == new_id)).one()
        self._on_change()
        return value, self._info(row)
