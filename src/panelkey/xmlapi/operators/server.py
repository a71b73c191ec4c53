"""Operator ``server``: the server's information, settings, services, license keys,
miscellaneous parameters, additional administrators and domain restrictions.

``get_protos`` answers everyone and ``create_session`` whoever manages the login; every
other operation is the admin's (others: 1006, from the core). ``get`` answers the
sections asked for in Plesk's order (server_answers.py); what ``set``,
``srv_man``, ``lic_install`` and the rest change, a later ``get`` shows. Plesk's output
schema answers ``lic_get_info`` (a keyType) and ``domain-restriction-list`` without a
``result``: their answers are the elements themselves.
"""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from panelkey.core.access.sessions import DATA
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError, PermissionDenied
from panelkey.core.server.license import KEY_NOT_FOUND
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.server_answers import (
    ON_EMPTY,
    SECTIONS,
    key_info,
    key_type,
    keys_of,
    own_key_id,
    server_change,
)
from panelkey.xmlapi.versions import SUPPORTED_VERSIONS

__all__ = ["OPERATIONS", "SECTIONS"]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


_PROTOS = tuple(sorted(SUPPORTED_VERSIONS, key=_version_key))
# The same for every caller: written once rather than 30-odd elements per request.
_PROTOS_RESULT = render.result_bytes(
    render.ok([("protos", render.element("protos", [("proto", v) for v in _PROTOS]))])
)


@no_store
def get_protos(req: Request, op: etree._Element) -> list[bytes]:
    return [_PROTOS_RESULT]


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        raise PermissionDenied()
    asked = {str(c.tag): c for c in render.children(op)}
    wanted = set(asked) or set(ON_EMPTY)
    fields: list[render.Field] = []
    if "key" in wanted:
        fields += [("key", k) for k in keys_of(req, asked.get("key"))]
    fields += [(name, make(req)) for name, make in SECTIONS.items() if name in wanted]
    return [render.ok(fields)]


