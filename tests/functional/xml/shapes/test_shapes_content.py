"""Request shapes of dns, php-handler, site-alias, ftp-user and protected-dir: each line
of request-shapes.md under those headings sends the element Plesk accepts and reads its
effect back."""

from __future__ import annotations

import pytest
from lxml import etree

from panelkey.core.domains.domains import Domain
from tests import factories
from tests.functional.xml.shapes.shapes import Case, World

SOA = ("ttl", "refresh", "retry", "expire", "minimum")


def _webspace(w: World) -> Domain:
    return factories.webspace(w.panel, w.fresh("shape") + ".example")


def _error(w: World, inner: str, path: str) -> tuple[int, str]:
    found = w.call(inner).find(path.replace("/", "/") + "/result")
    assert found is not None, etree.tostring(w.call(inner)).decode()
    assert found.findtext("status") == "error", etree.tostring(found).decode()
    return int(found.findtext("errcode") or 0), found.findtext("errtext") or ""


# -- dns ------------------------------------------------------------------------------


def _include_subdomains(w: World) -> None:
    ws = _webspace(w)
    shop = factories.site(w.panel, "shop." + ws.name, ws)
    other = _webspace(w)  # not under ws: never part of its answer
    zone_only = {
        r.findtext("data/site-id")
        for r in w.ok(
            f"<dns><get_rec><filter><site-id>{ws.id}</site-id></filter></get_rec></dns>",
            "dns/get_rec",
        )
    }
    assert zone_only == {str(ws.id)}
    for content in ("", "true"):
        found = w.ok(
            f"<dns><get_rec><filter><site-id>{ws.id}</site-id></filter>"
            f"<include-subdomains>{content}</include-subdomains></get_rec></dns>",
            "dns/get_rec",
        )
        sites = {r.findtext("data/site-id") for r in found}
        assert sites == {str(ws.id), str(shop.id)}, sites
        assert str(other.id) not in sites
        hosts = {r.findtext("data/host") for r in found}
        assert any((h or "").endswith("shop." + ws.ascii_name + ".") for h in hosts)


def _soa_pair(first: str, second: str) -> Case:
    line = f"dns/set: in `soa/`: {first} / {second} in any order"

    def run(w: World) -> None:
        ws = _webspace(w)
        wanted = {first: 7200 + SOA.index(first), second: 1209600 + SOA.index(second)}
        # Plesk's order reversed: `second` before `first`.
        soa = "".join(f"<{k}>{wanted[k]}</{k}>" for k in (second, first))
        w.ok(
            f"<dns><set><filter><site-id>{ws.id}</site-id></filter><soa>{soa}</soa></set></dns>",
            "dns/set",
        )
        (got,) = w.ok(
            f"<dns><get><filter><site-id>{ws.id}</site-id></filter><soa/></get></dns>", "dns/get"
        )
        for name, value in wanted.items():
            assert got.findtext(f"soa/{name}") == str(value), etree.tostring(got).decode()

    return Case(line, run)


# -- php-handler ----------------------------------------------------------------------


def _php_ids(w: World) -> None:
    every = [r.findtext("id") for r in w.ok("<php-handler><get/></php-handler>", "php-handler/get")]
    assert len(every) >= 2
    asked = [every[1], every[0]]
    found = w.ok(
        "<php-handler><get><filter>"
        + "".join(f"<id>{i}</id>" for i in asked)
        + "</filter></get></php-handler>",
        "php-handler/get",
    )
    assert [r.findtext("id") for r in found] == asked


# -- site-alias -----------------------------------------------------------------------


def _alias_info(w: World, alias_id: str) -> etree._Element:
    (got,) = w.ok(
        f"<site-alias><get><filter><id>{alias_id}</id></filter></get></site-alias>",
        "site-alias/get",
    )
    info = got.find("info")
    assert info is not None
    return info


def _alias_ascii_name(w: World) -> None:
    ws = _webspace(w)
    stem = w.fresh("bücher")
    name, ascii_name = f"{stem}.example", f"{stem.encode('idna').decode()}.example"
    (made,) = w.ok(
        f"<site-alias><create><site-id>{ws.id}</site-id><name>{name}</name>"
        f"<ascii-name>{ascii_name}</ascii-name></create></site-alias>",
        "site-alias/create",
    )
    info = _alias_info(w, made.findtext("id") or "")
    assert (info.findtext("name"), info.findtext("ascii-name")) == (name, ascii_name)
    # An ascii-name that is not the name's ASCII form is refused, and nothing is made.
    code, _ = _error(
        w,
        f"<site-alias><create><site-id>{ws.id}</site-id><name>other-{stem}.example</name>"
        f"<ascii-name>{ascii_name}</ascii-name></create></site-alias>",
        "site-alias/create",
    )
    assert code == 1019
    assert w.panel.site_aliases.by_name(factories.admin(w.panel), f"other-{stem}.example") is None


