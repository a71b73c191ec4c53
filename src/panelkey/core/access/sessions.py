"""Panel sessions: made for a login (XML server/create_session, REST POST /server/session),
listed and ended by the admin (XML session/get, session/terminate).

A session id is ``<handle><secret>``: 16 hex characters, then 32 secret ones. The store
keeps the handle, a SHA-256 digest of the secret (what `verify` checks) and the whole id
*sealed*: encrypted with AES-GCM under the server's session key, which lives outside the
store (a 0600 file, see `SessionKey`). So session/get lists the very id create_session
returned, while a copy of the store alone yields no usable id. Without the key (another
machine, a lost file) a listing falls back to the handle, which `terminate` still takes.

What a client passes in create_session's ``data`` (starting_url, locale_id, skin, ...)
is kept with the session as properties (kind ``session``); ``c_email`` and ``c_phone``
fill the account's e-mail and phone when it has none, as Plesk does. Sessions idle past
``IDLE_TIMEOUT`` are over.
"""

from __future__ import annotations

import base64
import builtins
import calendar
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from panelkey.core.accounts.accounts import Accounts
from panelkey.core.clock import iso
from panelkey.core.domains.ips import check_address
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.store import tables
from panelkey.store.database import Database

HANDLE_LENGTH = 16
IDLE_TIMEOUT = 30 * 60  # seconds; server/get session_setup reports it in minutes
SESSION_NOT_FOUND = "Session does not exist"
KEY_FILE = "session.key"
PROPERTY_KIND = "session"
# create_session data kept with the session, in Plesk's order (c_email and c_phone go
# to the account instead).
DATA = (
    "target_url",
    "starting_url",
    "navigation",
    "pathbar",
    "logo_img_url",
    "logo_img_ref",
    "locale_id",
    "skin",
    "domain_name",
    "disable_lock_screen",
    "max_button_length",
    "back_url",
)
_TYPE_OF = {"admin": "admin", "reseller": "reseller", "customer": "client"}


@dataclass(frozen=True, slots=True)
class Session:
    handle: str
    account_id: int
    login: str
    type: str
    ip: str
    source_server: str
    created: str
    last_active: str
    # The whole id when the session key opens it, else the handle.
    session_id: str = ""
    data: dict[str, str] = field(default_factory=dict)

    def idle_seconds(self, now: float | None = None) -> int:
        last = calendar.timegm(time.strptime(self.last_active, "%Y-%m-%dT%H:%M:%SZ"))
        return max(0, int((now or time.time()) - last))


