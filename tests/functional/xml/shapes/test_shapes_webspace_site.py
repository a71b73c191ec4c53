"""Request shapes of webspace and site: each element Plesk 1.6.9.1 accepts is taken, and
its effect is read back (through the matching get, or the store where Plesk has no get
for it). Every case makes its own customer, webspaces and sites."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from panelkey.core.domains.domains import Domain
from tests.functional.xml.shapes.shapes import Case, World
from tests.functional.xml.xml_helpers import error_of

Run = Callable[[World], None]


def _pairs(parent: etree._Element | None, item: str) -> dict[str, str]:
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


def _customer(w: World, owner: str = "") -> dict[str, str]:
    login = w.fresh("cust")
    ext = w.fresh("ext-cust-")
    owner_el = f"<owner-login>{owner}</owner-login>" if owner else ""
    (r,) = w.ok(
        f"<customer><add><gen_info><pname>C {login}</pname><login>{login}</login>"
        f"<passwd>pw-{login}-1234</passwd>{owner_el}<external-id>{ext}</external-id>"
        "</gen_info></add></customer>",
        "customer/add",
    )
    return {
        "id": r.findtext("id") or "",
        "login": login,
        "guid": r.findtext("guid") or "",
        "ext": ext,
    }


def _ws(w: World, gen: str = "", body: str = "", owner: str = "") -> tuple[str, str]:
    """A new webspace (owned by `owner`, a login, or the admin): (id, name)."""
    name = w.fresh("ws") + ".example"
    owner_el = f"<owner-login>{owner}</owner-login>" if owner else ""
    (r,) = w.ok(
        f"<webspace><add><gen_setup><name>{name}</name>{owner_el}{gen}</gen_setup>{body}"
        "</add></webspace>",
        "webspace/add",
    )
    return r.findtext("id") or "", name


def _site(w: World, webspace: str, gen: str = "", body: str = "") -> tuple[str, str]:
    """A new site in webspace `webspace` (a name): (id, name). An htype leads `gen`,
    where Plesk's order puts it (before the webspace)."""
    name = w.fresh("site") + ".example"
    htype = ""
    if gen.startswith("<htype>"):
        htype, gen = gen.split("</htype>", 1)
        htype += "</htype>"
    (r,) = w.ok(
        f"<site><add><gen_setup><name>{name}</name>{htype}<webspace-name>{webspace}</webspace-name>"
        f"{gen}</gen_setup>{body}</add></site>",
        "site/add",
    )
    return r.findtext("id") or "", name


def _get(w: World, op: str, flt: str, dataset: str) -> list[etree._Element]:
    return w.ok(
        f"<{op}><get><filter>{flt}</filter><dataset>{dataset}</dataset></get></{op}>", f"{op}/get"
    )


def _one(w: World, op: str, ident: str, dataset: str) -> etree._Element:
    (r,) = _get(w, op, f"<id>{ident}</id>", dataset)
    data = r.find("data")
    assert data is not None
    return data


def _set(w: World, op: str, ident: str, values: str) -> None:
    w.ok(
        f"<{op}><set><filter><id>{ident}</id></filter><values>{values}</values></set></{op}>",
        f"{op}/set",
    )


def _domain(w: World, ident: str) -> Domain:
    admin = w.panel.accounts.admin()
    assert admin is not None
    found = w.panel.domains.get(admin.identity(), int(ident))
    assert found is not None
    return found


# -- webspace filters: owner-guid, external-id, owner-external-id ------------------------


def _plan(w: World, op: str) -> str:
    (r,) = w.ok(f"<{op}><add><name>{w.fresh('plan')}</name></add></{op}>", f"{op}/add")
    return r.findtext("guid") or ""


def _plans(w: World, wid: str) -> list[tuple[str, str | None]]:
    subs = _one(w, "webspace", wid, "<subscriptions/>")
    return [(p.findtext("plan-guid") or "", p.findtext("plan-type")) for p in subs.iter("plan")]


