"""`/ftpusers`: Plesk's FtpUser shapes over the core's FTP users
(`core/content/ftp_users.py`), the same ones XML `ftp-user` reads and writes.

An FTP user belongs to a subscription: `parent_domain` names a domain (id, name or
guid); a site stands for its subscription, and answers carry the subscription's id.
Plesk's quirk kept: `POST /ftpusers` answers 200 with the FtpUser. Passwords are
never answered.
"""

from __future__ import annotations

from typing import Any

from panelkey.core import patterns
from panelkey.core.content.ftp_users import NOT_FOUND, FtpUser
from panelkey.rest import jsonschema as js
from panelkey.rest.errors import ApiError, not_found
from panelkey.rest.resources import SUCCESS, Answer, Call, Query, Resource
from panelkey.rest.resources.domains import find_domain

# -- handlers -------------------------------------------------------------------------------


def _flag(value: bool) -> str:
    return "true" if value else "false"


def ftp_user_dict(u: FtpUser) -> dict[str, Any]:
    """Plesk's FtpUser, its permissions spelled as Plesk's strings "true" and "false"."""
    return {
        "id": u.id,
        "name": u.name,
        "home": u.home,
        "quota": u.quota,
        "permissions": {"read": _flag(u.read), "write": _flag(u.write)},
        "parent_domain": u.domain_id,
    }


def _user(c: Call) -> FtpUser:
    found = c.ctx.panel.ftp_users.by_name(c.identity, str(c.params["name"]))
    if found is None:
        raise ApiError(404, NOT_FOUND)
    return found


def _changes(b: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: b[k] for k in ("name", "password", "home", "quota") if k in b}
    perms = b.get("permissions") or {}
    for key in ("read", "write"):
        if key in perms:
            # Plesk's "true"/"false", or JSON's true/false (the schema let only these by).
            values[key] = perms[key] in (True, "true")
    return values


def list_ftp_users(c: Call) -> Answer:
    """`?domain=` narrows to that domain's subscription, `?name=` to one login."""
    users = c.ctx.panel.ftp_users
    domain = c.query.get("domain")
    if domain is not None:
        found = c.ctx.panel.domains.by_name(c.identity, domain)
        if found is None:
            raise not_found("Domain")
        listed = users.list(c.identity, found)
    else:
        listed = users.list(c.identity)
    name = c.query.get("name")
    if name is not None:
        listed = [u for u in listed if u.name == name]
    return 200, (ftp_user_dict(u) for u in listed)


def create_ftp_user(c: Call) -> Answer:
    b = c.body
    parent = find_domain(c, b["parent_domain"])
    if parent is None:
        raise not_found("Domain")
    values = _changes(b)
    made = c.ctx.panel.ftp_users.create(
        c.identity,
        parent,
        name=values["name"],
        password=values["password"],
        home=values.get("home"),
        quota=values.get("quota", -1),
        read=values.get("read", True),
        write=values.get("write", False),
    )
    return 200, ftp_user_dict(made)  # Plesk answers 200, not 201


def update_ftp_user(c: Call) -> Answer:
    c.ctx.panel.ftp_users.update(c.identity, _user(c), _changes(c.body))
    return 200, SUCCESS


def delete_ftp_user(c: Call) -> Answer:
    c.ctx.panel.ftp_users.delete(c.identity, _user(c))
    return 200, SUCCESS


# -- schemas --------------------------------------------------------------------------------

# Plesk's document and answers spell FTP permissions as the strings "true" and "false".
_FLAG = js.string(enum=["true", "false"])
# Requests take Plesk's strings, and JSON's true and false as well.
_FLAG_GIVEN: js.Schema = {"anyOf": [_FLAG, {"type": "boolean"}]}
_PERMISSIONS = 'Read and write access to the home directory: "true" or "false"'
_FIELDS: dict[str, js.Schema] = {
    "name": js.FTP_LOGIN,
    "password": js.PASSWORD,
    "home": js.string(
        "Below the domain's root; default: the root",
        maxLength=patterns.FTP_HOME_MAX,
        pattern=patterns.FTP_HOME,
    ),
    "quota": js.integer(minimum=-1),
    "permissions": js.obj(
        {"read": _FLAG_GIVEN, "write": _FLAG_GIVEN},
        description=f"{_PERMISSIONS} (JSON's true and false are taken too)",
    ),
}
SCHEMAS: dict[str, js.Schema] = {
    "FtpUser": js.obj(
        {
            "id": js.ID,
            "name": js.string(),
            "home": js.string(),
            "quota": js.integer("Bytes; 0 is unlimited", minimum=-1),
            "permissions": js.obj({"read": _FLAG, "write": _FLAG}, description=_PERMISSIONS),
            "parent_domain": js.integer("The domain's id", minimum=1),
        },
        ("id", "name", "home", "quota", "permissions", "parent_domain"),
    ),
    "FtpUserRequest": js.obj(
        {
            **_FIELDS,
            "quota": js.integer("Bytes; 0 or -1 is unlimited", minimum=-1),
            "parent_domain": js.ref("DomainReference"),
        },
        ("name", "password", "parent_domain"),
    ),
    "FtpUserUpdateRequest": js.obj(_FIELDS),
}

# -- routes ---------------------------------------------------------------------------------

_R = Resource(("FtpUsers",), "ftp-user")
_FILTERS = (
    Query("name", "Filter data by user name"),
    Query("domain", "Filter data by domain name"),
)
_ONE = "/ftpusers/{name}"
ROUTES = (
    _R.get("/ftpusers", list_ftp_users, "List FTP users", js.many("FtpUser"), query=_FILTERS),
    _R.post(
        "/ftpusers", create_ftp_user, "Create FTP user", js.ref("FtpUser"), body="FtpUserRequest"
    ),
    _R.put(_ONE, update_ftp_user, "Update FTP user", js.STATUS, body="FtpUserUpdateRequest"),
    _R.delete(_ONE, delete_ftp_user, "Delete FTP user", js.STATUS),
)
