"""Operator ``database``: databases of subscriptions (``add-db``, ``get-db``, ``del-db``),
their users (``add-db-user``, ``get-db-users``, ``set-db-user``, ``del-db-user``) and
each database's default user (``set-default-user``, ``get-default-user``).

Filters hold children of one kind (``id``, ``webspace-id``, ``webspace-name`` for
databases; ``id``, ``db-id`` for users); an empty filter means everything the caller
may see. What the caller may not see answers 1013, as if it did not exist.

Users take Plesk's ``password-type`` (``plain``, or ``crypt``: a hash kept as given),
``acl`` (hosts), ``allow-access-from`` (addresses) and ``role``; panelkey runs no
database server, so these are kept and answered back by ``get-db-users`` in Plesk's
order (``login``, ``db-id``, ``acl``, ``allow-access-from``, ``role``), each once set.
``add-db-user`` may name the subscription and server with the database (they must be
the database's); without ``db-id``, ``webspace-id`` and ``db-server-id`` make a user
of every database of that subscription on that server (Plesk's "universal" user),
and one of the two missing is 1019. Such a user has no database: ``get-db-users``
answers it (by ``id``, or with an empty filter) without ``db-id``, a ``db-id``
filter lists a database's own users only, and it goes with its subscription.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.databases import (
    DB_NOT_FOUND,
    SERVER_NOT_FOUND,
    USER_NOT_FOUND,
    Db,
    DbUser,
    DbUserAccess,
)
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.reach import WEBSPACE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, by_id, one, required, under


def _of_webspace(req: Request, webspace: Domain) -> list[Db]:
    return req.ctx.panel.databases.list(req.identity, webspace)


def _users_of(req: Request, database: Db) -> list[DbUser]:
    return req.ctx.panel.databases.users(req.identity, database)


_db = by_id(lambda req, i: req.ctx.panel.databases.get(req.identity, i))
_user = by_id(lambda req, i: req.ctx.panel.databases.user(req.identity, i))
DATABASES: Filter[Db] = Filter(
    DB_NOT_FOUND,
    {
        "id": one(_db),
        **{f"webspace-{k}": under(reach.webspace(k), _of_webspace) for k in ("id", "name")},
    },
    lambda req: req.ctx.panel.databases.list(req.identity),
    misses={"webspace-id": WEBSPACE_NOT_FOUND, "webspace-name": WEBSPACE_NOT_FOUND},
    echo_id=False,
)
USERS: Filter[DbUser] = Filter(
    USER_NOT_FOUND,
    {"id": one(_user), "db-id": under(_db, _users_of)},
    lambda req: req.ctx.panel.databases.users(req.identity),
    misses={"db-id": DB_NOT_FOUND},
    echo_id=False,
)
DEFAULT_USERS: Filter[Db] = Filter(
    DB_NOT_FOUND,
    {"db-id": one(_db)},
    lambda req: req.ctx.panel.databases.list(req.identity),
    echo_id=False,
)


def add_db(req: Request, op: etree._Element) -> list[etree._Element]:
    """``webspace-id``, ``name``, ``type``, ``db-server-id``? -> ``result/{status, id}``."""
    ws = reach.domain_of(req, op, "webspace-", kinds=("id",), is_webspace=True)
    made = req.ctx.panel.databases.create(
        req.identity,
        ws,
        name=(render.text_of(op, "name") or "").strip(),
        type=(render.text_of(op, "type") or "").strip(),
        server_id=int(render.text_of(op, "db-server-id") or 0),
    )
    return [render.ok([("id", made.id)])]


def get_db(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """Per database: ``filter-id``, ``id``, ``name``, ``type``, ``webspace-id``,
    ``db-server-id``, ``default-user-id``."""
    return DATABASES.read(
        req,
        op,
        lambda d: [
            ("id", d.id),
            ("name", d.name),
            ("type", d.type),
            ("webspace-id", d.domain_id),
            ("db-server-id", d.server_id),
            ("default-user-id", d.default_user_id),
            *_custom_host(req, d),
        ],
    )


def del_db(req: Request, op: etree._Element) -> list[etree._Element]:
    return DATABASES.change(req, op, partial(req.ctx.panel.databases.delete, req.identity))


def _access(op: etree._Element) -> DbUserAccess:
    acl, allowed = op.find("acl"), op.find("allow-access-from")
    role = render.text_of(op, "role")
    return DbUserAccess(
        acl=None if acl is None else [h.text or "" for h in acl.findall("host")],
        allow_access_from=(
            None if allowed is None else [a.text or "" for a in allowed.findall("ip-address")]
        ),
        role=role.strip() if role is not None else None,
    )


def _password_type(op: etree._Element) -> str | None:
    """The schema puts it only after a password."""
    kind = render.text_of(op, "password-type")
    return kind.strip() if kind is not None else None


def _target(req: Request, op: etree._Element) -> Db | tuple[Domain, int]:
    """The database of ``db-id`` (a ``webspace-id`` or ``db-server-id`` given with it
    must be its own); without it, the subscription and server of a user of every
    database of that subscription on that server."""
    panel = req.ctx.panel
    ws_id, server_id = render.text_of(op, "webspace-id"), render.text_of(op, "db-server-id")
    db_id = render.text_of(op, "db-id")
    ws: Domain | None = None
    if ws_id is not None:
        ws = reach.domain_of(req, op, "webspace-", kinds=("id",), is_webspace=True)
    if server_id is not None and panel.databases.server(int(server_id)) is None:
        raise NotFound(SERVER_NOT_FOUND)
    if db_id is None:
        if ws is None or server_id is None:
            raise InvalidValue("A database user needs db-id, or webspace-id and db-server-id")
        return ws, int(server_id)
    database = required(_db(req, db_id), DB_NOT_FOUND)
    if ws_id is not None and int(ws_id) != database.domain_id:
        raise InvalidValue(f"The database {database.id} is not in the webspace {ws_id}")
    if server_id is not None and int(server_id) != database.server_id:
        raise InvalidValue(f"The database {database.id} is not on the server {server_id}")
    return database


def add_db_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``db-id``?, ``webspace-id``?, ``db-server-id``?, ``login``, ``password``,
    ``password-type``?, ``acl``?, ``allow-access-from``?, ``role``? ->
    ``result/{status, id}``."""
    dbs = req.ctx.panel.databases
    login = (render.text_of(op, "login") or "").strip()
    password = render.text_of(op, "password") or ""
    kind, access = _password_type(op), _access(op)
    target = _target(req, op)
    if isinstance(target, Db):
        made = dbs.add_user(
            req.identity, target, login=login, password=password, password_type=kind,
            access=access,
        )  # fmt: skip
    else:
        made = dbs.add_subscription_user(
            req.identity, *target, login=login, password=password, password_type=kind,
            access=access,
        )  # fmt: skip
    return [render.ok([("id", made.id)])]