class SessionKey:
    """The AES-256 key that seals session ids: a file made on first use (mode 0600, in
    its own 0700 folder if that has to be made), never stored in the database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: bytes | None = None

    def _load(self, create: bool) -> bytes | None:
        if self._key is not None:
            return self._key
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            if not create:
                return None
            text = self._create()
        key = base64.b64decode(text.strip())
        if len(key) != 32:
            raise InvalidValue(f"The session key in {self.path} is not a 256-bit key")
        self._key = key
        return key

    def _create(self) -> bytes:
        """Write a new key whole under a private name, then link it into place: another
        process racing here either sees no file or a complete one, and the loser of the
        race uses the winner's key."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = base64.b64encode(secrets.token_bytes(32)) + b"\n"
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(partial, self.path)
            except FileExistsError:
                return self.path.read_bytes()
        finally:
            partial.unlink(missing_ok=True)
        return text

    def seal(self, session_id: str, handle: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self._load(create=True)
        assert key is not None
        nonce = secrets.token_bytes(12)
        # The handle is bound in as associated data: a sealed id moved to another row
        # does not open.
        sealed = AESGCM(key).encrypt(nonce, session_id.encode(), handle.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str | None, handle: str) -> str | None:
        if not sealed:
            return None
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            key = self._load(create=False)
            if key is None:
                return None
            raw = base64.b64decode(sealed)
            return AESGCM(key).decrypt(raw[:12], raw[12:], handle.encode()).decode()
        except (InvalidTag, ValueError, InvalidValue):
            return None


def default_key_file(db: Database) -> Path | None:
    """Where the key lives when no face named a file (every server and command does, from
    its settings): beside a SQLite store, whose folder is the data folder. None
    elsewhere, so ids are not sealed (listings show handles) rather than a key put in a
    folder nobody chose."""
    url = sa.engine.make_url(db.url)
    if db.is_sqlite and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / KEY_FILE
    return None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(session_id: str) -> tuple[str, str]:
    text = session_id.strip().lower()
    return text[:HANDLE_LENGTH], text[HANDLE_LENGTH:]


def _check_data(data: Mapping[str, str]) -> dict[str, str]:
    unknown = set(data) - set(DATA)
    if unknown:
        raise InvalidValue(f"Unknown session data: {sorted(unknown)[0]}")
    kept: dict[str, str] = {}
    for name in DATA:
        value = data.get(name)
        if value is None:
            continue
        if len(value) > 4096 or "\x00" in value:
            raise InvalidValue(f"Invalid {name}")
        kept[name] = value
    return kept


class Sessions:
    """`key_file` names the session key's file. Without it, the data folder's file a face
    names (`use_key_file`, from the settings it was handed) is used, else
    `default_key_file`; with the default settings all three are the same file."""

    def __init__(self, db: Database, accounts: Accounts, key_file: Path | None = None) -> None:
        self._db = db
        self._accounts = accounts
        self._fixed = key_file is not None
        self._key: SessionKey | None = SessionKey(key_file) if key_file else None
        # seconds; server/set's session_setup changes it (Panel wires core/server/setup.py)
        self.idle_timeout: Callable[[], int] = lambda: IDLE_TIMEOUT

    def use_key_file(self, path: Path) -> None:
        """Keep the session key in `path` (the data folder's) unless the constructor was
        given a file."""
        if not self._fixed and (self._key is None or self._key.path != path):
            self._key = SessionKey(path)

    @property
    def key(self) -> SessionKey | None:
        if self._key is None:
            found = default_key_file(self._db)
            self._key = SessionKey(found) if found is not None else None
        return self._key

    def _select(self) -> sa.Select[Any]:
        s, a = tables.sessions, tables.accounts
        return (
            sa.select(
                s.c.handle,
                s.c.account_id,
                a.c.login,
                s.c.type,
                s.c.ip,
                s.c.source_server,
                s.c.created,
                s.c.last_active,
                s.c.sealed,
                s.c.id,
            )
            .select_from(s.join(a, s.c.account_id == a.c.id))
            .where(s.c.last_active >= iso(time.time() - self.idle_timeout()))
            .order_by(s.c.id)
        )

    def _rows(self, conn: sa.Connection) -> builtins.list[Session]:
        rows = conn.execute(self._select()).all()
        p = tables.properties
        data: dict[int, dict[str, str]] = {}
        if rows:
            q = sa.select(p.c.object_id, p.c.name, p.c.value).where(
                p.c.kind == PROPERTY_KIND, p.c.object_id.in_([r.id for r in rows])
            )
            for r in conn.execute(q):
                data.setdefault(r.object_id, {})[r.name] = r.value
        found: builtins.list[Session] = []
        for r in rows:
            key = self.key
            whole = (key.open(r.sealed, r.handle) if key else None) or r.handle
            values = data.get(r.id, {})
            ordered = {k: values[k] for k in DATA if k in values}
            found.append(
                Session(
                    r.handle,
                    r.account_id,
                    r.login,
                    r.type,
                    r.ip,
                    r.source_server,
                    r.created,
                    r.last_active,
                    session_id=whole,
                    data=ordered,
                )
            )
        return found

    def create(
        self, actor: Identity, login: str, *, user_ip: str = "", source_server: str = "",
        data: Mapping[str, str] | None = None, contact: Mapping[str, str] | None = None,
    ) -> tuple[str, Session]:  # fmt: skip
        """A session for the account `login`, made by `actor` (the admin for anyone, a
        reseller for itself and its customers, a customer for itself). `data` is kept
        with the session (names of `DATA`); `contact` (`email`, `phone`) fills the
        account's own when it has none. Returns the whole session id and the session.
        Raises NotFound (no such login or not reachable: "Client does not exist"),
        InvalidValue (bad user_ip, data or e-mail), PermissionDenied (the account is
        disabled)."""
        account = self._accounts.by_login(login.strip())
        if account is None or not self._accounts.can_manage(actor, account):
            raise NotFound("Client does not exist")
        if not account.active:
            raise PermissionDenied(f"Account {account.login!r} is disabled.")
        ip = check_address(user_ip) if user_ip.strip() else ""
        if len(source_server) > 255:
            raise InvalidValue("Invalid source_server")
        kept = _check_data(data or {})
        # Plesk saves c_email / c_phone only where the account has none.
        fill = {
            k: v.strip()
            for k, v in (contact or {}).items()
            if k in ("email", "phone") and v.strip() and not getattr(account, k)
        }
        if fill:
            account = self._accounts.update(actor, account, fill)
        handle, secret = secrets.token_hex(HANDLE_LENGTH // 2), secrets.token_hex(16)
        whole = handle + secret
        key = self.key
        sealed = key.seal(whole, handle) if key else None
        now = iso()
        kind = _TYPE_OF.get(account.type, AccountType.CUSTOMER.value)
        s, p = tables.sessions, tables.properties
        with self._db.begin() as conn:
            new_id = conn.execute(
                s.insert().values(
                    handle=handle,
                    digest=_digest(secret),
                    sealed=sealed,
                    account_id=account.id,
                    type=kind,
                    ip=ip,
                    source_server=source_server,
                    created=now,
                    last_active=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            # Data of sessions gone (ended, or their account deleted) goes too.
            conn.execute(
                p.delete().where(p.c.kind == PROPERTY_KIND, p.c.object_id.not_in(sa.select(s.c.id)))
            )
            if kept:
                conn.execute(
                    p.insert(),
                    [
                        {"kind": PROPERTY_KIND, "object_id": int(new_id), "name": k, "value": v}
                        for k, v in kept.items()
                    ],
                )
        session = Session(
            handle, account.id, account.login, kind, ip, source_server, now, now, whole, kept
        )
        return whole, session

    def list(self, actor: Identity) -> builtins.list[Session]:
        """Live sessions the actor may see: the admin all, others those of accounts
        they manage; oldest first."""
        found = self._all()
        if actor.is_admin:
            return found
        reachable = {a.id for a in self._accounts.list() if self._accounts.can_manage(actor, a)}
        return [s for s in found if s.account_id in reachable]

    def verify(self, session_id: str) -> Session | None:
        """The live session of a whole session id (and it is marked active now), or None."""
        handle, secret = _split(session_id)
        s = tables.sessions
        with self._db.begin() as conn:
            row = conn.execute(
                sa.select(s.c.id, s.c.digest).where(
                    s.c.handle == handle, s.c.last_active >= iso(time.time() - self.idle_timeout())
                )
            ).first()
            if row is None or not hmac.compare_digest(row.digest, _digest(secret)):
                return None
            conn.execute(s.update().where(s.c.id == row.id).values(last_active=iso()))
        found = next((x for x in self._all() if x.handle == handle), None)
        return None if found is None else replace(found, session_id=session_id.strip().lower())

    def _all(self) -> builtins.list[Session]:
        with self._db.read() as conn:
            return self._rows(conn)

    def terminate(self, actor: Identity, session_id: str) -> Session:
        """End a session named by its handle or whole id. Raises NotFound
        ("Session does not exist") when there is none the actor may see."""
        handle, _ = _split(session_id)
        found = next((x for x in self.list(actor) if x.handle == handle), None)
        if found is None or len(session_id.strip()) < HANDLE_LENGTH:
            raise NotFound(SESSION_NOT_FOUND)
        s, p = tables.sessions, tables.properties
        with self._db.begin() as conn:
            ids = sa.select(s.c.id).where(s.c.handle == handle).scalar_subquery()
            conn.execute(p.delete().where(p.c.kind == PROPERTY_KIND, p.c.object_id == ids))
            conn.execute(s.delete().where(s.c.handle == handle))
        return found