def _alias_with_icp(w: World, pref: str) -> tuple[Domain, str]:
    ws = _webspace(w)
    (made,) = w.ok(
        f"<site-alias><create><pref>{pref}</pref><site-id>{ws.id}</site-id>"
        f"<name>{w.fresh('icp')}.example</name></create></site-alias>",
        "site-alias/create",
    )
    return ws, made.findtext("id") or ""


def _create_icp_status(w: World) -> None:
    _ws, alias_id = _alias_with_icp(w, "<web>true</web><icp-status>true</icp-status>")
    pref = _alias_info(w, alias_id).find("pref")
    assert pref is not None
    assert pref.findtext("icp-status") == "true" and pref.findtext("web") == "true"
    _ws, plain = _alias_with_icp(w, "<web>true</web>")
    assert _alias_info(w, plain).findtext("pref/icp-status") == "false"


def _create_icp_permit(w: World) -> None:
    _ws, alias_id = _alias_with_icp(
        w, "<icp-status>false</icp-status><icp-permit>123456789</icp-permit>"
    )
    pref = _alias_info(w, alias_id).find("pref")
    assert pref is not None
    assert (pref.findtext("icp-status"), pref.findtext("icp-permit")) == ("false", "123456789")
    tags = [c.tag for c in pref]
    assert tags[-2:] == ["icp-status", "icp-permit"]


def _set_icp(w: World, pref: str) -> etree._Element:
    _ws, alias_id = _alias_with_icp(w, "<mail>true</mail>")
    (done,) = w.ok(
        f"<site-alias><set><filter><id>{alias_id}</id></filter>"
        f"<settings><pref>{pref}</pref></settings></set></site-alias>",
        "site-alias/set",
    )
    assert done.findtext("id") == alias_id
    info = _alias_info(w, alias_id)
    assert info.findtext("pref/mail") == "true"  # what set did not name is kept
    return info


def _set_icp_status(w: World) -> None:
    info = _set_icp(w, "<icp-status>true</icp-status>")
    assert info.findtext("pref/icp-status") == "true"


def _set_icp_permit(w: World) -> None:
    info = _set_icp(w, "<icp-status>true</icp-status><icp-permit>ICP-987654</icp-permit>")
    assert info.findtext("pref/icp-permit") == "ICP-987654"


# -- ftp-user -------------------------------------------------------------------------


def _ftp_user(w: World, ws: Domain, home: str = "<home>/httpdocs</home>") -> tuple[str, str]:
    name = w.fresh("ftpshape")
    (made,) = w.ok(
        f"<ftp-user><add><name>{name}</name><password>Pass-word-1234</password>{home}"
        f"<webspace-id>{ws.id}</webspace-id></add></ftp-user>",
        "ftp-user/add",
    )
    return name, made.findtext("id") or ""


def _ftp_home_optional(w: World) -> None:
    ws = _webspace(w)
    name, user_id = _ftp_user(w, ws, home="")
    (got,) = w.ok(
        f"<ftp-user><get><filter><id>{user_id}</id></filter></get></ftp-user>", "ftp-user/get"
    )
    # Plesk's default: the subscription's root.
    assert (got.findtext("name"), got.findtext("home")) == (name, "/")


def _ftp_scope(kind: str, ws: Domain) -> str:
    return (
        f"<webspace-id>{ws.id}</webspace-id>"
        if kind == "id"
        else (f"<webspace-name>{ws.name}</webspace-name>")
    )


def _ftp_get(kind: str) -> Case:
    def run(w: World) -> None:
        ws, other = _webspace(w), _webspace(w)
        mine, _ = _ftp_user(w, ws)
        _ftp_user(w, ws)
        theirs, _ = _ftp_user(w, other)
        scope = _ftp_scope(kind, ws)
        # An empty filter read in the subscription: its FTP users only.
        found = w.ok(f"<ftp-user><get><filter/>{scope}</get></ftp-user>", "ftp-user/get")
        assert len(found) == 2 and {r.findtext("webspace-id") for r in found} == {str(ws.id)}
        (got,) = w.ok(
            f"<ftp-user><get><filter><name>{mine}</name></filter>{scope}</get></ftp-user>",
            "ftp-user/get",
        )
        assert got.findtext("name") == mine
        # Another subscription's FTP user is not found there.
        code, _ = _error(
            w,
            f"<ftp-user><get><filter><name>{theirs}</name></filter>{scope}</get></ftp-user>",
            "ftp-user/get",
        )
        assert code == 1013

    return Case(f"ftp-user/get: accept `webspace-{kind}` (0..1, {_TYPE[kind]})", run)


