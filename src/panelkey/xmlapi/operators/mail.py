"""Operator ``mail``: mail names of a site (``create``, ``update``, ``get_info``,
``remove``, ``rename``) and the site's mail service (``enable``, ``disable``).

A site the caller may not see answers 1013 ``Site does not exist``; a name that is
not on the site, 1013 ``Mail name does not exist``. ``update`` holds one of ``add``
(forwarding addresses and aliases added, values set), ``remove`` (addresses and
aliases taken away) or ``set`` (values and the lists given replaced), and answers in
an element of that name. Passwords are hashed by the core and never answered.

What panelkey runs no service for (an autoresponder, the antivirus mode, the outgoing
messages limit, a user guid) is kept and answered back by ``get_info``: the
autoresponder when asked for (``<autoresponder/>``), the others whenever set. In
``update``, ``add`` writes the autoresponder's fields given and adds its attachments,
``set`` writes them and replaces the attachments, ``remove`` forgets the fields named
(all of them for an empty ``<autoresponder/>``) and the attachments listed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial

from lxml import etree

from panelkey.core.domains.domains import Domain
from panelkey.core.errors import InvalidValue, NotFound, PanelkeyError
from panelkey.core.mail import (
    ATTACHMENTS,
    AUTORESPONDER,
    MAIL_NOT_FOUND,
    SETTINGS,
    MailChange,
    MailName,
)
from panelkey.xmlapi import blocks, reach, render
from panelkey.xmlapi.reach import SITE_NOT_FOUND
from panelkey.xmlapi.request import Operator, Request
from panelkey.xmlapi.select import Filter, one, required, values
from panelkey.xmlapi.values import boolean, flag, number


def _site(req: Request, parent: etree._Element) -> Domain:
    """The site of ``site-id`` (beside the names in a filter, or in the operation)."""
    return reach.domain_of(req, parent, kinds=("id",))


def _names(req: Request, flt: etree._Element) -> tuple[Domain, Filter[MailName]]:
    """The site of the filter's ``site-id``, and the filter of its mail names by
    ``name`` (none: all of them), read in one query; a name not on the site is a miss
    echoing the name asked."""
    site = _site(req, flt)
    asked = values(flt, "name")
    found = {m.name: m for m in req.ctx.panel.mail.list(req.identity, site, asked or None)}
    return site, Filter(
        MAIL_NOT_FOUND,
        {"name": one(lambda _req, name: found.get(name.lower()))},
        lambda _req: list(found.values()),
        echo=lambda name: [("mailname", _brief(None, name))],
        echo_id=False,
        ident=lambda m: m.name,
        beside=frozenset({"site-id"}),
    )


def _change(mailname: etree._Element, mode: str) -> MailChange:
    change = MailChange(mode=mode)
    box = mailname.find("mailbox")
    if box is not None:
        change.mailbox = flag(render.text_of(box, "enabled"), "mailbox/enabled")
        if change.mailbox is None and mode != "remove":
            change.mailbox = True  # a <mailbox> element without <enabled> turns it on
        change.quota = number(render.text_of(box, "quota"), "mailbox/quota")
    fwd = mailname.find("forwarding")
    if fwd is not None:
        change.forwarding = flag(render.text_of(fwd, "enabled"), "forwarding/enabled")
        change.forwards = [a.text or "" for a in fwd.findall("address")]
    change.aliases = [a.text or "" for a in mailname.findall("alias")]
    password = mailname.find("password")
    if password is not None:
        kind = (render.text_of(password, "type") or "plain").strip()
        if kind != "plain":
            raise InvalidValue("Only plain passwords are accepted; they are hashed here")
        value = render.text_of(password, "value")
        if value is not None:  # update/set may leave the value out: the password stays
            change.password = value
    change.description = render.text_of(mailname, "description")
    _kept(change, mailname, mode)
    return change


def _kept(change: MailChange, mailname: etree._Element, mode: str) -> None:
    """The settings kept only to answer back: written, or (``remove``) forgotten."""
    given: dict[str, str] = {}
    for name in ("user-guid", "antivir", "outgoing-messages-mbox-limit"):
        text = render.text_of(mailname, name)
        if text is not None:
            given[name] = text
    reply = mailname.find("autoresponder")
    if reply is not None:
        for field in AUTORESPONDER:
            text = render.text_of(reply, field)
            if field != "attachment" and text is not None:
                given[f"autoresponder.{field}"] = text
        files = [
            (render.text_of(a, "file-name") or render.text_of(a, "tmp-name") or "").strip()
            for a in reply.findall("attachment")
        ]
        if files:
            given[ATTACHMENTS] = json.dumps(files)
    if mode != "remove":
        change.settings = given
        return
    if ATTACHMENTS in given:
        change.settings = {ATTACHMENTS: given.pop(ATTACHMENTS)}
    if reply is not None and not render.children(reply):
        given.update({n: "" for n in SETTINGS if n.startswith("autoresponder.")})
    change.dropped = list(given)


def _brief(mail: MailName | None, name: str) -> etree._Element:
    fields: list[render.Field] = [("id", mail.id if mail is not None else None), ("name", name)]
    return render.element("mailname", fields)


def _made(req: Request, site: Domain, mailname: etree._Element) -> list[render.Field]:
    name = (render.text_of(mailname, "name") or "").strip()
    made = req.ctx.panel.mail.create(req.identity, site, name, _change(mailname, "add"))
    return [("mailname", _brief(made, made.name))]


def _failed(mailname: etree._Element) -> list[render.Field]:
    """What a result that failed names: the mail name asked."""
    return [("mailname", _brief(None, (render.text_of(mailname, "name") or "").strip()))]


def create(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``: ``site-id`` then one or more ``mailname``; one result per name."""
    flt = op.find("filter")
    assert flt is not None
    site = _site(req, flt)
    return [
        render.outcome(partial(_made, req, site, m), failed=_failed(m))
        for m in flt.findall("mailname")
    ]