def _ws_filter(op: str, kind: str) -> Run:
    """`op` with a filter of `kind` reaches the customer's webspace and no other."""

    def run(w: World) -> None:
        cust = _customer(w)
        wid, name = _ws(w, f"<external-id>{w.fresh('ext-ws-')}</external-id>", owner=cust["login"])
        _ws(w)  # someone else's: the filter leaves it out
        ext = w.panel.domains.props_of(int(wid))["external-id"]
        value = {"owner-guid": cust["guid"], "external-id": ext, "owner-external-id": cust["ext"]}
        flt = f"<filter><{kind}>{value[kind]}</{kind}></filter>"
        body = {
            "get": "<dataset><gen_info/></dataset>",
            "set": "<values><gen_setup><description>by filter</description></gen_setup></values>",
            "switch-subscription": "",
            "add-subscription": "",
            "remove-subscription": "",
            "get_traffic": "",
        }.get(op, "")
        if op == "switch-subscription":
            body = f"<plan-guid>{_plan(w, 'service-plan')}</plan-guid>"
        addon = ""
        if op in ("add-subscription", "remove-subscription"):
            addon = _plan(w, "service-plan-addon")
            body = f"<plan-guid>{addon}</plan-guid>"
            if op == "remove-subscription":
                w.ok(
                    f"<webspace><add-subscription><filter><id>{wid}</id></filter>{body}"
                    "</add-subscription></webspace>",
                    "webspace/add-subscription",
                )
        found = w.ok(f"<webspace><{op}>{flt}{body}</{op}></webspace>", f"webspace/{op}")
        assert [r.findtext("id") for r in found] == [wid]
        assert found[0].findtext("filter-id") == value[kind]
        if op == "get":
            assert found[0].findtext("data/gen_info/name") == name
        elif op == "set":
            assert _one(w, "webspace", wid, "<gen_info/>").findtext("gen_info/description") == (
                "by filter"
            )
        elif op == "del":
            (gone,) = w.call(
                f"<webspace><get><filter><id>{wid}</id></filter><dataset/></get></webspace>"
            ).iter("result")
            assert error_of(gone)[0] == 1013
        elif op == "switch-subscription":
            assert [t for _g, t in _plans(w, wid)] == [None]
        elif op == "add-subscription":
            assert (addon, "addon") in _plans(w, wid)
        elif op == "remove-subscription":
            assert all(t != "addon" for _g, t in _plans(w, wid))
        elif op.startswith("get-"):
            assert found[0].find("descriptor/property") is not None
        else:
            assert found[0].find("traffic") is not None

    return run


_WS_FILTER_OPS = (
    "get",
    "set",
    "del",
    "switch-subscription",
    "add-subscription",
    "remove-subscription",
    "get-limit-descriptor",
    "get-permission-descriptor",
    "get-physical-hosting-descriptor",
    "get_traffic",
)


# -- webspace/add and webspace/set: blocks, gen_setup, hosting --------------------------


def _write(op: str) -> Callable[[World, str, str], str]:
    """A writer for webspace `op` (add/set): puts `gen` in gen_setup and `body` beside
    it (or in values); the webspace's id."""

    def run(w: World, gen: str, body: str) -> str:
        if op == "add":
            return _ws(w, gen, body)[0]
        wid, _name = _ws(w)
        _set(w, "webspace", wid, (f"<gen_setup>{gen}</gen_setup>" if gen else "") + body)
        return wid

    return run


def _ws_mail(op: str) -> Run:
    def run(w: World) -> None:
        mail = "<mail><nonexistent-user><bounce>No one here</bounce></nonexistent-user>"
        wid = _write(op)(w, "", mail + "<webmail>horde</webmail></mail>")
        got = _one(w, "webspace", wid, "<mail/>")
        assert got.findtext("mail/nonexistent-user/bounce") == "No one here"
        assert got.findtext("mail/webmail") == "horde"
        if op == "add":
            # beside a plan reference, before or after it
            guid = _plan(w, "service-plan")
            plan = f"<plan-guid>{guid}</plan-guid>"
            for body in (
                plan + "<mail><webmail>horde</webmail></mail>",
                "<mail><webmail>horde</webmail></mail>" + plan,
            ):
                wid = _ws(w, "", body)[0]
                assert _one(w, "webspace", wid, "<mail/>").findtext("mail/webmail") == "horde"
                assert [g for g, _t in _plans(w, wid)] == [guid]

    return run


def _ws_note(op: str, tag: str) -> Run:
    def run(w: World) -> None:
        wid = _write(op)(w, f"<{tag}>kept for {tag}</{tag}>", "")
        assert _one(w, "webspace", wid, "<gen_info/>").findtext(f"gen_info/{tag}") == (
            f"kept for {tag}"
        )

    return run


