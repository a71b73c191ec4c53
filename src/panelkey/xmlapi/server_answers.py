"""Answering operator ``server``: the sections of ``get`` in Plesk's order, the license
keys (``get``'s ``key``, ``lic_get_info``, ``get_additional_key``) and what ``set`` and
``initial_setup`` read of the administrator. What ``set`` changed is read back from the
core (core/server/setup.py, services.py, license.py), so a later ``get`` shows it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from panelkey.core.content.site_aliases import SiteAlias
from panelkey.core.content.subdomains import Subdomain
from panelkey.core.domains import stats
from panelkey.core.domains.domains import Domain
from panelkey.core.server.catalogue import COMPONENTS, SHELLS, SITE_ISOLATION
from panelkey.core.server.license import InstalledKey
from panelkey.core.server.setup import ADMIN_COLUMNS, ADMIN_EXTRA, ServerChange
from panelkey.xmlapi import render
from panelkey.xmlapi.request import Request
from panelkey.xmlapi.select import values


def _name_values(tag: str, child: str, pairs: list[tuple[str, str]]) -> etree._Element:
    return render.element(
        tag, [(child, render.element(child, [("name", n), ("value", v)])) for n, v in pairs]
    )


def keys_of(req: Request, asked: etree._Element | None = None) -> list[etree._Element]:
    """The license keys (panelkey's own until REST POST /server/license installs one; its
    id from the digest, its activation code; never the key itself): the main key, or
    those `key/filter` names (by id or name, all, main, additional)."""
    keys = req.ctx.panel.server.keys(own_key_id(req))
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
    panel, info = req.ctx.panel, req.ctx.info
    setup = panel.server_setup
    return render.element(
        "gen_info",
        [
            ("server_name", panel.server.server_name() or info.hostname),
            ("server_guid", info.guid),
            ("external-id", setup.external_id()),
            ("mode", setup.mode()),
        ],
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
        fields = [(name, getattr(a, column)) for name, column in ADMIN_COLUMNS.items()]
        fields += req.ctx.panel.server_setup.admin_extra()
    return render.element("admin", fields)


def _interfaces(req: Request) -> etree._Element:
    names = dict.fromkeys(ip.interface for ip in req.ctx.panel.ips.list() if ip.interface)
    return render.element("interfaces", [("interface", n) for n in names])


def _services_state(req: Request) -> etree._Element:
    return render.element(
        "services_state",
        [
            ("srv", render.element("srv", [("id", i), ("title", t), ("state", s)]))
            for i, t, s in req.ctx.panel.services.states()
        ],
    )


def _prefs(req: Request) -> etree._Element:
    return render.element("prefs", req.ctx.panel.server_setup.prefs())


def _shells(req: Request) -> etree._Element:
    return render.element(
        "shells",
        [("shell", render.element("shell", [("name", n), ("path", p)])) for n, p in SHELLS],
    )


def _session_setup(req: Request) -> etree._Element:
    login_timeout = req.ctx.panel.server_setup.login_timeout()
    return render.element("session_setup", [("login_timeout", login_timeout)])


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


def _admin_domain_list(req: Request) -> etree._Element:
    """The admin's own domains (subscriptions and sites), their subdomains and their
    aliases, as Plesk's domainListOutputType."""
    panel, actor = req.ctx.panel, req.identity
    admin = panel.accounts.admin()
    owned = panel.domains.of_owner(actor, admin.id) if admin is not None else []
    ids = {d.id for d in owned}
    items: list[etree._Element] = []

    def add(
        obj: Domain | Subdomain | SiteAlias, kind: str, main: bool, guid: str, *parent: render.Field
    ) -> None:
        fields: list[render.Field] = [
            ("id", obj.id),
            ("name", obj.name),
            ("ascii-name", obj.ascii_name),
            ("type", kind),
            ("main", "true" if main else "false"),
            ("guid", guid),
            ("external-id", ""),
        ]
        items.append(render.element("domain", [*fields, *parent]))

    for d in owned:
        add(d, "domain", d.is_webspace, d.guid)
    for sub in panel.subdomains.list(actor):
        if sub.domain_id in ids:
            add(sub, "subdomain", False, "", ("parent-id", sub.domain_id))
    for aliases in panel.site_aliases.of_sites(ids).values():
        for a in aliases:
            add(a, "alias", False, "", ("domain-id", a.domain_id))
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
ON_EMPTY = ("key", *(n for n in SECTIONS if n not in ("admin-domain-list", "certificates")))


def own_key_id(req: Request) -> str:
    """The id of panelkey's own key, in force while no main key is installed."""
    guid = req.ctx.info.guid
    return f"PANELKEY.{guid[:8].upper()}.{guid[9:13].upper()}"


# ---- license keys ----------------------------------------------------------------------


def key_info(key: InstalledKey) -> etree._Element:
    """An additional key as get_additional_key answers it (Plesk's additionalKeyType):
    its content is empty, since panelkey keeps only a key's digest."""
    updated = key.updated or key.installed
    return render.element(
        "key_info",
        [
            ("number", key.key_id),
            ("name", key.name),
            ("active", "true"),
            ("license_update_date", updated[:10].replace("-", "")),
            ("lim_date", key.lim_date or None),
            ("content", ""),
            *(
                ("property", render.element("property", [("name", n), ("value", v)]))
                for n, v in (("activation_code", key.code), ("linked_to", key.linked_to))
                if v
            ),
        ],
    )


def key_type(
    req: Request, key_id: str, kind: str, lim_date: str, additional: bool
) -> list[etree._Element]:
    """What lic_get_info answers (Plesk's keyType): the key's properties, its content
    (empty: a key's text is never echoed) and whether it is an additional key."""
    properties = [
        ("plesk_key_id", key_id),
        ("key_type", kind),
        ("product_version", req.ctx.info.version),
        ("lim_date", lim_date or "unlimited"),
    ]
    flag = etree.Element("additional-key")
    flag.text = "true" if additional else "false"
    return [
        *(render.element("property", [("name", n), ("value", v)]) for n, v in properties),
        render.element("content"),
        flag,
    ]


# ---- reading set and initial_setup -----------------------------------------------------


def server_change(op: etree._Element) -> ServerChange:
    """The parts of a server/set (or initial_setup) request, as the core takes them."""
    admin = op.find("admin")
    given = (
        {str(c.tag): (c.text or "").strip() for c in render.children(admin)}
        if admin is not None
        else {}
    )
    prefs_at = op.find("prefs")
    prefs = (
        {str(c.tag): (c.text or "").strip() for c in render.children(prefs_at)}
        if prefs_at is not None
        else {}
    )
    timeout = op.findtext("session_setup/login_timeout")
    return ServerChange(
        admin={k: v for k, v in given.items() if k in ADMIN_COLUMNS or k in ADMIN_EXTRA},
        password=render.text_of(op, "password"),
        prefs=prefs,
        login_timeout=int(timeout) if timeout is not None else None,
        external_id=render.text_of(op, "external-id"),
        mode=(op.findtext("mode") or "").strip() or None,
    )