def _updated(req: Request, site: Domain, mailname: etree._Element, mode: str) -> list[render.Field]:
    name = (render.text_of(mailname, "name") or "").strip()
    found = _named(req, site, mailname, name)
    out = req.ctx.panel.mail.update(req.identity, site, found, _change(mailname, mode))
    return [("mailname", _brief(out, out.name))]


def update(req: Request, op: etree._Element) -> list[etree._Element]:
    """``add`` | ``remove`` | ``set`` > ``filter`` (site-id, mailname+). The results
    answer in an element named as the step: so does an error of the whole step (a site
    out of reach), which the dispatcher would answer outside it."""
    (step,) = render.children(op)
    mode = str(step.tag)
    flt = step.find("filter")
    assert flt is not None
    answer = etree.Element(mode)
    try:
        site = _site(req, flt)
    except PanelkeyError as exc:
        answer.append(render.error(exc))
        return [answer]
    answer.extend(
        render.outcome(partial(_updated, req, site, m, mode), failed=_failed(m))
        for m in flt.findall("mailname")
    )
    return [answer]


def _named(req: Request, site: Domain, mailname: etree._Element, name: str) -> MailName:
    """The mail name an update names: by ``id`` when given (the name must be its own),
    else by name; NotFound otherwise."""
    mail = req.ctx.panel.mail
    mail_id = render.text_of(mailname, "id")
    if mail_id is None:
        found = mail.get(req.identity, site, name)
    else:
        found = mail.by_id(req.identity, site, int(mail_id.strip()))
        if found is not None and found.name != name.lower():
            raise InvalidValue(f"The mail name {mail_id.strip()} is not {name!r}")
    if found is None:
        raise NotFound(MAIL_NOT_FOUND)
    return found


def _autoresponder(mail: MailName) -> etree._Element:
    """Plesk's autoresponder element: ``enabled`` always (false until set), the rest as
    kept, attachments by file name."""
    kept = mail.settings
    fields: list[render.Field] = []
    for field in AUTORESPONDER:
        value = kept.get(f"autoresponder.{field}")
        if field == "enabled":
            fields.append(("enabled", value or "false"))
        elif field == "attachment":
            for file_name in json.loads(value or "[]"):
                fields.append(
                    ("attachment", render.element("attachment", [("file-name", file_name)]))
                )
        elif value is not None:
            fields.append((field, value))
    return render.element("autoresponder", fields)


def _info(mail: MailName, wanted: set[str]) -> etree._Element:
    fields: list[render.Field] = [("id", mail.id), ("name", mail.name)]
    if "mailbox" in wanted:
        box = render.element("mailbox", [("enabled", boolean(mail.mailbox)), ("quota", mail.quota)])
        fields.append(("mailbox", box))
    if "mailbox-usage" in wanted:
        fields.append(("mailbox-usage", 0))  # no mail is stored here
    if "forwarding" in wanted:
        fwd = render.element(
            "forwarding",
            [("enabled", boolean(mail.forwarding))] + [("address", a) for a in mail.forwards],
        )
        fields.append(("forwarding", fwd))
    if "aliases" in wanted:
        fields += [("alias", a) for a in mail.aliases]
    if "autoresponder" in wanted:
        fields.append(("autoresponder", _autoresponder(mail)))
    # Plesk's mailnameGetInfoType order: user-guid, antivir, the limit, description.
    for name in ("user-guid", "antivir", "outgoing-messages-mbox-limit"):
        fields.append((name, mail.settings.get(name)))
    if "description" in wanted:
        fields.append(("description", mail.description))
    return render.element("mailname", fields)