def _ftp_set(kind: str) -> Case:
    def run(w: World) -> None:
        ws, other = _webspace(w), _webspace(w)
        mine, mine_id = _ftp_user(w, ws)
        theirs, theirs_id = _ftp_user(w, other)
        scope = _ftp_scope(kind, ws)
        values = "<values><home>/private</home></values>"
        w.ok(
            f"<ftp-user><set><filter><name>{mine}</name></filter>{values}{scope}</set></ftp-user>",
            "ftp-user/set",
        )
        assert w.panel.ftp_users.get(factories.admin(w.panel), int(mine_id)).home == "/private"  # type: ignore[union-attr]
        code, _ = _error(
            w,
            f"<ftp-user><set><filter><name>{theirs}</name></filter>{values}{scope}</set></ftp-user>",
            "ftp-user/set",
        )
        assert code == 1013
        assert w.panel.ftp_users.get(factories.admin(w.panel), int(theirs_id)).home == "/httpdocs"  # type: ignore[union-attr]

    return Case(f"ftp-user/set: accept `webspace-{kind}` (0..1, {_TYPE[kind]})", run)


def _ftp_del(kind: str) -> Case:
    def run(w: World) -> None:
        ws, other = _webspace(w), _webspace(w)
        mine, mine_id = _ftp_user(w, ws)
        theirs, theirs_id = _ftp_user(w, other)
        scope = _ftp_scope(kind, ws)
        code, _ = _error(
            w,
            f"<ftp-user><del><filter><name>{theirs}</name></filter>{scope}</del></ftp-user>",
            "ftp-user/del",
        )
        assert code == 1013
        assert w.panel.ftp_users.get(factories.admin(w.panel), int(theirs_id)) is not None
        w.ok(
            f"<ftp-user><del><filter><name>{mine}</name></filter>{scope}</del></ftp-user>",
            "ftp-user/del",
        )
        assert w.panel.ftp_users.get(factories.admin(w.panel), int(mine_id)) is None

    return Case(f"ftp-user/del: accept `webspace-{kind}` (0..1, {_TYPE[kind]})", run)


_TYPE = {"id": "id_type", "name": "string"}


# -- protected-dir --------------------------------------------------------------------


def _set_user_id(w: World) -> None:
    ws = _webspace(w)
    (pdir,) = w.ok(
        f"<protected-dir><add><site-id>{ws.id}</site-id><name>private</name></add></protected-dir>",
        "protected-dir/add",
    )
    (user,) = w.ok(
        f"<protected-dir><add-user><pd-id>{pdir.findtext('id')}</pd-id><login>visitor</login>"
        "<password>Pass-word-1234</password></add-user></protected-dir>",
        "protected-dir/add-user",
    )
    user_id = user.findtext("id") or ""
    w.ok(
        f"<protected-dir><set-user><filter><id>{user_id}</id></filter>"
        f"<values><id>{user_id}</id><login>guest</login></values></set-user></protected-dir>",
        "protected-dir/set-user",
    )
    kept = w.panel.protected_dirs.user(factories.admin(w.panel), int(user_id))
    assert kept is not None and kept.login == "guest"
    # values/id names the user the filter found: another id is refused, nothing changes.
    code, _ = _error(
        w,
        f"<protected-dir><set-user><filter><id>{user_id}</id></filter>"
        f"<values><id>{int(user_id) + 1000}</id><login>other</login></values>"
        "</set-user></protected-dir>",
        "protected-dir/set-user",
    )
    assert code == 1019
    kept = w.panel.protected_dirs.user(factories.admin(w.panel), int(user_id))
    assert kept is not None and kept.login == "guest"


CASES = [
    Case("dns/get_rec: accept `include-subdomains` (0..1, anyType)", _include_subdomains),
    *(_soa_pair(a, b) for i, a in enumerate(SOA) for b in SOA[i + 1 :]),
    Case("php-handler/get: `filter/id`: Plesk takes 0..∞, panelkey 0..1", _php_ids),
    Case("site-alias/create: accept `ascii-name` (0..1, string)", _alias_ascii_name),
    Case("site-alias/create: accept `pref/icp-status` (0..1, boolean)", _create_icp_status),
    Case("site-alias/create: accept `pref/icp-permit` (0..1, string)", _create_icp_permit),
    Case("site-alias/set: accept `settings/pref/icp-status` (0..1, boolean)", _set_icp_status),
    Case("site-alias/set: accept `settings/pref/icp-permit` (0..1, string)", _set_icp_permit),
    Case("ftp-user/add: `home`: Plesk takes 0..1, panelkey 1..1", _ftp_home_optional),
    _ftp_get("id"),
    _ftp_get("name"),
    _ftp_set("id"),
    _ftp_set("name"),
    _ftp_del("id"),
    _ftp_del("name"),
    Case("protected-dir/set-user: accept `values/id` (0..1, id_type)", _set_user_id),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
