"""Accounts: the admin, resellers and customers, and who may see and change whom."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import sqlalchemy as sa

from panelkey.core import events, patterns
from panelkey.core.access.passwords import hash_password
from panelkey.core.errors import (
    AlreadyExists,
    InvalidValue,
    NotFound,
    OwnerNotFound,
    PermissionDenied,
)
from panelkey.core.identity import AccountType, Identity
from panelkey.core.refs import Ref, resolve
from panelkey.core.rows import insert
from panelkey.core.server.properties import Properties
from panelkey.store import tables
from panelkey.store.database import Database
from panelkey.store.prepared import built

LOGIN_RE = patterns.compiled(patterns.LOGIN)
EMAIL_RE = patterns.compiled(patterns.EMAIL)
ACTIVE = 0
DISABLED = 16
VALID_STATUSES = frozenset(patterns.ACCOUNT_STATUSES)
TYPES = {t.value for t in AccountType}
# The kinds `can_manage` compares with, read once (an enum member's value is a property).
_ADMIN = AccountType.ADMIN.value
_RESELLER = AccountType.RESELLER.value
# What panelkey keeps of an account only to answer it back (core/server/properties.py):
# a reseller's `power-user` (Plesk's Power User view, "true"/"false").
PROPERTY_KIND = "account"
POWER_USER = "power-user"

_REFS = ("id", "login", "guid", "external-id")
# Plain-string fields a caller may set; everything else has its own rule.
TEXT_FIELDS = (
    "name",
    "company",
    "email",
    "phone",
    "fax",
    "address",
    "city",
    "state",
    "pcode",
    "country",
    "locale",
    "description",
    "external_id",
)


class Account(NamedTuple):
    """An account as read (never its password hash). A named tuple, not a frozen
    dataclass: a list of accounts is made a row at a time, and a tuple is made from its
    row in a tenth of the time (a frozen dataclass sets each of its 21 fields through
    object.__setattr__)."""

    id: int
    guid: str
    type: str
    login: str
    name: str
    company: str
    email: str
    phone: str
    fax: str
    address: str
    city: str
    state: str
    pcode: str
    country: str
    locale: str
    description: str
    external_id: str
    status: int
    owner_id: int | None
    owner_login: str
    created: str

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def identity(self) -> Identity:
        return Identity(self.id, self.login, self.type, self.owner_id)


# An account from its row, the columns in field order (the cheapest way to make one).
_account = Account._make
_ROW_FIELDS = list(Account._fields)
_ACCOUNT_FIELDS = [f for f in Account._fields if f != "owner_login"]
# What an event may show of an account: never the password hash.
_EVENT_FIELDS = ("login", *TEXT_FIELDS, "status", "owner_id", "type")


def event_class(account_type: str) -> str:
    """Plesk's object class of an account in the event log."""
    return "reseller" if account_type == AccountType.RESELLER.value else "client"


def _event_values(account: Account, names: Any = _EVENT_FIELDS) -> dict[str, Any]:
    return {n: getattr(account, n) for n in names if n in _EVENT_FIELDS}


def check_login(login: str) -> str:
    if not isinstance(login, str) or not LOGIN_RE.match(login):
        raise InvalidValue(f"Invalid login: {login!r}")
    return login


