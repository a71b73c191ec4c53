"""The server's own settings: the initial setup and the license key.

The setup lives in the store's `meta` table, the keys in `license_keys`
(core/server/license.py), so every face and every process on one store sees them: REST
`POST /server/init` and `POST /server/license` write them, XML `server/get` (section
`key`) reads the keys through `keys()`. The license key text itself is kept only as a
SHA-256 digest: it is never shown back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.accounts.accounts import Accounts
from panelkey.core.clock import iso
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import Identity, require_admin
from panelkey.core.server.license import InstalledKey, Licenses
from panelkey.core.text import fits
from panelkey.store import tables
from panelkey.store.database import Database

SERVER_NAME = "server_name"
SETUP_DONE = "initial_setup"
# server/get services_state: what a Plesk on Linux lists, with Plesk's ids and its
# "Role (Software)" titles; the SMTP server and IMAP/POP3 are two services.
SERVICES_STATE: tuple[tuple[str, str], ...] = (
    ("web", "Web Server (Apache)"),
    ("nginx", "Reverse Proxy Server (nginx)"),
    ("smtp", "SMTP Server (Postfix)"),
    ("mail", "IMAP/POP3 Server (Dovecot)"),
    ("dns", "DNS Server (BIND)"),
    ("ftp", "FTP Server (ProFTPD)"),
    ("mysql", "MySQL/MariaDB Server"),
)
# The license's boolean properties (server/get key), answered 0/1: panelkey limits
# nothing, so a main key grants them all and an additional key none.
KEY_BOOLEANS = (
    "can-manage-accounts",
    "can-manage-customers",
    "can-manage-resellers",
    "can-manage-subscriptions",
)
# REST ServerInit.admin names -> account columns.
ADMIN_FIELDS = {
    "name": "name",
    "email": "email",
    "company": "company",
    "phone": "phone",
    "fax": "fax",
    "address": "address",
    "city": "city",
    "state": "state",
    "post_code": "pcode",
    "country": "country",
    "locale": "locale",
}


@dataclass(frozen=True, slots=True)
class License:
    """What is kept of an installed license key: never the key itself."""

    key_digest: str
    code: str
    additional: bool
    installed: str
    key_number: str = ""

    @property
    def key_id(self) -> str:
        """The key's number, or a stable short name of it (the digest's head)."""
        return self.key_number or "PK." + self.key_digest[:12]

    @classmethod
    def of(cls, key: InstalledKey) -> License:
        return cls(key.digest, key.code, key.additional, key.installed, key.key_id)


@dataclass(frozen=True, slots=True)
class LicenseKey:
    """One key as server/get answers it: panelkey's own, or one installed."""

    key_id: str
    kind: str  # "panelkey" (none installed), "main" or "additional"
    code: str
    lim_date: str = ""  # YYYYMMDD; empty: no expiry

    @property
    def main(self) -> bool:
        return self.kind != "additional"

    def properties(self, product_version: str) -> list[tuple[str, str]]:
        flag = "1" if self.main else "0"
        return [
            ("plesk_key_id", self.key_id),
            ("key_type", self.kind),
            *([("activation_code", self.code)] if self.code else []),
            ("product_version", product_version),
            ("lim_date", self.lim_date or "unlimited"),
            ("lim_cl", "-1"),
            ("lim_dom", "-1"),
            ("lim_res", "-1"),
            ("lim_mn", "-1"),
            *((name, flag) for name in KEY_BOOLEANS),
        ]


def _put(conn: sa.Connection, name: str, value: str) -> None:
    m = tables.meta
    found = conn.execute(sa.select(m.c.value).where(m.c.name == name)).first()
    if found is None:
        conn.execute(m.insert().values(name=name, value=value))
    else:
        conn.execute(m.update().where(m.c.name == name).values(value=value))


class ServerSettings:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._accounts = accounts
        self.licenses = Licenses(db)

    def init(
        self,
        actor: Identity,
        *,
        admin: Mapping[str, Any] | None = None,
        password: str | None = None,
        server_name: str | None = None,
    ) -> None:
        """Plesk's initial setup: the admin's contact data and password, the server's
        name. Any part may be left out; calling it again changes them again.
        Raises PermissionDenied (not the admin), InvalidValue (bad e-mail, name)."""
        require_admin(actor)
        account = self._accounts.admin()
        if account is None:
            raise PermissionDenied("The administrator account does not exist yet")
        values = {col: (admin or {})[k] for k, col in ADMIN_FIELDS.items() if k in (admin or {})}
        if password is not None:
            values["password"] = password
        if server_name is not None and (not fits(server_name) or "\x00" in server_name):
            raise InvalidValue("Invalid server_name")
        if values:
            self._accounts.update(actor, account, values)
        with self._db.begin() as conn:
            if server_name is not None:
                _put(conn, SERVER_NAME, server_name)
            _put(conn, SETUP_DONE, iso())

    def setup_done(self) -> bool:
        """Whether an initial setup ran (XML initial_setup runs only once)."""
        with self._db.read() as conn:
            found = conn.execute(
                sa.select(tables.meta.c.value).where(tables.meta.c.name == SETUP_DONE)
            ).first()
        return found is not None

    def server_name(self) -> str | None:
        """The name given by the initial setup, or None."""
        with self._db.read() as conn:
            value = conn.execute(
                sa.select(tables.meta.c.value).where(tables.meta.c.name == SERVER_NAME)
            ).scalar()
        return None if value is None else str(value)

    def install_license(
        self, actor: Identity, key: str, *, code: str = "", additional: bool = False
    ) -> License:
        """Keep a license key (as its digest) with its activation code: a main key
        replaces the main one, an additional key joins the others (core/server/license.py).
        Raises PermissionDenied (not the admin), InvalidValue."""
        require_admin(actor)
        if not isinstance(key, str) or not key.strip():
            raise InvalidValue("The license key is empty")
        return License.of(
            self.licenses.install(actor, key.strip().encode(), code=code, additional=additional)
        )

    def keys(self, own_id: str) -> list[LicenseKey]:
        """The keys server/get knows: the main one first (panelkey's own, `own_id`,
        until a main key is installed), then the additional keys."""
        found = self.licenses.keys()
        main = [LicenseKey(k.key_id, "main", k.code, k.lim_date) for k in found if not k.additional]
        extra = [
            LicenseKey(k.key_id, "additional", k.code, k.lim_date) for k in found if k.additional
        ]
        return (main or [LicenseKey(own_id, "panelkey", "")]) + extra

    def license(self) -> License | None:
        """The key in use installed last (main or additional), or None before any."""
        newest = self.licenses.newest()
        return None if newest is None else License.of(newest)