def _forward(w: World, data: etree._Element, htype: str) -> None:
    assert data.findtext("gen_info/htype") == htype
    assert data.findtext(f"hosting/{htype}/dest_url") == "https://elsewhere.example/"


def _hosting(op: str, write: Callable[[World, str], tuple[str, str]], form: str) -> Run:
    """`hosting/<form>` on `op` of webspace or site, read back through get."""

    def run(w: World) -> None:
        body = {
            "std_fwd": "<std_fwd><dest_url>https://elsewhere.example/</dest_url></std_fwd>",
            "frm_fwd": "<frm_fwd><dest_url>https://elsewhere.example/</dest_url></frm_fwd>",
            "none": "<none/>",
            "vrt_hst": "",
        }[form]
        ident, oper = write(w, f"<hosting>{body}</hosting>")
        data = _one(w, oper, ident, "<gen_info/><hosting/>")
        if form in ("std_fwd", "frm_fwd"):
            _forward(w, data, form)
        elif form == "none":
            assert data.findtext("gen_info/htype") == "none"
            assert data.find("hosting/none") is not None
        else:
            # an empty hosting says nothing: a webspace is made with physical hosting, a
            # site without; set changes nothing (the site was made with vrt_hst)
            hosted = oper == "webspace" or op == "set"
            assert data.findtext("gen_info/htype") == ("vrt_hst" if hosted else "none")

    return run


def _ws_hosting(op: str) -> Callable[[World, str], tuple[str, str]]:
    return lambda w, body: (_write(op)(w, "", body), "webspace")


def _limits_zero(op: str) -> Run:
    def run(w: World) -> None:
        body = "<limits><all-to-zero/><limit><name>max_db</name><value>3</value></limit></limits>"
        wid = _write(op)(w, "", body)
        limits = _pairs(_one(w, "webspace", wid, "<limits/>").find("limits"), "limit")
        assert limits["max_db"] == "3"
        assert limits["max_site"] == limits["max_box"] == "0"

    return run


def _revoke(op: str) -> Run:
    def run(w: World) -> None:
        grant = "<permission><name>manage_dns</name><value>true</value></permission>"
        wid = _write(op)(w, "", f"<permissions><revoke-all/>{grant}</permissions>")
        perms = _pairs(_one(w, "webspace", wid, "<permissions/>").find("permissions"), "permission")
        assert perms["manage_dns"] == "true"
        assert perms["manage_subdomains"] == "false"

    return run


_PREFS = {
    "outgoing-messages-domain-limit": "25",
    "icp-status": "true",
    "icp-permit": "ICP-0042",
}


def _prefs(op: str, write: Callable[[World, str], tuple[str, str]], tag: str) -> Run:
    def run(w: World) -> None:
        ident, oper = write(w, f"<prefs><{tag}>{_PREFS[tag]}</{tag}></prefs>")
        assert _one(w, oper, ident, "<prefs/>").findtext(f"prefs/{tag}") == _PREFS[tag]

    return run


def _ws_prefs(op: str) -> Callable[[World, str], tuple[str, str]]:
    return lambda w, body: (_write(op)(w, "", body), "webspace")


def _get_hosting_basic(w: World) -> None:
    wid, name = _ws(w)
    data = _one(w, "webspace", wid, "<hosting-basic/>")
    props = _pairs(data.find("hosting/vrt_hst"), "property")
    assert props["www_root"] == f"/var/www/vhosts/{name}/httpdocs"
    assert data.findtext("hosting/vrt_hst/ip_address")


def _get_empty(tag: str) -> Run:
    def run(w: World) -> None:
        wid, _name = _ws(w)
        data = _one(w, "webspace", wid, f"<gen_info/><{tag}/>")
        # panelkey installs no APS package and keeps no APS filter: the element, empty
        found = data.find(tag)
        assert found is not None and len(found) == 0
        assert [c.tag for c in data] == ["gen_info", tag]

    return run


def _disk_usage(op: str) -> Run:
    def run(w: World) -> None:
        wid, name = _ws(w)
        ident = wid if op == "webspace" else _site(w, name, "<htype>vrt_hst</htype>")[0]
        _set(w, op, ident, "<disk_usage/>")
        usage = _one(w, op, ident, "<disk_usage/>").find("disk_usage")
        assert usage is not None and usage.findtext("httpdocs") == "0"

    return run


