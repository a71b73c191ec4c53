"""Operator ``server``: ``get_protos`` (everyone), ``get`` and ``create_session``.

``get`` answers the sections asked for, in Plesk's order whatever the request's
order (the schema keeps it anyway); an empty ``get`` answers them all. Only the
admin reads the server; ``create_session`` is for whoever manages the login.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from panelkey.core.access.sessions import DATA, IDLE_TIMEOUT
from panelkey.core.domains import stats
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.server.catalogue import COMPONENTS, SHELLS, SITE_ISOLATION
from panelkey.core.server.settings import SERVICES_STATE
from panelkey.xmlapi import render
from panelkey.xmlapi.parsing import SUPPORTED_VERSIONS
from panelkey.xmlapi.request import Operator, Request, no_store
from panelkey.xmlapi.select import values
from panelkey.xmlapi.values import boolean


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


def _name_values(tag: str, child: str, pairs: list[tuple[str, str]]) -> etree._Element:
    return render.element(
        tag, [(child, render.element(child, [("name", n), ("value", v)])) for n, v in pairs]
    )


def _key(req: Request, asked: etree._Element | None = None) -> list[etree._Element]:
    """The license keys (panelkey's own until REST POST /server/license installs one; its
    id from the digest, its activation code; never the key itself): the main key, or
    those `key/filter` names (by id or name, all, main, additional)."""
    guid = req.ctx.info.guid
    keys = req.ctx.panel.server.keys(f"PANELKEY.{guid[:8].upper()}.{guid[9:13].upper()}")
    found = asked.find("filter") if asked is not None else None
    rules = [] if found is None else render.children(found)
    picked = [k for k in keys if k.main]
    if rules:
        # one kind per filter (the schema's choice), any number of ids or names
        tag = str(rules[0].tag)
        names = {name.lower() for name in values(found, tag)}
        picked = [
            k
            for k in keys
            if tag == "all"
            or (tag == "main" and k.main)
            or (tag == "additional" and not k.main)
            or (tag in ("id", "name") and k.key_id.lower() in names)
        ]
    version = req.ctx.info.version
    return [_name_values("key", "property", k.properties(version)) for k in picked]


def _gen_info(req: Request) -> etree._Element:
    info = req.ctx.info
    return render.element(
        "gen_info",
        [("server_name", info.hostname), ("server_guid", info.guid), ("mode", "standard")],
    )


def _components(req: Request) -> etree._Element:
    items = [("psa", req.ctx.info.version), *COMPONENTS]
    return render.element(
        "components",
        [
            ("component", render.element("component", [("name", n), ("version", v)]))
            for n, v in items
        ],
    )


def _stat(req: Request) -> etree._Element:
    facts = stats.host_facts(str(req.ctx.settings.data_dir))
    objects = render.element("objects", stats.count_objects(req.ctx.panel.db))
    version = render.element(
        "version",
        [
            ("plesk_name", "psa"),
            ("plesk_version", req.ctx.info.version),
            ("plesk_os", facts["os"]),
            ("plesk_os_version", facts["os_release"]),
            ("plesk_build", req.ctx.info.version),
            ("os_release", facts["os_release"]),
        ],
    )
    other = render.element(
        "other",
        [
            ("cpu", facts["cpu"]),
            ("uptime", facts["uptime"]),
            ("inside_vz", boolean(facts["inside_vz"])),
        ],
    )
    l1, l5, l15 = facts["load_avg"]
    disk = facts["disk"]
    device = render.element(
        "device",
        [
            ("name", disk["name"]),
            ("total", disk["total"]),
            ("size", disk["used"]),
            ("free", disk["free"]),
        ],
    )
    return render.element(
        "stat",
        [
            ("objects", objects),
            ("version", version),
            ("other", other),
            ("load_avg", render.element("load_avg", [("l1", l1), ("l5", l5), ("l15", l15)])),
            ("mem", render.element("mem", list(facts["mem"].items()))),
            ("swap", render.element("swap", list(facts["swap"].items()))),
            ("diskspace", render.element("diskspace", [("device", device)])),
        ],
    )


def _admin(req: Request) -> etree._Element:
    a = req.ctx.panel.accounts.admin()
    fields: list[render.Field] = []
    if a is not None:
        fields = [
            ("admin_cname", a.company),
            ("admin_pname", a.name),
            ("admin_phone", a.phone),
            ("admin_fax", a.fax),
            ("admin_email", a.email),
            ("admin_address", a.address),
            ("admin_city", a.city),
            ("admin_state", a.state),
            ("admin_pcode", a.pcode),
            ("admin_country", a.country),
            ("send_announce", "false"),
        ]
    return render.element("admin", fields)


def _interfaces(req: Request) -> etree._Element:
    names = dict.fromkeys(ip.interface for ip in req.ctx.panel.ips.list() if ip.interface)
    return render.element("interfaces", [("interface", n) for n in names])


def _services_state(req: Request) -> etree._Element:
    return render.element(
        "services_state",
        [
            ("srv", render.element("srv", [("id", i), ("title", t), ("state", "running")]))
            for i, t in SERVICES_STATE
        ],
    )


def _prefs(req: Request) -> etree._Element:
    return render.element(
        "prefs", [("stat_ttl", 3), ("traffic_accounting", 3), ("restart_apache_interval", 0)]
    )


def _shells(req: Request) -> etree._Element:
    return render.element(
        "shells",
        [("shell", render.element("shell", [("name", n), ("path", p)])) for n, p in SHELLS],
    )


def _session_setup(req: Request) -> etree._Element:
    return render.element("session_setup", [("login_timeout", IDLE_TIMEOUT // 60)])


def _site_isolation(req: Request) -> etree._Element:
    return _name_values("site-isolation-config", "property", list(SITE_ISOLATION))


def _updates(req: Request) -> etree._Element:
    return render.element(
        "updates",
        [
            ("last_installed_update", req.ctx.info.version),
            ("install_updates_automatically", "false"),
        ],
    )


def _listed(
    obj: Any, kind: str, main: bool = False, guid: str = "", parent: render.Field | None = None
) -> etree._Element:
    """One ``domain`` of Plesk's domainListOutputType: a domain, subdomain or alias."""
    fields: list[render.Field] = [
        ("id", obj.id),
        ("name", obj.name),
        ("ascii-name", obj.ascii_name),
        ("type", kind),
        ("main", boolean(main)),
        ("guid", guid),
        ("external-id", ""),
    ]
    return render.element("domain", fields + ([parent] if parent is not None else []))


