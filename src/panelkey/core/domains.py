"""Domains: subscriptions ("webspaces", base_domain_id 0) and the sites inside them."""

from __future__ import annotations

import builtins
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from panelkey.core.accounts import Account, Accounts
from panelkey.core.clock import iso
from panelkey.core.dns import default_records
from panelkey.core.errors import AlreadyExists, InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.store import tables
from panelkey.store.database import Database

HOSTING_TYPES = ("virtual", "standard_forwarding", "frame_forwarding", "none")
STATUSES = ("active", "suspended", "disabled")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
DEFAULT_IP = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Domain:
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


def normalise_name(name: str) -> tuple[str, str]:
    """(name in lower case, its ASCII form); raises InvalidValue for a non-DNS name."""
    if not isinstance(name, str):
        raise InvalidValue("Invalid domain name")
    text = name.strip().rstrip(".").lower()
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


class Domains:
    def __init__(self, db: Database, accounts: Accounts) -> None:
        self._db = db
        self._base = self._build_select()
        self._accounts = accounts

    @staticmethod
    def _build_select() -> sa.Select[Any]:
        d, a = tables.domains, tables.accounts
        return (
            sa.select(d, a.c.login.label("owner_login"))
            .select_from(d.join(a, d.c.owner_id == a.c.id))
            .order_by(d.c.id)
        )

    @staticmethod
    def _row(row: Any) -> Domain:
        return Domain(**dict(row._mapping))

    def list(self, actor: Identity, where: Any = None) -> list[Domain]:
        """Every domain the actor may see, oldest first."""
        q = self._base.where(self._visible(actor))
        if where is not None:
            q = q.where(where)
        with self._db.read() as conn:
            return [self._row(r) for r in conn.execute(q)]

    def get(self, actor: Identity, domain_id: int) -> Domain | None:
        found = self.list(actor, tables.domains.c.id == domain_id)
        return found[0] if found else None

    def by_name(self, actor: Identity, name: str) -> Domain | None:
        try:
            text, ascii_name = normalise_name(name)
        except InvalidValue:
            return None
        found = self.list(
            actor, sa.or_(tables.domains.c.name == text, tables.domains.c.ascii_name == ascii_name)
        )
        return found[0] if found else None

    def by_guid(self, actor: Identity, guid: str) -> Domain | None:
        found = self.list(actor, tables.domains.c.guid == guid.lower())
        return found[0] if found else None

    @staticmethod
    def _visible(actor: Identity) -> Any:
        d, a = tables.domains, tables.accounts
        if actor.is_admin:
            return sa.true()
        if actor.type == AccountType.RESELLER.value:
            return sa.or_(
                d.c.owner_id == actor.account_id,
                d.c.owner_id.in_(sa.select(a.c.id).where(a.c.owner_id == actor.account_id)),
            )
        return d.c.owner_id == actor.account_id

    def create(
        self,
        actor: Identity,
        *,
        name: str,
        owner: Account | None = None,
        hosting_type: str = "virtual",
        base_domain: Domain | None = None,
        status: str = "active",
        ip_address: str = "",
        ftp_login: str = "",
        description: str = "",
    ) -> Domain:
        """A webspace (no base_domain) or a site inside one, with its default DNS zone.

        Raises InvalidValue, AlreadyExists, PermissionDenied (owner not manageable).
        """
        text, ascii_name = normalise_name(name)
        if hosting_type not in HOSTING_TYPES:
            raise InvalidValue(f"Invalid hosting type: {hosting_type!r}")
        if status not in STATUSES:
            raise InvalidValue(f"Invalid status: {status!r}")
        if not isinstance(description, str) or not isinstance(ftp_login, str):
            raise InvalidValue("Invalid value")
        if base_domain is not None:
            owner_id = base_domain.owner_id
            base_id = base_domain.base_domain_id or base_domain.id
        else:
            target = owner or self._accounts.get(actor.account_id)
            if target is None or not self._accounts.can_manage(actor, target):
                raise PermissionDenied("Permission denied.")
            owner_id, base_id = target.id, 0
        ip = ip_address or DEFAULT_IP
        www_root = f"/var/www/vhosts/{ascii_name}/httpdocs" if hosting_type == "virtual" else ""
        with self._db.begin() as conn:
            clash = conn.execute(
                sa.select(tables.domains.c.id).where(
                    sa.or_(tables.domains.c.name == text, tables.domains.c.ascii_name == ascii_name)
                )
            ).first()
            if clash is not None:
                raise AlreadyExists(f"Domain {text!r} already exists.")
            new_id = conn.execute(
                tables.domains.insert().values(
                    guid=str(uuid.uuid4()),
                    name=text,
                    ascii_name=ascii_name,
                    owner_id=owner_id,
                    hosting_type=hosting_type,
                    base_domain_id=base_id,
                    www_root=www_root,
                    status=status,
                    ip_address=ip,
                    ftp_login=ftp_login,
                    description=description,
                    created=iso(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            records = default_records(ascii_name, ip)
            if records:
                conn.execute(
                    tables.dns_records.insert(), [dict(r, domain_id=new_id) for r in records]
                )
            row = conn.execute(self._base.where(tables.domains.c.id == new_id)).one()
        return self._row(row)

    def update(self, actor: Identity, domain: Domain, values: Mapping[str, Any]) -> Domain:
        """Change `status`, `description`, `hosting_type` or the name (zone not renamed)."""
        row: dict[str, Any] = {}
        if values.get("status") is not None:
            if values["status"] not in STATUSES:
                raise InvalidValue(f"Invalid status: {values['status']!r}")
            row["status"] = values["status"]
        if values.get("description") is not None:
            if not isinstance(values["description"], str):
                raise InvalidValue("Invalid description")
            row["description"] = values["description"]
        if values.get("hosting_type") is not None:
            if values["hosting_type"] not in HOSTING_TYPES:
                raise InvalidValue(f"Invalid hosting type: {values['hosting_type']!r}")
            row["hosting_type"] = values["hosting_type"]
        if values.get("name") is not None:
            row["name"], row["ascii_name"] = normalise_name(values["name"])
        if not row:
            return domain
        with self._db.begin() as conn:
            if "name" in row:
                clash = conn.execute(
                    sa.select(tables.domains.c.id).where(
                        tables.domains.c.ascii_name == row["ascii_name"],
                        tables.domains.c.id != domain.id,
                    )
                ).first()
                if clash is not None:
                    raise AlreadyExists(f"Domain {row['name']!r} already exists.")
            conn.execute(
                tables.domains.update().where(tables.domains.c.id == domain.id).values(**row)
            )
            out = conn.execute(self._base.where(tables.domains.c.id == domain.id)).one()
        return self._row(out)

    def delete(self, actor: Identity, domain: Domain) -> builtins.list[int]:
        """Delete a domain with its zone; a webspace takes its sites along. Returns ids."""
        if self.get(actor, domain.id) is None:
            raise NotFound("Domain does not exist")
        with self._db.begin() as conn:
            ids = [domain.id]
            if domain.is_webspace:
                ids += list(
                    conn.execute(
                        sa.select(tables.domains.c.id).where(
                            tables.domains.c.base_domain_id == domain.id
                        )
                    ).scalars()
                )
            conn.execute(tables.dns_records.delete().where(tables.dns_records.c.domain_id.in_(ids)))
            conn.execute(tables.domains.delete().where(tables.domains.c.id.in_(ids)))
        return ids