def _set_guid(op: str) -> Run:
    def run(w: World) -> None:
        wid, name = _ws(w)
        ident = wid if op == "webspace" else _site(w, name)[0]
        guid = f"0b7e0c2e-1234-4abc-8def-{int(ident):012d}"
        _set(w, op, ident, f"<gen_setup><guid>{guid.upper()}</guid></gen_setup>")
        (r,) = _get(w, op, f"<guid>{guid}</guid>", "<gen_info/>")
        assert r.findtext("id") == ident and r.findtext("data/gen_info/guid") == guid

    return run


def _admin_as_vendor(w: World) -> None:
    reseller = w.fresh("res")
    w.ok(
        f"<reseller><add><gen-info><pname>R</pname><login>{reseller}</login>"
        f"<passwd>pw-{reseller}-1234</passwd></gen-info></add></reseller>",
        "reseller/add",
    )
    cust = _customer(w, owner=reseller)
    wid, _name = _ws(w, owner=cust["login"])
    admin = w.panel.accounts.admin()
    assert admin is not None
    before = _one(w, "webspace", wid, "<gen_info/>").findtext("gen_info/vendor-guid")
    assert before != admin.guid
    _set(w, "webspace", wid, "<gen_setup><admin-as-vendor>true</admin-as-vendor></gen_setup>")
    after = _one(w, "webspace", wid, "<gen_info/>").findtext("gen_info/vendor-guid")
    assert after == admin.guid


def _ws_cases() -> list[Case]:
    cases: list[Case] = []
    for op in _WS_FILTER_OPS:
        for kind in ("owner-guid", "external-id", "owner-external-id"):
            cases.append(
                Case(f"webspace/{op}: accept `filter/{kind}` (0..∞, string)", _ws_filter(op, kind))
            )
    for op, pre, notes in (("add", "", "0..10"), ("set", "values/", "0..11")):
        line = f"webspace/{op}: accept `{pre}"
        cases += [
            Case(f"{line}mail` (0..1, WebspaceMailPreferences)", _ws_mail(op)),
            Case(
                f"{line}gen_setup/admin-description` ({notes}, string)",
                _ws_note(op, "admin-description"),
            ),
            Case(
                f"{line}gen_setup/reseller-description` ({notes}, string)",
                _ws_note(op, "reseller-description"),
            ),
            Case(f"{line}hosting/std_fwd` (0..1, None)", _hosting(op, _ws_hosting(op), "std_fwd")),
            Case(f"{line}hosting/frm_fwd` (0..1, None)", _hosting(op, _ws_hosting(op), "frm_fwd")),
            Case(f"{line}hosting/none` (0..1, anyType)", _hosting(op, _ws_hosting(op), "none")),
            Case(
                f"webspace/{op}: `{pre}hosting/vrt_hst`: Plesk takes 0..1, panelkey 1..1",
                _hosting(op, _ws_hosting(op), "vrt_hst"),
            ),
            Case(f"{line}limits/all-to-zero` (0..1, anyType)", _limits_zero(op)),
            Case(
                f"{line}prefs/outgoing-messages-domain-limit` (0..1, string)",
                _prefs(op, _ws_prefs(op), "outgoing-messages-domain-limit"),
            ),
            Case(
                f"{line}prefs/icp-status` (0..1, boolean)", _prefs(op, _ws_prefs(op), "icp-status")
            ),
            Case(
                f"{line}prefs/icp-permit` (0..1, string)", _prefs(op, _ws_prefs(op), "icp-permit")
            ),
            Case(f"{line}permissions/revoke-all` (0..1, anyType)", _revoke(op)),
        ]
    cases += [
        Case("webspace/get: accept `dataset/hosting-basic` (0..1)", _get_hosting_basic),
        Case("webspace/get: accept `dataset/aps-filter` (0..1, anyType)", _get_empty("aps-filter")),
        Case("webspace/get: accept `dataset/packages` (0..1, anyType)", _get_empty("packages")),
        Case("webspace/set: accept `values/disk_usage` (0..1, None)", _disk_usage("webspace")),
        Case("webspace/set: accept `values/gen_setup/guid` (0..11)", _set_guid("webspace")),
        Case("webspace/set: accept `values/gen_setup/admin-as-vendor` (0..11)", _admin_as_vendor),
    ]
    return cases