def _admin_domain_list(req: Request) -> etree._Element:
    """The admin's own domains (subscriptions and sites), their subdomains and their
    aliases, as Plesk's domainListOutputType."""
    panel, actor = req.ctx.panel, req.identity
    admin = panel.accounts.admin()
    owned = panel.domains.of_owner(actor, admin.id) if admin is not None else []
    ids = {d.id for d in owned}
    items = [_listed(d, "domain", d.is_webspace, d.guid) for d in owned]
    items += [
        _listed(sub, "subdomain", parent=("parent-id", sub.domain_id))
        for sub in panel.subdomains.list(actor)
        if sub.domain_id in ids
    ]
    items += [
        _listed(a, "alias", parent=("domain-id", a.domain_id))
        for aliases in panel.site_aliases.of_sites(ids).values()
        for a in aliases
    ]
    return render.element("admin-domain-list", [("domain", i) for i in items])


def _certificates(req: Request) -> etree._Element:
    """The certificate that secures the panel: the one configured (--tls-cert, named by
    its file) or the self-signed one panelkey makes, which Plesk calls the default
    certificate; both live in the server's (the admin's) repository. panelkey runs no
    mail server, so there is no mail-server certificate to name."""
    configured = req.ctx.settings.tls_cert
    name = Path(configured).stem if configured else "default certificate"
    panel = render.element("panel", [("name", name), ("admin", "")])
    return render.element("certificates", [("panel", panel)])


# Every section of server/get, in Plesk's order (`key` answers one element per key).
SECTIONS: dict[str, Callable[[Request], etree._Element]] = {
    "gen_info": _gen_info,
    "components": _components,
    "stat": _stat,
    "admin": _admin,
    "interfaces": _interfaces,
    "services_state": _services_state,
    "prefs": _prefs,
    "shells": _shells,
    "session_setup": _session_setup,
    "site-isolation-config": _site_isolation,
    "updates": _updates,
    "admin-domain-list": _admin_domain_list,
    "certificates": _certificates,
}
# What an empty get answers: every section but the lists Plesk gives only when asked.
_ON_EMPTY = ("key", *(n for n in SECTIONS if n not in ("admin-domain-list", "certificates")))


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        raise PermissionDenied()
    asked = {str(c.tag): c for c in render.children(op)}
    wanted = set(asked) or set(_ON_EMPTY)
    fields: list[render.Field] = []
    if "key" in wanted:
        fields += [("key", k) for k in _key(req, asked.get("key"))]
    fields += [(name, make(req)) for name, make in SECTIONS.items() if name in wanted]
    return [render.ok(fields)]


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


OPERATIONS: Operator = {"get_protos": get_protos, "get": get, "create_session": create_session}
