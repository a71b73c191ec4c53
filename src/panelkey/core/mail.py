"""Mail: the mail names of a site (``name@site``) and whether the site's mail service is on.

A mail name may have a mailbox (with a quota in bytes, -1 for unlimited), forwarding
to other addresses, aliases (other local parts of the same site) and a password,
kept only as a hash (core/access/passwords.py) and never answered. Local parts are kept in
lower case; a name and the site's aliases share one space, so an alias can never
shadow another name.

Rights are the site's: a caller reaches the mail of the sites it may see (the admin
all, a reseller its customers', a customer its own); any other site is NotFound.
Every change is a ``mailname`` event (``mail`` for the site's service) in the
write's own transaction; no password is ever put in one.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.access.passwords import hash_password
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound
from panelkey.core.identity import Identity
from panelkey.core.owned import Ids, Named, Owned, Row
from panelkey.core.text import fits
from panelkey.store import tables

MAIL_NOT_FOUND = "Mail name does not exist"
KIND = "mail_name"  # properties rows of a mail name
# The settings kept only to answer back, by Plesk's element names (mailnameAddType and
# mailnameUpdateType): the autoresponder's fields, then the mailbox's own.
AUTORESPONDER = ("enabled", "subject", "content_type", "charset", "text", "attachment", "forward")
SETTINGS = (
    *(f"autoresponder.{f}" for f in AUTORESPONDER),
    "user-guid",
    "antivir",
    "outgoing-messages-mbox-limit",
)
ATTACHMENTS = "autoresponder.attachment"  # a JSON list of file names
_ANTIVIR = ("off", "inout", "in", "out")
_CONTENT_TYPES = ("text/html", "text/plain")
_LIMIT = re.compile(r"^(default|unlimited|[0-9]{1,9})$")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_ADDRESS = re.compile(r"^[^@\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_M, _F, _A = tables.mail_names, tables.mail_forwards, tables.mail_aliases


@dataclass(frozen=True, slots=True)
class MailName(Named):
    mailbox: bool
    quota: int
    forwarding: bool
    forwards: tuple[str, ...]
    aliases: tuple[str, ...]
    has_password: bool
    description: str
    # What panelkey keeps only to answer back (an autoresponder, antivirus mode,
    # outgoing limit, user guid): `properties` rows of kind `mail_name`, by name.
    settings: dict[str, str] = field(default_factory=dict, compare=False)

    def event_values(self) -> dict[str, Any]:
        """What an event may show: never the password, only whether there is one."""
        shown = {k: getattr(self, k) for k in ("name", "mailbox", "quota", "forwarding")}
        return {**shown, "forwards": ",".join(self.forwards), "aliases": ",".join(self.aliases)}


@dataclass(slots=True)
class MailChange:
    """What a create or update gives; None leaves a value as it is. `mode` is how the
    lists apply: ``add`` (union), ``remove`` (difference) or ``set`` (replace)."""

    mailbox: bool | None = None
    quota: int | None = None
    forwarding: bool | None = None
    forwards: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    password: str | None = None
    description: str | None = None
    mode: str = "add"
    # Settings kept only to answer back: name -> value to write; `dropped` names are
    # forgotten (update/remove). Names are listed in SETTINGS.
    settings: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def local_part(name: str) -> str:
    """A local part in lower case; raises InvalidValue for one no mail server takes."""
    text = (name or "").strip().lower() if isinstance(name, str) else ""
    if not text or len(text) > 64 or not _LOCAL.match(text):
        raise InvalidValue(f"Invalid mail name: {name!r}")
    return text


def address(value: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > 320 or not _ADDRESS.match(text):
        raise InvalidValue(f"Invalid e-mail address: {value!r}")
    local, _, host = text.rpartition("@")
    return f"{local}@{host.lower()}"


def _check(change: MailChange) -> None:
    if change.quota is not None and (isinstance(change.quota, bool) or change.quota < -1):
        raise InvalidValue("Invalid mailbox quota")
    if change.password is not None and (not change.password or not fits(change.password)):
        raise InvalidValue("Invalid password")
    change.forwards = [address(a) for a in change.forwards]
    change.aliases = [local_part(a) for a in change.aliases]
    for name in [*change.settings, *change.dropped]:
        if name not in SETTINGS:
            raise InvalidValue(f"Unknown mail setting: {name!r}")
    for name, value in list(change.settings.items()):
        change.settings[name] = _setting(name, value)


def _setting(name: str, value: str) -> str:
    """One setting's value as kept; InvalidValue for one Plesk's schema refuses."""
    text = value.strip() if isinstance(value, str) else ""
    if name == "autoresponder.enabled":
        if text.lower() not in ("true", "false", "1", "0"):
            raise InvalidValue(f"Invalid autoresponder/enabled: {value!r}")
        return "true" if text.lower() in ("true", "1") else "false"
    if name == "autoresponder.content_type" and text not in _CONTENT_TYPES:
        raise InvalidValue(f"Invalid autoresponder/content_type: {value!r}")
    if name == "autoresponder.forward" and text:
        return address(text)
    if name == ATTACHMENTS:
        files = json.loads(value)
        if any(not fits(f) or not f.strip() for f in files):
            raise InvalidValue("Invalid autoresponder/attachment file name")
        return json.dumps([f.strip() for f in files])
    if name == "antivir" and text not in _ANTIVIR:
        raise InvalidValue(f"Invalid antivir: {value!r}")
    if name == "outgoing-messages-mbox-limit" and not _LIMIT.match(text):
        raise InvalidValue(f"Invalid outgoing-messages-mbox-limit: {value!r}")
    if name == "user-guid" and (not text or len(text) > 64):
        raise InvalidValue(f"Invalid user-guid: {value!r}")
    if name == "autoresponder.text":
        return value if len(value) <= 65535 else _too_long(name)  # the reply as written
    return text if len(text) <= 1024 else _too_long(name)


def _too_long(name: str) -> str:
    raise InvalidValue(f"The value of {name} is too long")


def _merged(have: dict[str, str], change: MailChange) -> dict[str, str]:
    """The settings after `change`: dropped names forgotten, given ones written; the
    attachment list is joined (add), replaced (set) or taken from (remove)."""
    out = {k: v for k, v in have.items() if k not in change.dropped}
    for name, value in change.settings.items():
        if name != ATTACHMENTS:
            out[name] = value
            continue
        old: list[str] = json.loads(out.get(ATTACHMENTS, "[]"))
        given: list[str] = json.loads(value)
        if change.mode == "add":
            files = old + [f for f in given if f not in old]
        elif change.mode == "remove":
            missing = [f for f in given if f not in old]
            if missing:
                raise NotFound(f"Autoresponder attachment {missing[0]!r} does not exist")
            files = [f for f in old if f not in given]
        else:
            files = given
        if files:
            out[ATTACHMENTS] = json.dumps(files)
        else:
            out.pop(ATTACHMENTS, None)
    return out


class Mail(Owned[MailName]):
    table = _M
    columns = (
        "id", "domain_id", "name", "mailbox", "quota", "forwarding", "password_hash", "description",
    )  # fmt: skip
    event, not_found, kind, purge_events = "mailname", MAIL_NOT_FOUND, KIND, False

    def _site(self, actor: Identity, site: Domain) -> Domain:
        return self._parent(actor, site, NotFound("Site does not exist"))

    def _rows(
        self, rows: Iterable[Row], conn: sa.Connection | None = None
    ) -> builtins.list[MailName]:
        """Mail names with their forwards, aliases and kept settings, in three reads."""
        rows = list(rows)
        if not rows:
            return []
        if conn is None:
            with self._db.read() as read:
                return self._rows(rows, read)
        ids = [r[0] for r in rows]
        forwards: dict[int, list[str]] = {}
        aliases: dict[int, list[str]] = {}
        settings: dict[int, dict[str, str]] = {}
        p = tables.properties
        kept = sa.select(p.c.object_id, p.c.name, p.c.value).where(
            p.c.kind == KIND, p.c.object_id.in_(ids)
        )
        for mail_id, name, value in conn.execute(kept):
            settings.setdefault(mail_id, {})[name] = value
        q = sa.select(_F.c.mail_id, _F.c.address).where(_F.c.mail_id.in_(ids))
        for mail_id, addr in conn.execute(q.order_by(_F.c.address)):
            forwards.setdefault(mail_id, []).append(addr)
        q = sa.select(_A.c.mail_id, _A.c.alias).where(_A.c.mail_id.in_(ids))
        for mail_id, alias in conn.execute(q.order_by(_A.c.alias)):
            aliases.setdefault(mail_id, []).append(alias)
        return [
            MailName(
                mail_id,
                domain_id,
                name,
                bool(mailbox),
                int(quota),
                bool(forwarding),
                tuple(forwards.get(mail_id, ())),
                tuple(aliases.get(mail_id, ())),
                bool(secret),
                description,
                settings.get(mail_id, {}),
            )  # fmt: skip
            for mail_id, domain_id, name, mailbox, quota, forwarding, secret, description in rows
        ]

    def _children(self, conn: sa.Connection, actor: Identity | None, ids: Ids) -> None:
        conn.execute(_F.delete().where(_F.c.mail_id.in_(ids)))
        conn.execute(_A.delete().where(_A.c.mail_id.in_(ids)))

    def list(
        self, actor: Identity, site: Domain, names: Sequence[str] | None = None
    ) -> builtins.list[MailName]:
        """The site's mail names (all, or those named, in id order); NotFound for a site
        the actor may not see. Unknown names are simply not in the answer."""
        self._site(actor, site)
        rows = self._of_parent.all(v=site.id)
        if names is not None:
            wanted = set()
            for n in names:
                try:
                    wanted.add(local_part(n))
                except InvalidValue:
                    continue
            rows = [r for r in rows if r[2] in wanted]
        return self._rows(rows)

    def get(self, actor: Identity, site: Domain, name: str) -> MailName | None:
        found = self.list(actor, site, [name])
        return found[0] if found else None

    def by_id(self, actor: Identity, site: Domain, mail_id: int) -> MailName | None:
        """A mail name of the site by its id (None when the site has no such name)."""
        self._site(actor, site)
        row = self._by_id.first(v=mail_id)
        return None if row is None or row[1] != site.id else self._rows([row])[0]

    def create(self, actor: Identity, site: Domain, name: str, change: MailChange) -> MailName:
        """A new mail name. Raises NotFound (site), InvalidValue, AlreadyExists (the name
        or an alias taken on the site); nothing is written on any of them."""
        self._site(actor, site)
        local = local_part(name)
        _check(change)
        row = {
            "domain_id": site.id,
            "name": local,
            "password_hash": hash_password(change.password) if change.password else "",
            "mailbox": bool(change.mailbox),
            "quota": -1 if change.quota is None else change.quota,
            "forwarding": bool(change.forwarding)
            or (change.forwarding is None and bool(change.forwards)),
            "description": change.description or "",
        }

        def lists(conn: sa.Connection, mail_id: int) -> None:
            self._lists(conn, mail_id, site.id, change)
            self._properties.set(KIND, mail_id, _merged({}, change), conn)

        with self._db.begin() as conn:
            self._free(conn, site.id, [local, *change.aliases])
            return self._insert(conn, actor, row, name=f"{local}@{site.name}", within=lists)

    def update(self, actor: Identity, site: Domain, mail: MailName, change: MailChange) -> MailName:
        """Apply `change` (lists by its mode). Raises NotFound, InvalidValue, AlreadyExists."""
        self._site(actor, site)
        _check(change)
        row: dict[str, Any] = {}
        for key in ("mailbox", "quota", "forwarding", "description"):
            if getattr(change, key) is not None:
                row[key] = getattr(change, key)
        if change.password is not None:
            row["password_hash"] = hash_password(change.password)
        with self._db.begin() as conn:
            if change.mode == "remove":
                self._missing(mail, change)
            elif change.aliases:
                new = [a for a in change.aliases if a not in mail.aliases]
                self._free(conn, site.id, new)
            if change.mode == "set":
                if change.forwards:
                    conn.execute(_F.delete().where(_F.c.mail_id == mail.id))
                if change.aliases:
                    conn.execute(_A.delete().where(_A.c.mail_id == mail.id))
            if row:
                conn.execute(_M.update().where(_M.c.id == mail.id).values(**row))
            self._lists(conn, mail.id, site.id, change, have=mail)
            kept = _merged(mail.settings, change)
            if kept != mail.settings:
                self._properties.purge(KIND, mail.id, conn)
                self._properties.set(KIND, mail.id, kept, conn)
            out = self._fresh(conn, mail.id)
            # every value, old and new: what Plesk's mail events show
            self._record(
                conn, events.UPDATE, out, actor, name=f"{out.name}@{site.name}",
                old=mail.event_values(), new=out.event_values(),
            )  # fmt: skip
        return out

    def rename(self, actor: Identity, site: Domain, mail: MailName, new_name: str) -> MailName:
        self._site(actor, site)
        local = local_part(new_name)
        with self._db.begin() as conn:
            if local != mail.name:
                self._free(conn, site.id, [local], keep=mail.id)
            conn.execute(_M.update().where(_M.c.id == mail.id).values(name=local))
            out = self._fresh(conn, mail.id)
            self._record(
                conn, events.UPDATE, out, actor, name=f"{local}@{site.name}",
                old={"name": mail.name}, new={"name": local},
            )  # fmt: skip
        return out

    def remove(self, actor: Identity, site: Domain, mail: MailName) -> None:
        self._site(actor, site)
        with self._db.begin() as conn:
            name = f"{mail.name}@{site.name}"
            self._remove(conn, actor, mail, name=name, old=mail.event_values())

    # -- the site's mail service ---------------------------------------------------------

    def service_enabled(self, actor: Identity, site: Domain) -> bool:
        self._site(actor, site)
        s = tables.mail_services
        with self._db.read() as conn:
            on = conn.execute(sa.select(s.c.enabled).where(s.c.domain_id == site.id)).scalar()
        return True if on is None else bool(on)

    def set_service(self, actor: Identity, site: Domain, enabled: bool) -> None:
        """mail/enable and mail/disable: the site's mail service on or off."""
        before = self.service_enabled(actor, site)
        s = tables.mail_services
        with self._db.begin() as conn:
            conn.execute(s.delete().where(s.c.domain_id == site.id))
            conn.execute(s.insert().values(domain_id=site.id, enabled=enabled))
            events.record(
                conn, "mail", events.UPDATE, site.id, site.name, actor,
                old={"enabled": before}, new={"enabled": enabled},
            )  # fmt: skip

    # -- inside a write ------------------------------------------------------------------

    @staticmethod
    def _free(
        conn: sa.Connection, domain_id: int, names: builtins.list[str], keep: int = 0
    ) -> None:
        """Refuse (AlreadyExists) a local part already a name or an alias on the site."""
        if len(set(names)) != len(names):
            raise AlreadyExists("The same name is given twice")
        if not names:
            return
        taken = (
            conn.execute(
                sa.select(_M.c.name).where(
                    _M.c.domain_id == domain_id, _M.c.name.in_(names), _M.c.id != keep
                )
            ).first()
            or conn.execute(
                sa.select(_A.c.alias).where(_A.c.domain_id == domain_id, _A.c.alias.in_(names))
            ).first()
        )
        if taken is not None:
            raise AlreadyExists(f"Mail name or alias {taken[0]!r} already exists")

    @staticmethod
    def _missing(mail: MailName, change: MailChange) -> None:
        for alias in change.aliases:
            if alias not in mail.aliases:
                raise NotFound(f"Mail alias {alias!r} does not exist")
        for addr in change.forwards:
            if addr not in mail.forwards:
                raise NotFound(f"Forwarding address {addr!r} does not exist")

    @staticmethod
    def _lists(
        conn: sa.Connection,
        mail_id: int,
        domain_id: int,
        change: MailChange,
        have: MailName | None = None,
    ) -> None:
        keep_f = set(have.forwards) if have is not None and change.mode != "set" else set()
        keep_a = set(have.aliases) if have is not None and change.mode != "set" else set()
        if change.mode == "remove":
            if change.forwards:
                conn.execute(
                    _F.delete().where(_F.c.mail_id == mail_id, _F.c.address.in_(change.forwards))
                )
            if change.aliases:
                conn.execute(
                    _A.delete().where(_A.c.mail_id == mail_id, _A.c.alias.in_(change.aliases))
                )
            return
        for addr in dict.fromkeys(change.forwards):
            if addr not in keep_f:
                conn.execute(_F.insert().values(mail_id=mail_id, address=addr))
        for alias in change.aliases:
            if alias not in keep_a:
                conn.execute(_A.insert().values(mail_id=mail_id, domain_id=domain_id, alias=alias))

    def purge(self, conn: sa.Connection, domain_ids: builtins.list[int]) -> None:
        """Domains.on_delete: the mail of the domains going, and their mail service."""
        super().purge(conn, domain_ids)
        s = tables.mail_services
        conn.execute(s.delete().where(s.c.domain_id.in_(domain_ids)))