# -- site ------------------------------------------------------------------------------


def _site_write(op: str) -> Callable[[World, str], tuple[str, str]]:
    """Puts `body` on a new site (add) or on an existing one (set values)."""

    def run(w: World, body: str) -> tuple[str, str]:
        _wid, ws = _ws(w)
        if op == "add":
            return _site(w, ws, "", body)[0], "site"
        sid, _name = _site(w, ws, "<htype>vrt_hst</htype>")
        _set(w, "site", sid, body)
        return sid, "site"

    return run


def _site_performance(op: str) -> Run:
    def run(w: World) -> None:
        sid, _ = _site_write(op)(w, "<performance><bandwidth>2048</bandwidth></performance>")
        perf = _one(w, "site", sid, "<performance/>").find("performance")
        assert perf is not None and perf.findtext("bandwidth") == "2048"
        # the webspace keeps its own
        base = str(_domain(w, sid).base_domain_id)
        assert _one(w, "webspace", base, "<performance/>").findtext("performance/bandwidth") == "-1"

    return run


def _site_mail(w: World) -> None:
    sid, _ = _site_write("add")(w, "<mail><webmail>horde</webmail></mail>")
    # Plesk's site/get has no mail dataset: read the stored preference
    assert w.panel.subscriptions.effective(_domain(w, sid))["mail"]["webmail"] == "horde"
    base = _domain(w, str(_domain(w, sid).base_domain_id))
    assert w.panel.subscriptions.effective(base)["mail"]["webmail"] != "horde"


def _family(w: World) -> tuple[str, str, str, str]:
    """A webspace with a parent site and a child site made under it, and an unrelated
    site: (parent id, parent name, child id, other id)."""
    _wid, ws = _ws(w)
    pid, pname = _site(w, ws)
    cid, _ = _site(w, ws, f"<parent-site-id>{pid}</parent-site-id>")
    other, _ = _site(w, ws)
    return pid, pname, cid, other


def _parent_ref(kind: str, w: World, pid: str, pname: str) -> str:
    return {"id": pid, "name": pname, "guid": _domain(w, pid).guid}[kind]


def _add_parent(kind: str) -> Run:
    def run(w: World) -> None:
        _wid, ws = _ws(w)
        pid, pname = _site(w, ws)
        ref = _parent_ref(kind, w, pid, pname)
        cid, _ = _site(w, ws, f"<parent-site-{kind}>{ref}</parent-site-{kind}>")
        found = _get(w, "site", f"<parent-site-id>{pid}</parent-site-id>", "<gen_info/>")
        assert [r.findtext("id") for r in found] == [cid]
        # a parent outside the webspace is no parent: 1013
        _w2, ws2 = _ws(w)
        root = w.call(
            f"<site><add><gen_setup><name>{w.fresh('x')}.example</name>"
            f"<webspace-name>{ws2}</webspace-name><parent-site-id>{pid}</parent-site-id>"
            "</gen_setup></add></site>"
        )
        (refused,) = root.iter("result")
        assert error_of(refused) == (1013, "Site does not exist")

    return run


def _site_filter(op: str, kind: str) -> Run:
    def run(w: World) -> None:
        pid, pname, cid, other = _family(w)
        ref = _parent_ref(kind, w, pid, pname)
        flt = f"<filter><parent-site-{kind}>{ref}</parent-site-{kind}></filter>"
        body = {
            "get": "<dataset><gen_info/></dataset>",
            "set": "<values><gen_setup><description>child</description></gen_setup></values>",
            "del": "",
        }[op]
        found = w.ok(f"<site><{op}>{flt}{body}</{op}></site>", f"site/{op}")
        assert [r.findtext("id") for r in found] == [cid]
        if op == "set":
            assert _one(w, "site", cid, "<gen_info/>").findtext("gen_info/description") == "child"
            assert _one(w, "site", other, "<gen_info/>").findtext("gen_info/description") == ""
        if op == "del":
            assert [r.findtext("id") for r in _get(w, "site", f"<id>{other}</id>", "")] == [other]
            (gone,) = w.call(
                f"<site><get><filter><id>{cid}</id></filter><dataset/></get></site>"
            ).iter("result")
            assert error_of(gone)[0] == 1013

    return run