def _rules(u: DbUser) -> list[render.Field]:
    """What was kept of the user's access rules, in Plesk's order."""
    fields: list[render.Field] = []
    if u.acl is not None:
        fields.append(("acl", render.element("acl", [("host", h) for h in u.acl])))
    if u.allow_access_from is not None:
        fields.append(
            (
                "allow-access-from",
                render.element(
                    "allow-access-from", [("ip-address", a) for a in u.allow_access_from]
                ),
            )
        )
    fields.append(("role", u.role))
    return fields


def get_db_users(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """Per user: ``filter-id``, ``id``, ``login``, ``db-id`` (none for a user of every
    database of a subscription), then the access rules kept (never a password)."""
    return USERS.read(
        req,
        op,
        lambda u: [
            ("id", u.id),
            ("login", u.login),
            ("db-id", u.database_id),  # None (left out): a subscription's
            *_rules(u),
        ],
    )


def set_db_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``id``, ``login``?, ``password``?, ``password-type``?, ``acl``?,
    ``allow-access-from``?, ``role``? -> ``result/{status}``."""
    user = required(_user(req, render.text_of(op, "id") or ""), USER_NOT_FOUND)
    login = render.text_of(op, "login")
    req.ctx.panel.databases.set_user(
        req.identity,
        user,
        login=login.strip() if login is not None else None,
        password=render.text_of(op, "password"),
        password_type=_password_type(op),
        access=_access(op),
    )
    return [render.ok()]


def del_db_user(req: Request, op: etree._Element) -> list[etree._Element]:
    return USERS.change(req, op, partial(req.ctx.panel.databases.delete_user, req.identity))


def set_default_user(req: Request, op: etree._Element) -> list[etree._Element]:
    """``db-id``, ``default-user-id`` -> ``result/{status}``."""
    database = required(_db(req, render.text_of(op, "db-id") or ""), DB_NOT_FOUND)
    user = required(_user(req, render.text_of(op, "default-user-id") or ""), USER_NOT_FOUND)
    req.ctx.panel.databases.set_default_user(req.identity, database, user)
    return [render.ok()]


def get_default_user(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """Per database: ``filter-id`` (the db id), ``id`` (its default user, absent for none)."""
    return DEFAULT_USERS.read(req, op, lambda d: [("id", d.default_user_id or None)])


def _custom_host(req: Request, d: Db) -> list[render.Field]:
    """``custom-host`` after the rest, once set (database/set-custom-host)."""
    host = req.ctx.panel.database_placement.custom_host(d)
    return [("custom-host", host)] if host else []


def assign_to_subscription(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``webspace-id``: each database moves to that subscription."""
    panel = req.ctx.panel
    target = panel.domains.get(req.identity, int(render.text_of(op, "webspace-id") or "0"))
    if target is None or not target.is_webspace:
        raise NotFound(WEBSPACE_NOT_FOUND)
    return DATABASES.change(
        req, op, lambda d: panel.database_placement.assign(req.identity, d, target)
    )


def set_custom_host(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``, ``custom-host`` (empty: none)."""
    host = render.text_of(op, "custom-host") or ""
    placement = req.ctx.panel.database_placement
    return DATABASES.change(req, op, lambda d: placement.set_custom_host(req.identity, d, host))


OPERATIONS: Operator = {
    "add-db": add_db,
    "get-db": get_db,
    "del-db": del_db,
    "add-db-user": add_db_user,
    "get-db-users": get_db_users,
    "set-db-user": set_db_user,
    "del-db-user": del_db_user,
    "set-default-user": set_default_user,
    "get-default-user": get_default_user,
    "assign-to-subscription": assign_to_subscription,
    "set-custom-host": set_custom_host,
}
