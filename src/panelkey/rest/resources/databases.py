"""`/databases`, `/dbusers` and `/dbservers`: Plesk's Database, DatabaseUser and
DatabaseServer shapes over the core's databases (`core/databases.py`), the same ones
XML `database` and `db_server` read and write.

A database belongs to a subscription: `parent_domain` names a domain (id, name or
guid), and a site stands for its subscription. Plesk's quirk kept: `POST /databases`
and `POST /dbusers` answer 200 with the object made. Passwords are never answered.
"""

from __future__ import annotations

from typing import Any

from panelkey.core import patterns
from panelkey.core.databases import (
    DB_NOT_FOUND,
    SERVERS_ADMIN_ONLY,
    USER_NOT_FOUND,
    Db,
    DbServer,
    DbUser,
)
from panelkey.core.domains.domains import Domain
from panelkey.core.identity import require_admin
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import ApiError, bad_request, not_found
from panelkey.rest.resources import SUCCESS, Answer, Call, Query, Resource
from panelkey.rest.resources.domains import find_domain

# -- handlers -------------------------------------------------------------------------------


def database_dict(d: Db) -> dict[str, Any]:
    return {n: getattr(d, "domain_id" if n == "parent_domain" else n) for n in _DATABASE_FIELDS}


def user_dict(u: DbUser) -> dict[str, Any]:
    return {"id": u.id, "login": u.login, "database_id": u.database_id}


def server_dict(s: DbServer) -> dict[str, Any]:
    return {name: "online" if name == "status" else getattr(s, name) for name in _SERVER_FIELDS}


def _query_id(c: Call, name: str) -> int | None:
    text = c.query.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= js.INT32:
        raise bad_request(f"The query parameter {name!r} must be a whole number from 1")
    return int(text)


def _subscription(c: Call, ref: dict[str, Any]) -> Domain:
    """The subscription of the domain `ref` names (a site stands for its subscription)."""
    found = find_domain(c, ref)
    if found is not None and not found.is_webspace:
        found = c.ctx.panel.domains.get(c.identity, found.base_domain_id)
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
    return 200, (database_dict(d) for d in c.ctx.panel.databases.list(c.identity, webspace))


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
    return 200, (user_dict(u) for u in found if u.database_id is not None)


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
    require_admin(c.identity, SERVERS_ADMIN_ONLY)
    ids = [server_id] if server_id is not None else None
    return 200, [server_dict(s) for s in c.ctx.panel.databases.servers(ids)]


# -- schemas --------------------------------------------------------------------------------

_TYPES = [
    *patterns.DATABASE_TYPES,
    "mssql",
]  # Plesk's; a request may name only the servers panelkey has
_DATABASE_FIELDS = ("id", "name", "type", "parent_domain", "server_id", "default_user_id")
_SERVER_FIELDS = ("id", "host", "port", "type", "status", "db_count", "is_default", "is_local")
_USER_LOGIN = js.string(
    minLength=1, maxLength=patterns.DATABASE_LOGIN_MAX, pattern=patterns.DATABASE_LOGIN
)
_PASSWORD = js.PASSWORD

SCHEMAS: dict[str, js.Schema] = {
    "Database": js.obj(
        {
            "id": js.ID,
            "name": js.string(),
            "type": js.string(enum=_TYPES),
            "parent_domain": js.integer("The domain's id", minimum=1),
            "server_id": js.ID,
            "default_user_id": js.integer("0 when none"),
        },
        _DATABASE_FIELDS,
    ),
    "DatabaseRequest": js.obj(
        {
            "name": js.string(
                minLength=1, maxLength=patterns.DATABASE_NAME_MAX, pattern=patterns.DATABASE_NAME
            ),
            "type": js.string(enum=list(patterns.DATABASE_TYPES)),
            "parent_domain": js.ref("DomainReference"),
            "server_id": js.integer("Default: the default server of the type", minimum=1),
        },
        ("name", "type", "parent_domain"),
    ),
    "DatabaseUser": js.obj(
        {"id": js.ID, "login": js.string(), "database_id": js.ID}, ("id", "login", "database_id")
    ),
    "DatabaseUserRequest": js.obj(
        {
            "login": _USER_LOGIN,
            "password": _PASSWORD,
            "parent_domain": js.ref("DomainReference"),
            "server_id": js.ID,
            "database_id": js.ID,
        },
        ("login", "password", "database_id"),
    ),
    "DatabaseUserUpdateRequest": js.obj({"login": _USER_LOGIN, "password": _PASSWORD}),
    "DatabaseServer": js.obj(
        {
            "id": js.ID,
            "host": js.string(),
            "port": js.integer(),
            "type": js.string(enum=_TYPES),
            "status": js.string(),
            "db_count": js.integer(),
            "is_default": js.BOOLEAN,
            "is_local": js.BOOLEAN,
        },
        _SERVER_FIELDS,
    ),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("Databases",), "database")
_DOMAIN = (Query("domain", "Filter data by domain name"),)
_DB_ID = (Query("dbId", "Filter data by database ID", type="integer"),)
_SERVER_ID = (Query("id", "Filter data by database server id", type="integer"),)
ROUTES = (
    _R.get("/databases", list_databases, "List databases", js.many("Database"), query=_DOMAIN),
    _R.post(
        "/databases", create_database, "Create database", js.ref("Database"), body="DatabaseRequest"
    ),
    _R.delete("/databases/{id}", delete_database, "Delete database", js.STATUS),
    _R.get("/dbusers", list_db_users, "List database users", js.many("DatabaseUser"), query=_DB_ID),
    _R.post(
        "/dbusers",
        create_db_user,
        "Create database user",
        js.ref("DatabaseUser"),
        body="DatabaseUserRequest",
    ),
    _R.put(
        "/dbusers/{id}",
        update_db_user,
        "Update database user",
        js.STATUS,
        body="DatabaseUserUpdateRequest",
    ),
    _R.delete("/dbusers/{id}", delete_db_user, "Delete database user", js.STATUS),
    Resource(("Databases",), "db_server").get(
        "/dbservers",
        list_db_servers,
        "List database servers",
        js.many("DatabaseServer"),
        query=_SERVER_ID,
    ),
)
