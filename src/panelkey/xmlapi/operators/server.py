"""Operator ``server``: ``get_protos`` (everyone), ``get`` and ``create_session``.

``get`` answers the sections asked for, in Plesk's order whatever the request's
order (the schema keeps it anyway); an empty ``get`` answers them all. Only the
admin reads the server; ``create_session`` is for whoever manages the login.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from lxml import etree

from panelkey.core import stats
from panelkey.core.catalogue import COMPONENTS, SERVICES, SHELLS, SITE_ISOLATION
from panelkey.core.errors import InvalidValue, PanelkeyError, PermissionDenied
from panelkey.core.sessions import IDLE_TIMEOUT
from panelkey.xmlapi import render
from panelkey.xmlapi.parsing import SUPPORTED_VERSIONS
from panelkey.xmlapi.request import Operator, Request, no_store


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


def _key(req: Request) -> etree._Element:
    """panelkey's own key, or the one installed by REST POST /server/license (its id from
    the digest, its activation code; never the key itself)."""
    guid = req.ctx.info.guid
    installed = req.ctx.panel.server.license()
    own = f"PANELKEY.{guid[:8].upper()}.{guid[9:13].upper()}"
    kind = "panelkey" if installed is None else "additional" if installed.additional else "main"
    code = [("activation_code", installed.code)] if installed and installed.code else []
    return _name_values(
        "key",
        "property",
        [
            ("plesk_key_id", own if installed is None else installed.key_id),
            ("key_type", kind),
            *code,
            ("product_version", req.ctx.info.version),
            ("lim_date", "unlimited"),
            ("lim_cl", "-1"),
            ("lim_dom", "-1"),
            ("lim_res", "-1"),
            ("lim_mn", "-1"),
        ],
    )


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
            ("inside_vz", "true" if facts["inside_vz"] else "false"),
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
            for i, t in SERVICES
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


# Every section of server/get, in Plesk's order.
SECTIONS: dict[str, Callable[[Request], etree._Element]] = {
    "key": _key,
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
}


def get(req: Request, op: etree._Element) -> list[etree._Element]:
    if not req.identity.is_admin:
        return [render.error(PermissionDenied())]
    asked = {str(c.tag) for c in render.children(op)} or set(SECTIONS)
    return [render.ok([(name, make(req)) for name, make in SECTIONS.items() if name in asked])]


def _base64_text(text: str | None, what: str) -> str:
    """Plesk's clients send user_ip and source_server base64-encoded; plain text is
    taken as it is when it does not decode."""
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
    try:
        user_ip = _base64_text(op.findtext("data/user_ip"), "user_ip")
        source = _base64_text(op.findtext("data/source_server"), "source_server")
        session_id, _ = req.ctx.panel.sessions.create(
            req.identity, op.findtext("login") or "", user_ip=user_ip, source_server=source
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("id", session_id)])]


OPERATIONS: Operator = {"get_protos": get_protos, "get": get, "create_session": create_session}
