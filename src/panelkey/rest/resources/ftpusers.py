"""Handlers of `/ftpusers`: Plesk's FtpUser shapes over the core's FTP users
(`core/content/ftp_users.py`), the same ones XML `ftp-user` reads and writes.

An FTP user belongs to a subscription: `parent_domain` names a domain (id, name or
guid); a site stands for its subscription, and answers carry the subscription's id.
Plesk's quirk kept: `POST /ftpusers` answers 200 with the FtpUser. Passwords are
never answered.
"""

from __future__ import annotations

from typing import Any

from panelkey.core.content.ftp_users import NOT_FOUND, FtpUser
from panelkey.core.domains.domains import Domain
from panelkey.rest.errors import ApiError, bad_request, not_found
from panelkey.rest.handlers import SUCCESS, Answer, Call


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


def _parent(c: Call, ref: dict[str, Any]) -> Domain:
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
    if found is None:
        raise not_found("Domain")
    return found


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
    return 200, [ftp_user_dict(u) for u in listed]


def create_ftp_user(c: Call) -> Answer:
    b = c.body
    values = _changes(b)
    made = c.ctx.panel.ftp_users.create(
        c.identity,
        _parent(c, b["parent_domain"]),
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
