"""Operator ``aps`` (the administrator's, as in Plesk): the package catalogue, packages on
the server, their download tasks, and applications installed on sites (core/aps/).

A package answers as ``package`` with ``name``, ``version``, ``release``, ``vendor``,
``packager``, ``is-uploaded``, ``is-visible`` and ``id`` (none for a catalogue entry not
on the server). The by-reseller and by-webspace lists answer, per reseller or
subscription, the packages it is offered (its app filters, core/aps/filters.py); a
subscription's answer then lists the applications installed on its sites.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from panelkey.core.accounts.accounts import Account
from panelkey.core.aps.catalogue import Entry
from panelkey.core.aps.installations import DATABASE_FIELDS, Installation
from panelkey.core.aps.packages import (
    PACKAGE_NOT_FOUND,
    TASK_NOT_FOUND,
    Package,
    Task,
)
from panelkey.core.content.subdomains import NOT_FOUND as SUBDOMAIN_NOT_FOUND
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import NotFound
from panelkey.core.identity import require_admin
from panelkey.xmlapi import accounts, blocks, render
from panelkey.xmlapi.domain_answers import WEBSPACES
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.values import boolean, flag

DOMAIN_NOT_FOUND = "Domain does not exist"
_IDENT = ("name", "version", "release", "vendor", "packager")


def _package(p: Package | Entry) -> etree._Element:
    uploaded = isinstance(p, Package) and p.uploaded
    visible = not isinstance(p, Package) or p.visible
    return render.element(
        "package",
        [
            ("name", p.name),
            ("version", p.version),
            ("release", p.release),
            ("vendor", p.vendor),
            ("packager", p.packager),
            ("is-uploaded", boolean(uploaded)),
            ("is-visible", boolean(visible)),
            ("id", p.id if isinstance(p, Package) else None),
        ],
    )


def _packages(found: Iterable[Package | Entry]) -> list[render.Field]:
    return [("package", _package(p)) for p in found]


def _ident(parent: etree._Element | None) -> dict[str, str | None]:
    assert parent is not None  # the schema requires it
    return {tag: render.text_of(parent, tag) for tag in _IDENT}


# -- the catalogue and the server's packages --------------------------------------------


def download_package(req: Request, op: etree._Element) -> list[etree._Element]:
    ident = _ident(op.find("package"))
    task = req.ctx.panel.aps_packages.download(
        req.identity, ident["name"] or "", ident["version"], ident["release"]
    )
    return [render.ok([("task-id", task.id)])]


def get_download_status(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    packages = req.ctx.panel.aps_packages
    asked = [(e.text or "").strip() for e in op.findall("filter/task-id")]
    tasks: list[tuple[str, Task | None]] = (
        [(str(t.id), t) for t in packages.tasks()] if not asked else []
    )
    for value in asked:
        found = packages.tasks(int(value))
        tasks.append((value, found[0] if found else None))
    results: list[etree._Element] = []
    for value, task in tasks:
        if task is None:
            results.append(render.error(NotFound(TASK_NOT_FOUND), [("task-id", value)]))
            continue
        # done at once: finished, with the package made, or an error (not in the catalogue)
        outcome = (
            ("package-id", task.package_id)
            if task.package_id is not None
            else ("error", f"Package {task.name} is not found in the APS catalogue")
        )
        finished = render.element("finished", [outcome])
        results.append(render.ok([("task-id", task.id), ("finished", finished)]))
    return results or [render.ok()]


def import_package(req: Request, op: etree._Element) -> list[etree._Element]:
    made = req.ctx.panel.aps_packages.import_file(
        req.identity, render.text_of(op, "filename") or ""
    )
    return [render.ok([("package-id", made.id)])]


def import_config(req: Request, op: etree._Element) -> list[etree._Element]:
    req.ctx.panel.aps_packages.import_config(req.identity, render.text_of(op, "filename") or "")
    return [render.ok()]


def _by_id(req: Request, op: etree._Element) -> list[tuple[str, Package | None]]:
    """(asked id, package or None) per `filter/package-id`; [] for an empty filter."""
    packages = req.ctx.panel.aps_packages
    return [
        ((e.text or "").strip(), packages.get(int((e.text or "0").strip())))
        for e in op.findall("filter/package-id")
    ]


def get_packages_list(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    packages = req.ctx.panel.aps_packages
    asked = _by_id(req, op)
    if not asked:
        found: list[Package | Entry] = [*packages.list()]
        if op.find("filter/all") is not None:
            found += packages.not_on_server()
        return [render.ok(_packages(found))]
    return [
        render.ok(_packages([p]))
        if p is not None
        else render.error(NotFound(PACKAGE_NOT_FOUND), [("package-id", value)])
        for value, p in asked
    ]


def set_package_properties(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    packages = req.ctx.panel.aps_packages
    visible = flag(op.findtext("properties/visible"), "visible")
    assert visible is not None  # the schema requires it
    asked = _by_id(req, op) or [(str(p.id), p) for p in packages.list()]
    results: list[etree._Element] = []
    for value, p in asked:
        if p is None:
            results.append(render.error(NotFound(PACKAGE_NOT_FOUND), [("package-id", value)]))
            continue
        packages.set_visible(req.identity, p, visible)
        results.append(render.ok([("package-id", p.id)]))
    return results or [render.ok()]


# -- installing ---------------------------------------------------------------------------


def _target(req: Request, op: etree._Element) -> tuple[Domain, int | None]:
    """The site an install names, and the subdomain when it names one. Raises NotFound."""
    panel, me = req.ctx.panel, req.identity
    domain: Domain | None = None
    sub_id = render.text_of(op, "subdomain-id")
    sub_name = render.text_of(op, "subdomain-name")
    if sub_id is not None or sub_name is not None:
        sub = (
            panel.subdomains.get(me, int(sub_id))
            if sub_id is not None
            else panel.subdomains.by_name(me, (sub_name or "").strip())
        )
        if sub is None:
            raise NotFound(SUBDOMAIN_NOT_FOUND)
        domain = panel.domains.get(me, sub.domain_id)
        if domain is None:
            raise NotFound(SUBDOMAIN_NOT_FOUND)
        return domain, sub.id
    domain_id = render.text_of(op, "domain-id")
    if domain_id is not None:
        domain = panel.domains.get(me, int(domain_id))
    else:
        domain = panel.domains.by_name(me, (render.text_of(op, "domain-name") or "").strip())
    if domain is None:
        raise NotFound(DOMAIN_NOT_FOUND)
    return domain, None


def _install_package(req: Request, op: etree._Element) -> Package:
    packages = req.ctx.panel.aps_packages
    package_id = render.text_of(op, "package-id")
    if package_id is not None:
        found = packages.get(int(package_id))
    else:
        ident = _ident(op.find("package"))
        found = packages.find(ident["name"] or "", ident["version"], ident["release"])
    if found is None:
        raise NotFound(PACKAGE_NOT_FOUND)
    return found


def install(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    domain, subdomain_id = _target(req, op)
    package = _install_package(req, op)
    db = op.find("database")
    database = (
        {}
        if db is None
        else {t: v for t in DATABASE_FIELDS if (v := render.text_of(db, t)) is not None}
    )
    req.ctx.panel.aps_installations.install(
        req.identity,
        domain,
        package,
        subdomain_id=subdomain_id,
        location=render.text_of(op, "location"),
        ssl=bool(flag(render.text_of(op, "ssl"), "ssl")),
        database=database,
        settings=blocks.pairs(op.find("settings"), "setting"),
    )
    return [render.ok()]


# -- what a reseller or a subscription is offered ----------------------------------------


def get_packages_list_by_reseller(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    filters = req.ctx.panel.aps_filters

    def fields(a: Account) -> list[render.Field]:
        return _packages(filters.offered_to_reseller(a))

    return accounts.RESELLERS.change(req, op, answer=fields)


def _installation(i: Installation) -> etree._Element:
    return render.element(
        "installation",
        [
            ("id", i.id),
            ("package-id", i.package_id),
            ("site-id", i.domain_id),
            ("subdomain-id", i.subdomain_id),
            ("location", "/" + i.location),
            ("ssl", boolean(i.ssl)),
        ],
    )


def get_packages_list_by_webspace(req: Request, op: etree._Element) -> list[etree._Element]:
    require_admin(req.identity)
    panel = req.ctx.panel

    def fields(ws: Domain) -> list[render.Field]:
        offered = _packages(panel.aps_filters.offered_to_webspace(ws))
        sites = [ws.id, *(d.id for d in panel.domains.in_webspace(req.identity, ws.id))]
        installed = [
            ("installation", _installation(i)) for i in panel.aps_installations.of_domains(sites)
        ]
        return [*offered, *installed]

    return WEBSPACES.change(req, op, answer=fields)


OPERATIONS: Operator = {
    "download-package": download_package,
    "get-download-status": get_download_status,
    "import-package": import_package,
    "get-packages-list": get_packages_list,
    "install": install,
    "import-config": import_config,
    "set-package-properties": set_package_properties,
    "get-packages-list-by-reseller": get_packages_list_by_reseller,
    "get-packages-list-by-webspace": get_packages_list_by_webspace,
}