def set_(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.server_setup.change(req.identity, server_change(op))
    return [render.ok()]


def initial_setup(req: Request, op: etree._Element) -> list[etree._Element]:
    name = render.text_of(op, "server_name")
    done = req.ctx.panel.server_setup.initial_setup(
        req.identity, server_change(op), name.strip() if name is not None else None
    )
    return [render.ok([("server_name", done)])]


def srv_man(req: Request, op: etree._Element) -> list[etree._Element]:
    service = (op.findtext("id") or "").strip()
    try:
        req.ctx.panel.services.manage(req.identity, service, op.findtext("operation") or "")
    except PanelkeyError as exc:
        return [render.error(exc, [("id", service)])]
    return [render.ok([("id", service)])]


def reboot(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.services.reboot(req.identity)
    return [render.ok()]


def clean_mail_queue(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.services.clean_mail_queue(req.identity)
    return [render.ok()]


# ---- license keys ------------------------------------------------------------------------


def _key_text(op: etree._Element) -> bytes:
    """The key file of a request (base64, checked by the schema), or the activation code
    standing for it."""
    text = op.findtext("license")
    if text is not None:
        return base64.b64decode("".join(text.split()))
    return (op.findtext("activation-code") or "").strip().encode()


def lic_install(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.licenses.install(
        req.identity,
        _key_text(op),
        code=(op.findtext("activation-code") or "").strip(),
        additional=op.find("additional_key") is not None,
        instance_id=(op.findtext("instance-id") or "").strip(),
    )
    return [render.ok()]


def lic_update(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.licenses.update(req.identity, op.findtext("filter/key-id") or "")
    return [render.ok()]


def lic_get_info(req: Request, op: etree._Element) -> list[etree._Element]:
    facts, installed = req.ctx.panel.licenses.describe(req.identity, _key_text(op))
    additional = installed is not None and installed.additional
    kind = "additional" if additional else "main"
    return key_type(req, facts.key_id, kind, facts.lim_date, additional)


def _names(op: etree._Element) -> list[str]:
    return [(n.text or "").strip() for n in op.findall("filter/name")]


def get_additional_key(req: Request, op: etree._Element) -> list[etree._Element]:
    results: list[etree._Element] = []
    for name, key in req.ctx.panel.licenses.additional(req.identity, _names(op)):
        if key is None:
            results.append(render.error(_unknown_key(), [("name", name)]))
        else:
            results.append(render.ok([("name", key.full_name), ("key_info", key_info(key))]))
    return results


def remove_additional_key(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.licenses.remove_additional(req.identity, _names(op))
    return [render.ok()]


def renew_additional_key(req: Request, op: etree._Element) -> list[etree._Element]:
    return [
        render.ok([("name", key.full_name)])
        if key is not None
        else render.error(_unknown_key(), [("name", name)])
        for name, key in req.ctx.panel.licenses.renew_additional(req.identity, _names(op))
    ]


def _unknown_key() -> PanelkeyError:
    return NotFound(KEY_NOT_FOUND)


def license_rollback_key(req: Request, op: etree._Element) -> list[etree._Element]:
    back = req.ctx.panel.licenses.rollback(req.identity)
    return [render.ok([("key-id", back.key_id if back is not None else own_key_id(req))])]


def license_retrieve_keys(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.licenses.retrieve(req.identity)
    return [render.ok()]


# ---- miscellaneous parameters ------------------------------------------------------------


def _misc_names(op: etree._Element) -> list[str]:
    return [p.findtext("name") or "" for p in op.findall("filter/property")]


def _property(name: str, value: str | None = None) -> etree._Element:
    return render.element("property", [("name", name), ("value", value)])


def set_misc(req: Request, op: etree._Element) -> list[etree._Element]:
    pairs = [
        (p.findtext("name") or "", p.findtext("value") or "") for p in op.findall("filter/property")
    ]
    req.ctx.panel.misc.set(req.identity, pairs)
    return [render.ok([("property", _property(n))]) for n, _ in pairs]


def get_misc(req: Request, op: etree._Element) -> list[etree._Element]:
    results: list[etree._Element] = []
    for name in _misc_names(op):
        try:
            value = req.ctx.panel.misc.get(req.identity, name)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("property", _property(name))]))
        else:
            results.append(render.ok([("property", _property(name, value))]))
    return results


def del_misc(req: Request, op: etree._Element) -> list[etree._Element]:
    results: list[etree._Element] = []
    for name in _misc_names(op):
        try:
            req.ctx.panel.misc.delete(req.identity, name)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("property", _property(name))]))
        else:
            results.append(render.ok([("property", _property(name))]))
    return results


def set_ppb_connection(req: Request, op: etree._Element) -> list[etree._Element]:
    remote = op.findtext("connection/ppb-remote")
    req.ctx.panel.billing.set(
        req.identity,
        op.findtext("connection/ppb-url") or "",
        op.findtext("connection/remote-access-hash") or "",
        op.findtext("connection/integration-api-version") or "",
        None if remote is None else remote.strip() == "true",
    )
    return [render.ok()]


# ---- additional administrators -----------------------------------------------------------


def _alias_data(op: etree._Element) -> dict[str, str]:
    data = op.find("data")
    return {str(c.tag): c.text or "" for c in render.children(data)} if data is not None else {}


def _alias_logins(op: etree._Element) -> list[str]:
    return [(x.text or "").strip() for x in op.findall("filter/login")]


def add_admin_alias(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.admin_aliases.add(req.identity, _alias_data(op))
    return [render.ok()]


def set_admin_alias(req: Request, op: etree._Element) -> list[etree._Element]:
    data = _alias_data(op)
    for login in _alias_logins(op):
        req.ctx.panel.admin_aliases.update(req.identity, login, data)
    return [render.ok()]


def del_admin_alias(req: Request, op: etree._Element) -> list[etree._Element]:
    for login in _alias_logins(op):
        req.ctx.panel.admin_aliases.delete(req.identity, login)
    return [render.ok()]


# ---- domain restrictions -----------------------------------------------------------------


def domain_restriction_add(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.domain_restrictions.add(req.identity, op.findtext("name") or "")
    return [render.ok()]


def domain_restriction_remove(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.domain_restrictions.remove(req.identity, op.findtext("name") or "")
    return [render.ok()]


def domain_restriction_rename(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.domain_restrictions.rename(
        req.identity, op.findtext("name") or "", op.findtext("new-name") or ""
    )
    return [render.ok()]


def domain_restriction_list(req: Request, op: etree._Element) -> list[etree._Element]:
    restrictions = req.ctx.panel.domain_restrictions
    names = restrictions.list(req.identity)
    return [_text("enable", "1" if restrictions.enabled() else "0")] + [
        _text("name", n) for n in names
    ]


def _text(tag: str, text: str) -> etree._Element:
    made = etree.Element(tag)
    made.text = text
    return made


def domain_restriction_enable(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.domain_restrictions.enable(req.identity, True)
    return [render.ok()]


def domain_restriction_disable(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.domain_restrictions.enable(req.identity, False)
    return [render.ok()]


# ---- sessions ----------------------------------------------------------------------------


def _base64_text(text: str | None, what: str) -> str:
    """Plesk's clients send create_session's data base64-encoded; plain text is taken
    as it is when it does not decode."""
    value = (text or "").strip()
    if not value:
        return ""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8").strip()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        if what == "user_ip" and not any(c in value for c in ".:"):
            raise InvalidValue(f"Invalid {what}") from None
        return value


def create_session(req: Request, op: etree._Element) -> list[etree._Element]:
    data = op.find("data")
    given = (
        {str(c.tag): _base64_text(c.text, str(c.tag)) for c in render.children(data)}
        if data is not None
        else {}
    )
    session_id, _ = req.ctx.panel.sessions.create(
        req.identity,
        op.findtext("login") or "",
        user_ip=given.get("user_ip", ""),
        source_server=given.get("source_server", ""),
        data={k: v for k, v in given.items() if k in DATA},
        contact={"email": given.get("c_email", ""), "phone": given.get("c_phone", "")},
    )
    return [render.ok([("id", session_id)])]


OPERATIONS: Operator = {
    "get_protos": get_protos,
    "get": get,
    "set": set_,
    "srv_man": srv_man,
    "lic_install": lic_install,
    "lic_update": lic_update,
    "initial_setup": initial_setup,
    "get_additional_key": get_additional_key,
    "remove_additional_key": remove_additional_key,
    "renew_additional_key": renew_additional_key,
    "set_misc": set_misc,
    "get_misc": get_misc,
    "create_session": create_session,
    "del_misc": del_misc,
    "set-ppb-connection": set_ppb_connection,
    "reboot": reboot,
    "license-rollback-key": license_rollback_key,
    "license-retrieve-keys": license_retrieve_keys,
    "lic_get_info": lic_get_info,
    "clean-mail-queue": clean_mail_queue,
    "add-admin-alias": add_admin_alias,
    "set-admin-alias": set_admin_alias,
    "del-admin-alias": del_admin_alias,
    "domain-restriction-add": domain_restriction_add,
    "domain-restriction-remove": domain_restriction_remove,
    "domain-restriction-list": domain_restriction_list,
    "domain-restriction-rename": domain_restriction_rename,
    "domain-restriction-enable": domain_restriction_enable,
    "domain-restriction-disable": domain_restriction_disable,
}
