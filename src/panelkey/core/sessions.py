"""Panel sessions: made for a login (XML server/create_session, REST POST /server/session),
listed and ended by the admin (XML session/get, session/terminate).

A session id is ``<handle><secret>``: 16 hex characters anyone may see, then 32
secret ones. Only the handle and a SHA-256 digest of the secret are stored, so the
whole id is shown once, to whoever made the session; listings show the handle, and
``terminate`` takes either. Sessions idle past ``IDLE_TIMEOUT`` are over.
"""

from __future__ import annotations

import builtins
import calendar
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.accounts import Accounts
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.ips import check_address
from panelkey.store import tables
from panelkey.store.database import Database

HANDLE_LENGTH = 16
IDLE_TIMEOUT = 30 * 60  # seconds; server/get session_setup reports it in minutes
SESSION_NOT_FOUND = "Session does not exist"
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

    def idle_seconds(self, now: float | None = None) -> int:
        last = calendar.timegm(time.strptime(self.last_active, "%Y-%m-%dT%H:%M:%SZ"))
        return max(0, int((now or time.time()) - last))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(session_id: str) -> tuple[str, str]:
    text = session_id.strip().lower()
    return text[:HANDLE_LENGTH], text[HANDLE_LENGTH:]


class Sessions:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._accounts = accounts

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
            )
            .select_from(s.join(a, s.c.account_id == a.c.id))
            .where(s.c.last_active >= iso(time.time() - IDLE_TIMEOUT))
            .order_by(s.c.id)
        )

    def create(
        self, actor: Identity, login: str, *, user_ip: str = "", source_server: str = ""
    ) -> tuple[str, Session]:
        """A session for the account `login`, made by `actor` (the admin for anyone, a
        reseller for itself and its customers, a customer for itself). Returns the whole
        session id, shown only here, and the session. Raises NotFound (no such login or
        not reachable: "Client does not exist"), InvalidValue (bad user_ip),
        PermissionDenied (the account is disabled)."""
        account = self._accounts.by_login(login.strip())
        if account is None or not self._accounts.can_manage(actor, account):
            raise NotFound("Client does not exist")
        if not account.active:
            raise PermissionDenied(f"Account {account.login!r} is disabled.")
        ip = check_address(user_ip) if user_ip.strip() else ""
        if len(source_server) > 255:
            raise InvalidValue("Invalid source_server")
        handle, secret = secrets.token_hex(HANDLE_LENGTH // 2), secrets.token_hex(16)
        now = iso()
        kind = _TYPE_OF.get(account.type, AccountType.CUSTOMER.value)
        with self._db.begin() as conn:
            conn.execute(
                tables.sessions.insert().values(
                    handle=handle,
                    digest=_digest(secret),
                    account_id=account.id,
                    type=kind,
                    ip=ip,
                    source_server=source_server,
                    created=now,
                    last_active=now,
                )
            )
        session = Session(handle, account.id, account.login, kind, ip, source_server, now, now)
        return handle + secret, session

    def list(self, actor: Identity) -> list[Session]:
        """Live sessions the actor may see: the admin all, others those of accounts
        they manage; oldest first."""
        with self._db.read() as conn:
            found = [Session(*row) for row in conn.execute(self._select())]
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
                    s.c.handle == handle, s.c.last_active >= iso(time.time() - IDLE_TIMEOUT)
                )
            ).first()
            if row is None or not hmac.compare_digest(row.digest, _digest(secret)):
                return None
            conn.execute(s.update().where(s.c.id == row.id).values(last_active=iso()))
        return next((x for x in self._all() if x.handle == handle), None)

    def _all(self) -> builtins.list[Session]:
        with self._db.read() as conn:
            return [Session(*row) for row in conn.execute(self._select())]

    def terminate(self, actor: Identity, session_id: str) -> Session:
        """End a session named by its handle or whole id. Raises NotFound
        ("Session does not exist") when there is none the actor may see."""
        handle, _ = _split(session_id)
        found = next((x for x in self.list(actor) if x.handle == handle), None)
        if found is None or len(session_id.strip()) < HANDLE_LENGTH:
            raise NotFound(SESSION_NOT_FOUND)
        with self._db.begin() as conn:
            conn.execute(tables.sessions.delete().where(tables.sessions.c.handle == handle))
        return found