def get_info(req: Request, op: etree._Element) -> Sequence[etree._Element | bytes]:
    """One result per mail name (``mailname`` with what the flags ask for); a site
    without names answers one empty ok result, an unknown name 1013."""
    flt = op.find("filter")
    assert flt is not None
    wanted = {str(c.tag) for c in render.children(op) if c.tag != "filter"}
    _site_of, names = _names(req, flt)
    return names.get(names.select(req, flt), lambda m: [("mailname", _info(m, wanted))])


def remove(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter``: ``site-id`` and the names (none: every name of the site)."""
    flt = op.find("filter")
    assert flt is not None
    site, names = _names(req, flt)
    results: list[etree._Element] = []
    for hit in names.select(req, flt):
        if hit.obj is None:
            results.append(names.miss(hit))
            continue
        found = hit.obj
        results.append(
            render.outcome(
                partial(req.ctx.panel.mail.remove, req.identity, site, found),
                [("mailname", _brief(found, found.name))],
                failed=[("mailname", _brief(None, hit.filter_id))],
            )
        )
    return results or [render.ok()]


def rename(req: Request, op: etree._Element) -> list[etree._Element]:
    """``site-id``, ``name``, ``new-name``."""
    name = (render.text_of(op, "name") or "").strip()
    site = _site(req, op)
    found = required(req.ctx.panel.mail.get(req.identity, site, name), MAIL_NOT_FOUND)
    out = req.ctx.panel.mail.rename(req.identity, site, found, render.text_of(op, "new-name") or "")
    return [render.ok([("mailname", _brief(out, out.name))])]


def _set_service(req: Request, op: etree._Element, on: bool) -> list[render.Field]:
    site = _site(req, op)
    req.ctx.panel.mail.set_service(req.identity, site, on)
    return [("site-id", site.id)]


def _switch(req: Request, op: etree._Element, on: bool) -> list[etree._Element]:
    """The site's mail service on or off; an error names the ``site-id`` asked."""
    asked = (render.text_of(op, "site-id") or "").strip()
    return [render.outcome(partial(_set_service, req, op, on), failed=[("site-id", asked)])]


def enable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _switch(req, op, True)


def disable(req: Request, op: etree._Element) -> list[etree._Element]:
    return _switch(req, op, False)


def _prefs_sites(req: Request, op: etree._Element) -> list[tuple[str, Domain | None]]:
    """The filter's sites as (id given, site or None); none given: every site seen."""
    flt = op.find("filter")
    assert flt is not None  # the schema requires it
    ids = [(e.text or "").strip() for e in flt.findall("site-id")]
    if not ids:
        return [(str(d.id), d) for d in req.ctx.panel.domains.list(req.identity)]
    return [(i, req.ctx.panel.domains.get(req.identity, int(i))) for i in ids]


def get_prefs(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter/site-id``*: per site, its mail preferences in Plesk's order."""
    results: list[etree._Element] = []
    for given, site in _prefs_sites(req, op):
        try:
            if site is None:
                raise NotFound(SITE_NOT_FOUND)
            values = req.ctx.panel.mail_prefs.get(req.identity, site)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("site-id", given)]))
            continue
        prefs = blocks.render_block("prefs", "mail", values)
        results.append(render.ok([("site-id", site.id), ("prefs", prefs)]))
    return results


def set_prefs(req: Request, op: etree._Element) -> list[etree._Element]:
    """``filter/site-id``*, ``prefs``: written on each site (DKIM record included)."""
    element = op.find("prefs")
    assert element is not None  # the schema requires it
    pairs = blocks.read(element, "mail")
    results: list[etree._Element] = []
    for given, site in _prefs_sites(req, op):
        try:
            if site is None:
                raise NotFound(SITE_NOT_FOUND)
            req.ctx.panel.mail_prefs.set(req.identity, site, pairs)
        except PanelkeyError as exc:
            results.append(render.error(exc, [("site-id", given)]))
            continue
        results.append(render.ok([("site-id", site.id)]))
    return results


OPERATIONS: Operator = {
    "create": create,
    "update": update,
    "get_info": get_info,
    "remove": remove,
    "enable": enable,
    "disable": disable,
    "rename": rename,
    "get_prefs": get_prefs,
    "set_prefs": set_prefs,
}