def _site_disk_usage_get(w: World) -> None:
    _wid, ws = _ws(w)
    sid, _ = _site(w, ws, "<htype>vrt_hst</htype>")
    data = _one(w, "site", sid, "<gen_info/><disk_usage/>")
    assert [c.tag for c in data] == ["gen_info", "disk_usage"]
    assert data.findtext("disk_usage/httpdocs") == "0"


def _turn_off_action(w: World) -> None:
    _wid, ws = _ws(w)
    sid, _ = _site(w, ws)
    _set(
        w,
        "site",
        sid,
        "<gen_setup><status>16</status><turn-off-action>suspend</turn-off-action></gen_setup>",
    )
    gen = _one(w, "site", sid, "<gen_info/>")
    assert (gen.findtext("gen_info/status"), gen.findtext("gen_info/turn-off-action")) == (
        "16",
        "suspend",
    )
    _set(w, "site", sid, "<gen_setup><turn-off-action>disable</turn-off-action></gen_setup>")
    assert _one(w, "site", sid, "<gen_info/>").findtext("gen_info/turn-off-action") == "disable"
    assert _domain(w, sid).status == "disabled"


def _site_cases() -> list[Case]:
    cases: list[Case] = [
        Case(
            "site/add: accept `performance` (0..1, DomainPerformanceType)", _site_performance("add")
        ),
        Case("site/add: accept `mail` (0..1, SiteMailPreferences)", _site_mail),
        Case("site/add: accept `gen_setup/parent-site-name` (0..1, string)", _add_parent("name")),
        Case("site/add: accept `gen_setup/parent-site-id` (0..1, id_type)", _add_parent("id")),
        Case("site/add: accept `gen_setup/parent-site-guid` (0..1, string)", _add_parent("guid")),
        Case("site/get: accept `dataset/disk_usage` (0..1)", _site_disk_usage_get),
        Case("site/get: accept `dataset/performance` (0..1, anyType)", _site_performance("set")),
        Case("site/set: accept `values/disk_usage` (0..1, None)", _disk_usage("site")),
        Case(
            "site/set: accept `values/performance` (0..1, DomainPerformanceType)",
            _site_performance("set"),
        ),
        Case("site/set: accept `values/gen_setup/guid` (0..1)", _set_guid("site")),
        Case(
            "site/set: accept `values/gen_setup/turn-off-action` (0..1, turnOffAction)",
            _turn_off_action,
        ),
    ]
    for op, pre in (("add", ""), ("set", "values/")):
        line = f"site/{op}: accept `{pre}"
        write = _site_write(op)
        cases += [
            Case(
                f"{line}hosting/std_fwd` (0..1, domainSFHostingBase)",
                _hosting(op, write, "std_fwd"),
            ),
            Case(
                f"{line}hosting/frm_fwd` (0..1, domainFFHostingBase)",
                _hosting(op, write, "frm_fwd"),
            ),
            Case(f"{line}hosting/none` (0..1, anyType)", _hosting(op, write, "none")),
            Case(
                f"site/{op}: `{pre}hosting/vrt_hst`: Plesk takes 0..1, panelkey 1..1",
                _hosting(op, write, "vrt_hst"),
            ),
            Case(
                f"{line}prefs/outgoing-messages-domain-limit` (0..1, string)",
                _prefs(op, write, "outgoing-messages-domain-limit"),
            ),
            Case(f"{line}prefs/icp-status` (0..1, boolean)", _prefs(op, write, "icp-status")),
            Case(f"{line}prefs/icp-permit` (0..1, string)", _prefs(op, write, "icp-permit")),
        ]
    for op in ("get", "set", "del"):
        cases += [
            Case(f"site/{op}: accept `filter/parent-site-id` (0..∞, int)", _site_filter(op, "id")),
            Case(
                f"site/{op}: accept `filter/parent-site-name` (0..∞, string)",
                _site_filter(op, "name"),
            ),
            Case(
                f"site/{op}: accept `filter/parent-site-guid` (0..∞, string)",
                _site_filter(op, "guid"),
            ),
        ]
    return cases


CASES = [*_ws_cases(), *_site_cases()]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
