"""Operator ``certificate``: ``generate`` (a new key pair and CSR, kept nowhere),
``install`` and ``update`` (a certificate kept under a name), ``remove`` and
``get-pool`` (the names in a repository).

``generate`` with ``PVT`` makes the CSR for that private key rather than a new one.
``install``/``update`` take Plesk's ``ip_address`` (one of the server's addresses, else
1013; the administrator's only, else 1006): the certificate becomes that address's
certificate (its ``certificate_name``; removing it from the server pool clears it).
``get-pool`` filters subscriptions or sites by ``domain-id``, ``domain-name`` or
``domain-guid``. ``<admin>`` may hold anything, as
in Plesk's schema: its presence names the server pool.

The repository is named as Plesk names it: ``<admin/>`` for the server pool (the
administrator's only: 1006 for others), ``<webspace>`` with a subscription's name,
or ``<site>`` with a site's (its subscription's repository). A repository the caller
may not see answers 1013. A key, certificate or CA certificate that does not parse,
or a certificate that is not the key's, is 1019 and nothing is written.
"""

from __future__ import annotations

from lxml import etree

from panelkey.core.certificates import generate as make_csr
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.xmlapi import render
from panelkey.xmlapi.operators.site import SITE_NOT_FOUND, WEBSPACE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request

_SUBJECT = ("country", "state", "location", "company", "dept", "email")


def generate(req: Request, op: etree._Element) -> list[etree._Element]:
    """``info`` > bits, country, state, location, company, dept?, email, name+; ``PVT``?
    -> ``result/{status, csr, pvt}`` in PEM."""
    info = op.find("info")
    assert info is not None
    bits = (render.text_of(info, "bits") or "").strip()
    try:
        if not bits.isdigit() or len(bits) > 6:
            raise InvalidValue(f"Invalid key size: {bits!r}")
        made = make_csr(
            int(bits),
            [(n.text or "").strip() for n in info.findall("name")],
            {k: render.text_of(info, k) or "" for k in _SUBJECT},
            render.text_of(op, "PVT") or "",
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok([("csr", made.csr), ("pvt", made.private_key)])]


def _repository(req: Request, op: etree._Element) -> Domain | None:
    """The subscription (or site) named, None for ``<admin/>``; NotFound otherwise."""
    domains = req.ctx.panel.domains
    webspace, site = render.text_of(op, "webspace"), render.text_of(op, "site")
    if webspace is not None:
        found = domains.by_name(req.identity, webspace)
        if found is None or not found.is_webspace:
            raise NotFound(WEBSPACE_NOT_FOUND)
        return found
    if site is not None:
        found = domains.by_name(req.identity, site)
        if found is None:
            raise NotFound(SITE_NOT_FOUND)
        return found
    return None


def _keep(req: Request, op: etree._Element, *, replace: bool) -> list[etree._Element]:
    content = op.find("content")
    assert content is not None
    try:
        req.ctx.panel.certificates.install(
            req.identity,
            _repository(req, op),
            render.text_of(op, "name") or "",
            csr=render.text_of(content, "csr") or "",
            private_key=render.text_of(content, "pvt") or "",
            certificate=render.text_of(content, "cert") or "",
            ca=render.text_of(content, "ca") or "",
            replace=replace,
            ip_address=_ip(op),
        )
    except PanelkeyError as exc:
        return [render.error(exc)]
    return [render.ok()]


def _ip(op: etree._Element) -> str | None:
    text = render.text_of(op, "ip_address")
    return text if text is not None else render.text_of(op, "ip-address")


def install(req: Request, op: etree._Element) -> list[etree._Element]:
    """``name``, the repository, ``content`` (csr?, pvt, cert?, ca?) -> ``result/status``;
    a name already in the repository is 1007."""
    return _keep(req, op, replace=False)


def update(req: Request, op: etree._Element) -> list[etree._Element]:
    """As install, for a certificate already there (1013 otherwise)."""
    return _keep(req, op, replace=True)


def remove(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter`` (``name``+) then the repository: one result per name."""
    flt = op.find("filter")
    assert flt is not None
    try:
        repo = _repository(req, op)
    except PanelkeyError as exc:
        return [render.error(exc)]
    results: list[etree._Element] = []
    for item in flt.findall("name"):
        try:
            req.ctx.panel.certificates.remove(req.identity, repo, item.text or "")
        except PanelkeyError as exc:
            results.append(render.error(exc))
            continue
        results.append(render.ok())
    return results


def _pool(req: Request, repo: Domain | None) -> etree._Element:
    certs = req.ctx.panel.certificates
    name, _domain_id = certs.repository(req.identity, repo)
    return render.element(
        "certificates",
        [
            ("certificate", render.element("certificate", [("name", c.name)]))
            for c in certs.list(name)
        ],
    )


def get_pool(req: Request, op: etree._Element) -> list[etree._Element]:
    """Per ``domain-id``, ``domain-name`` or ``domain-guid``: ``result/{status,
    filter-id, certificates/certificate/name}``; with ``<admin/>``, the server pool's."""
    results: list[etree._Element] = []
    flt = op.find("filter")
    domains = req.ctx.panel.domains
    for item in render.children(flt) if flt is not None else []:
        asked = (item.text or "").strip()
        if item.tag == "domain-id":
            domain = domains.get(req.identity, int(asked))
        elif item.tag == "domain-guid":
            domain = domains.by_guid(req.identity, asked)
        else:
            domain = domains.by_name(req.identity, asked)
        if domain is None:
            results.append(render.error(NotFound(SITE_NOT_FOUND), [("filter-id", asked)]))
            continue
        results.append(render.ok([("filter-id", asked), ("certificates", _pool(req, domain))]))
    if op.find("admin") is not None or flt is None:
        try:
            results.append(render.ok([("certificates", _pool(req, None))]))
        except PanelkeyError as exc:
            results.append(render.error(exc))
    return results or [render.ok()]


OPERATIONS: Operator = {
    "generate": generate,
    "install": install,
    "update": update,
    "remove": remove,
    "get-pool": get_pool,
}
