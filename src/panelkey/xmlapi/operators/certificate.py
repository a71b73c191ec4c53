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

from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.certificates import generate as make_csr
from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue
from panelkey.xmlapi import reach, render
from panelkey.xmlapi.reach import SITE_NOT_FOUND, WEBSPACE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, required, values

_SUBJECT = ("country", "state", "location", "company", "dept", "email")
# A repository by name: a subscription's, or a site's (its subscription's).
_REPOSITORIES = (
    ("webspace", reach.webspace("name"), WEBSPACE_NOT_FOUND),
    ("site", reach.domain("name"), SITE_NOT_FOUND),
)
# get-pool's filter: subscriptions or sites by id, name or guid; an empty one names none.
POOLS: Filter[Domain] = Filter(
    SITE_NOT_FOUND,
    {f"domain-{k}": one(reach.domain(k)) for k in ("id", "name", "guid")},
    echo_id=False,
)


def generate(req: Request, op: etree._Element) -> list[etree._Element]:
    """``info`` > bits, country, state, location, company, dept?, email, name+; ``PVT``?
    -> ``result/{status, csr, pvt}`` in PEM."""
    info = op.find("info")
    assert info is not None
    bits = (render.text_of(info, "bits") or "").strip()
    if not bits.isdigit() or len(bits) > 6:
        raise InvalidValue(f"Invalid key size: {bits!r}")
    made = make_csr(
        int(bits),
        values(info, "name"),
        {k: render.text_of(info, k) or "" for k in _SUBJECT},
        render.text_of(op, "PVT") or "",
    )
    return [render.ok([("csr", made.csr), ("pvt", made.private_key)])]


def _repository(req: Request, op: etree._Element) -> Domain | None:
    """The subscription (or site) named, None for ``<admin/>``; NotFound otherwise."""
    for tag, find, missing in _REPOSITORIES:
        name = render.text_of(op, tag)
        if name is not None:
            return required(find(req, name.strip()), missing)
    return None


def _keep(req: Request, op: etree._Element, *, replace: bool) -> list[etree._Element]:
    content = op.find("content")
    assert content is not None
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
    repo = _repository(req, op)
    remove_one = partial(req.ctx.panel.certificates.remove, req.identity, repo)
    return [render.outcome(partial(remove_one, name)) for name in values(flt, "name")]


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


def get_pool(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """Per ``domain-id``, ``domain-name`` or ``domain-guid``: ``result/{status,
    filter-id, certificates/certificate/name}``; with ``<admin/>``, the server pool's."""
    flt = op.find("filter")
    results: list[etree._Element | bytes] = []
    hits = POOLS.select(req, flt)
    if hits:
        results += POOLS.get(hits, lambda d: [("certificates", _pool(req, d))])
    if op.find("admin") is not None or flt is None:
        results.append(render.outcome(lambda: [("certificates", _pool(req, None))]))
    return results or [render.ok()]


OPERATIONS: Operator = {
    "generate": generate,
    "install": install,
    "update": update,
    "remove": remove,
    "get-pool": get_pool,
}
