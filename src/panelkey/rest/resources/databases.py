"""Handlers of `/databases`, `/dbusers` and `/dbservers`: Plesk's Database, DatabaseUser and
DatabaseServer shapes over the core's databases (`core/databases.py`), the same ones
XML `database` and `db_server` read and write.

A database belongs to a subscription: `parent_domain` names a domain (id, name or
guid), and a site stands for its subscription. Plesk's quirk kept: `POST /databases`
and `POST /dbusers` answer 200 with the object made. Passwords are never answered.
"""

from __future__ import annotations

from typing import Any

from panelkey.core.databases import DB_NOT_FOUND, USER_NOT_FOUND, Db, DbServer, DbUser
from panelkey.core.domains.domains import Domain
from panelkey.rest.errors import ApiError, bad_request, not_found
from panelkey.rest.handlers import SUCCESS, Answer, Call
from panelkey.rest.schemas import INT32


def database_dict(d: Db) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "type": d.type,
        "parent_domain": d.domain_id,
        "server_id": d.server_id,
        "default_user_id": d.default_user_id,
    }


def user_dict(u: DbUser) -> dict[str, Any]:
    return {"id": u.id, "login": u.login, "database_id": u.database_id}


def server_dict(s: DbServer) -> dict[str, Any]:
    return {
        "id": s.id,
        "host": s.host,
        "port": s.port,
        "type": s.type,
        "status": "online",
        "db_count": s.db_count,
        "is_default": s.is_default,
        "is_local": s.is_local,
    }


def _query_id(c: Call, name: str) -> int | None:
    text = c.query.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= INT32:
        raise bad_request(f"The query parameter {name!r} must be a whole number from 1")
    return int(text)


def _subscription(c: Call, ref: dict[str, Any]) -> Domain:
    """The subscription of the domain `ref` names (a site stands for its subscription)."""
    domains = c.ctx.panel.domains
    found: Domain | None
    if ref.get("id") is not None:
        found = domains.get(c.identity, ref["id"])
    elif ref.get("name"):
        found = domains.by_name(c.identity, ref["name"])
    elif ref.get("guid"):
        found = domains.by_guid(c.identity, ref["guid"])
    else:
        raise bad_request("parent_domain needs one of id, name or guid")
    if found is not None and not found.is_webspace:
        found = domains.get(c.identity, found.base_domain_id)
    if found is None:
        raise not_found("Domain")
    return found


def _database(c: Call, db_id: int) -> Db:
    found = c.ctx.panel.databases.get(c.identity, db_id)
    if found is None:
        raise ApiError(404, DB_NOT_FOUND)
    return found


def _user(c: Call) -> DbUser:
    found = c.ctx.panel.databases.user(c.identity, c.params["id"])
    if found is None:
        raise ApiError(404, USER_NOT_FOUND)
    return found


def list_databases(c: Call) -> Answer:
    """All databases the caller may see, or those of `?domain=` (its subscription's)."""
    name = c.query.get("domain")
    if name == "":
        raise not_found("Domain")
    webspace = _subscription(c, {"name": name}) if name is not None else None
    return 200, [database_dict(d) for d in c.ctx.panel.databases.list(c.identity, webspace)]


def create_database(c: Call) -> Answer:
    b = c.body
    made = c.ctx.panel.databases.create(
        c.identity,
        _subscription(c, b["parent_domain"]),
        name=b["name"],
        type=b["type"],
        server_id=b.get("server_id") or 0,
    )
    return 200, database_dict(made)  # Plesk answers 200, not 201


def delete_database(c: Call) -> Answer:
    c.ctx.panel.databases.delete(c.identity, _database(c, c.params["id"]))
    return 200, SUCCESS


def list_db_users(c: Call) -> Answer:
    """Users of databases: Plesk's DatabaseUser has a database, so a user of every
    database of a subscription (XML add-db-user without db-id) is not listed here."""
    db_id = _query_id(c, "dbId")
    database = _database(c, db_id) if db_id is not None else None
    found = c.ctx.panel.databases.users(c.identity, database)
    return 200, [user_dict(u) for u in found if u.database_id is not None]


def create_db_user(c: Call) -> Answer:
    b = c.body
    database = _database(c, b["database_id"])
    if b.get("server_id") and b["server_id"] != database.server_id:
        raise bad_request("server_id is not the database's server")
    made = c.ctx.panel.databases.add_user(
        c.identity, database, login=b["login"], password=b["password"]
    )
    return 200, user_dict(made)  # Plesk answers 200, not 201


def update_db_user(c: Call) -> Answer:
    b = c.body if isinstance(c.body, dict) else {}
    c.ctx.panel.databases.set_user(
        c.identity, _user(c), login=b.get("login"), password=b.get("password")
    )
    return 200, SUCCESS


def delete_db_user(c: Call) -> Answer:
    c.ctx.panel.databases.delete_user(c.identity, _user(c))
    return 200, SUCCESS


def list_db_servers(c: Call) -> Answer:
    server_id = _query_id(c, "id")
    c.ctx.panel.databases.require_admin(c.identity)
    ids = [server_id] if server_id is not None else None
    return 200, [server_dict(s) for s in c.ctx.panel.databases.servers(ids)]