def _check_text(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in values and values[name] is not None:
            value = values[name]
            if not isinstance(value, str):
                raise InvalidValue(f"Invalid value of {name}")
            out[name] = value
    email = out.get("email")
    if email and not EMAIL_RE.match(email):
        raise InvalidValue(f"Invalid email address: {email!r}")
    return out


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _check_status(status: Any) -> int:
    try:
        value = int(status)
    except (TypeError, ValueError):
        raise InvalidValue(f"Invalid status: {status!r}") from None
    if value not in VALID_STATUSES:
        raise InvalidValue(f"Invalid status: {status!r}")
    return value


class Accounts:
    """Reading and writing accounts. `on_change` runs after any write that can change
    who may authenticate, so that caches are dropped at once in this process."""

    def __init__(self, db: Database, on_change: Callable[[], None]) -> None:
        self._db = db
        self._on_change = on_change
        self._properties = Properties(db)
        # The reads every request makes, built once per process and compiled once
        # (store/prepared.py).
        reads = built(Accounts, self._build_reads)
        self._base = reads["base"]
        self._by = {by: db.prepare(reads[by]) for by in ("id", "login", "guid", "external_id")}
        self._all = db.prepare(reads["all"])
        self._with_owner = db.prepare(reads["with_owner"])
        # `find`'s finder of each kind of reference (_REFS), made once: it serves every
        # filter naming an account.
        self._finders: dict[str, Callable[[Any], Account | None]] = {
            "id": self.get,
            "login": self.by_login,
            "guid": self.by_guid,
            "external-id": self.by_external_id,
        }

    # -- reading --------------------------------------------------------------------

    @classmethod
    def _build_reads(cls) -> dict[str, sa.Select[Any]]:
        a = tables.accounts
        v: sa.BindParameter[Any] = sa.bindparam("v")
        base = cls._build_select()
        owner_of = sa.select(a.c.owner_id).where(a.c.id == v).scalar_subquery()
        return {
            "base": base,
            "id": base.where(a.c.id == v),
            "login": base.where(a.c.login_key == v),
            "guid": base.where(a.c.guid == v),
            "external_id": base.where(a.c.external_id == v),
            "all": base.order_by(a.c.id),
            "with_owner": base.where(sa.or_(a.c.id == v, a.c.id == owner_of)),
        }

    @staticmethod
    def _build_select() -> sa.Select[Any]:
        # The columns in Account's field order, so that a row becomes an Account
        # positionally (the cheapest way); the password hash is never read here.
        a = tables.accounts
        owner = a.alias("owner")
        owner_login = sa.func.coalesce(owner.c.login, "").label("owner_login")
        columns = [owner_login if f == "owner_login" else a.c[f] for f in _ROW_FIELDS]
        return sa.select(*columns).select_from(a.outerjoin(owner, a.c.owner_id == owner.c.id))

    @staticmethod
    def _row(row: Any) -> Account:
        return _account(row)

    def get(self, account_id: int, conn: sa.Connection | None = None) -> Account | None:
        return self._one("id", account_id, conn)

    def with_owner(self, account_id: int) -> builtins.list[Account]:
        """The account and its owner (when it has one), in one read; [] when it is gone."""
        return [_account(r) for r in self._with_owner.all(v=account_id)]

    def by_login(self, login: str, conn: sa.Connection | None = None) -> Account | None:
        """Logins compare case-insensitively."""
        return self._one("login", login.lower(), conn)

    def by_guid(self, guid: str, conn: sa.Connection | None = None) -> Account | None:
        return self._one("guid", guid.lower(), conn)

    def by_external_id(self, external_id: str) -> Account | None:
        if not external_id:
            return None
        return self._one("external_id", external_id, None)

    def _one(self, by: str, value: Any, conn: sa.Connection | None) -> Account | None:
        row = self._by[by].first(conn, v=value)
        return _account(row) if row else None

    def list(self, where: Any = None) -> list[Account]:
        if where is None:
            return [_account(r) for r in self._all.all()]
        q = self._base.order_by(tables.accounts.c.id).where(where)
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q)]

    def power_user(self, account: Account) -> bool:
        """A reseller's Power User view flag (Plesk's `power-user`; False unless set)."""
        return self._properties.get(PROPERTY_KIND, account.id).get(POWER_USER) == "true"

    def password_hash(self, account_id: int) -> str | None:
        with self._db.read() as conn:
            return conn.execute(
                sa.select(tables.accounts.c.password_hash).where(tables.accounts.c.id == account_id)
            ).scalar()

    # -- rights ---------------------------------------------------------------------

    @staticmethod
    def can_manage(actor: Identity, account: Account) -> bool:
        """The admin manages all; a reseller itself and its customers; a customer itself."""
        kind = actor.type
        if kind == _ADMIN or actor.account_id == account.id:
            return True
        return kind == _RESELLER and account.owner_id == actor.account_id

    def visible(self, actor: Identity, accounts: builtins.list[Account]) -> builtins.list[Account]:
        return [a for a in accounts if self.can_manage(actor, a)]

    # -- finders: who may see which account, decided here ---------------------------

    def find(self, actor: Identity, ref: Ref, *, type: str | None = None) -> Account | None:
        """The account `ref` names (core/refs.py: by id, login, guid or external id)
        when the actor may manage it (`can_manage`) and it is of `type` (any when None);
        else None, as if it did not exist."""
        found = resolve(ref, _REFS)
        if found is None:
            return None
        kind, value = found
        account = self._finders[kind](value)
        if account is None or (type is not None and account.type != type):
            return None
        return account if self.can_manage(actor, account) else None

    def require(self, actor: Identity, ref: Ref, *, type: str | None = None) -> Account:
        """`find`, or raise NotFound ("Client does not exist")."""
        found = self.find(actor, ref, type=type)
        if found is None:
            raise NotFound("Client does not exist")
        return found

    def reachable(
        self, actor: Identity, *, type: str | None = None, owner_id: int | None = None
    ) -> builtins.list[Account]:
        """Every account the actor may manage, of `type` and of owner `owner_id` when
        given, by id."""
        found = self.list()
        if type is not None:
            found = [a for a in found if a.type == type]
        if owner_id is not None:
            found = [a for a in found if a.owner_id == owner_id]
        if actor.type == _ADMIN:  # the admin manages every account
            return found
        return [a for a in found if self.can_manage(actor, a)]

    def changed(self) -> None:
        """Tell this process's caches that who may authenticate changed: for a write
        made outside this class (core/accounts/resellers.py's conversions)."""
        self._on_change()

    # -- writing --------------------------------------------------------------------

    def create(
        self,
        actor: Identity,
        *,
        type: str,
        login: str,
        password: str,
        owner: Account | None = None,
        status: Any = ACTIVE,
        power_user: bool | None = None,
        **values: Any,
    ) -> Account:
        """A new reseller or customer. `owner` defaults to the actor (the admin or a
        reseller); `power_user` is a reseller's only. Raises InvalidValue, AlreadyExists
        (1007), PermissionDenied, OwnerNotFound."""
        if type not in (AccountType.RESELLER.value, AccountType.CUSTOMER.value):
            raise InvalidValue(f"Invalid account type: {type!r}")
        if power_user is not None and type != AccountType.RESELLER.value:
            raise InvalidValue("Only a reseller has a Power User view setting")
        check_login(login)
        if not isinstance(password, str) or not password:
            raise InvalidValue("A password is required")
        text = _check_text(values)
        status_value = _check_status(status)
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied("Permission denied.")
        if type == AccountType.RESELLER.value and not actor.is_admin:
            raise PermissionDenied("Only the administrator may create resellers.")
        owner_id = owner.id if owner is not None else actor.account_id
        if owner is not None:
            if owner.type == AccountType.CUSTOMER.value or (
                type == AccountType.RESELLER.value and not owner.type == "admin"
            ):
                raise OwnerNotFound(f"Account {owner.login!r} cannot own a {type}")
            if not actor.is_admin and owner.id != actor.account_id:
                raise PermissionDenied("Permission denied.")
        password_hash = hash_password(password)
        with self._db.begin() as conn:
            if self.by_login(login, conn) is not None:
                raise AlreadyExists(f"Client with login {login!r} already exists.")
            new_id = insert(
                conn,
                tables.accounts,
                type=type,
                login=login,
                login_key=login.lower(),
                password_hash=password_hash,
                status=status_value,
                owner_id=owner_id,
                **text,
            )
            account = self.get(new_id, conn)
            assert account is not None
            if power_user is not None:
                self._properties.set(
                    PROPERTY_KIND, account.id, {POWER_USER: _flag(power_user)}, conn
                )
            events.record(
                conn, event_class(type), events.CREATE, account.id, account.login, actor,
                new=_event_values(account),
            )  # fmt: skip
        return account

    def ensure_admin(self, password: str) -> bool:
        """Create the single admin account unless it exists; True when this call made it.
        The unique login makes concurrent first starts safe: one wins, the others see it."""
        try:
            with self._db.begin() as conn:
                if self.by_login("admin", conn) is not None:
                    return False
                insert(
                    conn,
                    tables.accounts,
                    type="admin",
                    login="admin",
                    login_key="admin",
                    password_hash=hash_password(password),
                    status=ACTIVE,
                    owner_id=None,
                    name="Administrator",
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def admin(self) -> Account | None:
        return self.by_login("admin")

    def update(self, actor: Identity, account: Account, values: Mapping[str, Any]) -> Account:
        """Change any subset of the text fields, `login`, `password`, `status`, `owner`;
        `new_guid` (true) gives the account a new GUID, as Plesk's empty `guid` does;
        `power_user` (a bool) is a reseller's Power User view. Raises NotFound,
        InvalidValue, PermissionDenied, AlreadyExists, OwnerNotFound; nothing is written
        on error."""
        if not self.can_manage(actor, account):
            raise NotFound("Client does not exist")
        row = _check_text(values)
        if values.get("new_guid"):
            row["guid"] = str(uuid.uuid4())
        power_user = values.get("power_user")
        props: dict[str, str] = {}
        if power_user is not None:
            if account.type != AccountType.RESELLER.value:
                raise InvalidValue("Only a reseller has a Power User view setting")
            props[POWER_USER] = _flag(bool(power_user))
        if values.get("login") is not None and values["login"] != account.login:
            if account.type == AccountType.ADMIN.value:
                raise PermissionDenied("The admin login cannot change.")
            row["login"] = check_login(values["login"])
            row["login_key"] = row["login"].lower()
        if values.get("password") is not None:
            if not isinstance(values["password"], str) or not values["password"]:
                raise InvalidValue("Invalid password")
            row["password_hash"] = hash_password(values["password"])
        if values.get("status") is not None:
            row["status"] = _check_status(values["status"])
            if account.type == AccountType.ADMIN.value and row["status"] != ACTIVE:
                raise PermissionDenied("The admin cannot be disabled.")
            if actor.account_id == account.id and row["status"] != ACTIVE:
                raise PermissionDenied("An account cannot disable itself.")
        owner = values.get("owner")
        if owner is not None:
            if not actor.is_admin or account.type != AccountType.CUSTOMER.value:
                raise PermissionDenied("Permission denied.")
            if owner.type == AccountType.CUSTOMER.value:
                raise OwnerNotFound(f"Account {owner.login!r} cannot own a customer")
            row["owner_id"] = owner.id
        if not row and not props:
            return account
        with self._db.begin() as conn:
            if "login_key" in row:
                clash = self.by_login(row["login"], conn)
                if clash is not None and clash.id != account.id:
                    raise AlreadyExists(f"Client with login {row['login']!r} already exists.")
            if row:
                conn.execute(
                    tables.accounts.update().where(tables.accounts.c.id == account.id).values(**row)
                )
            old_props = self._properties.get(PROPERTY_KIND, account.id, conn)
            self._properties.set(PROPERTY_KIND, account.id, props, conn)
            if {"status", "password_hash", "login_key"} & row.keys():
                self._db.record_change(conn, "account")
            updated = self.get(account.id, conn)
            assert updated is not None
            changed = [n for n in _EVENT_FIELDS if n in row]
            old_extra = {n: old_props.get(n, "false") for n in props}
            new_extra: dict[str, str] = dict(props)
            if "guid" in row:
                old_extra["guid"], new_extra["guid"] = account.guid, updated.guid
            events.record(
                conn,
                event_class(account.type),
                events.UPDATE,
                account.id,
                updated.login,
                actor,
                old={**_event_values(account, changed), **old_extra},
                new={
                    **_event_values(updated, changed),
                    **new_extra,
                    **({"password": "changed"} if "password_hash" in row else {}),
                },
            )
        self._on_change()
        assert updated is not None
        return updated

    def delete(self, actor: Identity, account: Account) -> None:
        """Deletes the account, its keys, its domains and (for a reseller) its customers."""
        if not self.can_manage(actor, account):
            raise NotFound("Client does not exist")
        if actor.account_id == account.id:
            raise PermissionDenied("An account cannot delete itself.")
        if account.type == AccountType.ADMIN.value:
            raise PermissionDenied("The admin cannot be deleted.")
        with self._db.begin() as conn:
            ids = [account.id]
            ids += list(
                conn.execute(
                    sa.select(tables.accounts.c.id).where(tables.accounts.c.owner_id == account.id)
                ).scalars()
            )
            domain_ids = sa.select(tables.domains.c.id).where(tables.domains.c.owner_id.in_(ids))
            conn.execute(
                tables.dns_records.delete().where(tables.dns_records.c.domain_id.in_(domain_ids))
            )
            conn.execute(tables.domains.delete().where(tables.domains.c.owner_id.in_(ids)))
            conn.execute(tables.secret_keys.delete().where(tables.secret_keys.c.owner_id.in_(ids)))
            gone = [self.get(i, conn) for i in ids[1:]] + [account]
            for gone_id in ids:
                self._properties.purge(PROPERTY_KIND, gone_id, conn)
            conn.execute(tables.accounts.delete().where(tables.accounts.c.id.in_(ids[1:])))
            conn.execute(tables.accounts.delete().where(tables.accounts.c.id == account.id))
            for old in gone:
                if old is not None:
                    events.record(
                        conn, event_class(old.type), events.DELETE, old.id, old.login, actor,
                        old=_event_values(old),
                    )  # fmt: skip
            self._db.record_change(conn, "account")
        self._on_change()
