"""Request shapes of service-plan, service-plan-addon and reseller-plan: each element Plesk
1.6.9.1 accepts is taken, and its effect is read back through the matching get."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from tests.functional.xml.shapes.shapes import Case, World

_OPERATOR = {"service": "service-plan", "addon": "service-plan-addon", "reseller": "reseller-plan"}


def _pairs(parent: etree._Element | None, item: str) -> dict[str, str]:
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


def _add(w: World, kind: str, body: str) -> str:
    """A new plan of `kind` with `body` after its name; its name."""
    name = w.fresh(f"{kind}-plan-")
    op = _OPERATOR[kind]
    w.ok(f"<{op}><add><name>{name}</name>{body}</add></{op}>", f"{op}/add")
    return name


def _set(w: World, kind: str, name: str, body: str) -> None:
    op = _OPERATOR[kind]
    w.ok(f"<{op}><set><filter><name>{name}</name></filter>{body}</set></{op}>", f"{op}/set")


def _get(w: World, kind: str, name: str, parts: str = "") -> etree._Element:
    op = _OPERATOR[kind]
    (got,) = w.ok(
        f"<{op}><get><filter><name>{name}</name></filter>{parts}</get></{op}>", f"{op}/get"
    )
    return got


def _both(kind: str, write: str) -> Callable[[World, str], str]:
    """A writer: `add` makes a plan with the body; `set` makes a bare one and sets it."""

    def run(w: World, body: str) -> str:
        if write == "add":
            return _add(w, kind, body)
        name = _add(w, kind, "")
        _set(w, kind, name, body)
        return name

    return run


# -- service-plan ------------------------------------------------------------------------


def _hosting_type(w: World) -> None:
    name = _add(w, "service", "<hosting-type>none</hosting-type>")
    got = _get(w, "service", name)
    assert got.find("hosting/none") is not None, etree.tostring(got)
    assert got.find("hosting/property") is None
    hosted = _add(w, "service", "<hosting-type>vrt_hst</hosting-type>")
    assert _pairs(_get(w, "service", hosted).find("hosting"), "property")["php"] == "true"


def _web_server(write: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        body = (
            "<web-server-settings><setting><name>nginxServeStatic</name><value>true</value>"
            "</setting><setting><name>additional-nginx-directives</name>"
            "<value>gzip on;</value></setting></web-server-settings>"
        )
        name = _both("service", write)(w, body)
        settings = _pairs(_get(w, "service", name).find("web-server-settings"), "setting")
        assert settings["nginxServeStatic"] == "true"
        assert settings["additional-nginx-directives"] == "gzip on;"
        assert settings["nginxProxyMode"] == "true"  # not given: the stock value

    return run


def _mail(write: str, tag: str, value: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        name = _both("service", write)(w, f"<mail><{tag}>{value}</{tag}></mail>")
        assert _get(w, "service", name).findtext(f"mail/{tag}") == value
        other = _add(w, "service", "")
        assert _get(w, "service", other).findtext(f"mail/{tag}") != value

    return run


def _all_to_zero(kind: str, write: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        body = "<limits><all-to-zero/><limit><name>max_db</name><value>3</value></limit></limits>"
        name = _both(kind, write)(w, body)
        limits = _pairs(_get(w, kind, name).find("limits"), "limit")
        assert limits["max_db"] == "3"
        assert limits["max_site"] == limits["disk_space"] == limits["max_box"] == "0"
        assert limits["expiration"] == "-1"

    return run


def _mailservice(write: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        name = _both("service", write)(
            w, "<preferences><mailservice>false</mailservice></preferences>"
        )
        assert _get(w, "service", name).findtext("preferences/mailservice") == "false"

    return run


def _revoke_all(kind: str, write: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        grant = "<permission><name>manage_dns</name><value>true</value></permission>"
        if write == "add":
            name = _add(w, kind, f"<permissions><revoke-all/>{grant}</permissions>")
        else:
            everything = "".join(
                f"<permission><name>{p}</name><value>true</value></permission>"
                for p in ("manage_subdomains", "manage_crontab", "manage_dns")
            )
            name = _add(w, kind, f"<permissions>{everything}</permissions>")
            _set(w, kind, name, f"<permissions><revoke-all/>{grant}</permissions>")
        perms = _pairs(_get(w, kind, name).find("permissions"), "permission")
        assert perms["manage_dns"] == "true"
        assert perms["manage_subdomains"] == perms["manage_crontab"] == "false"
        assert set(perms.values()) == {"true", "false"}

    return run


def _vrt_hst(w: World) -> None:
    name = _add(w, "service", "<hosting-type>none</hosting-type>")
    _set(
        w,
        "service",
        name,
        "<hosting><vrt_hst><property><name>php</name><value>false</value></property>"
        "<property><name>ssi</name><value>true</value></property></vrt_hst></hosting>",
    )
    props = _pairs(_get(w, "service", name).find("hosting"), "property")
    assert props["php"] == "false" and props["ssi"] == "true"


def _hosting_none(w: World) -> None:
    php = "<property><name>php</name><value>false</value></property>"
    name = _add(w, "service", f"<hosting>{php}</hosting>")
    _set(w, "service", name, "<hosting><none/></hosting>")
    got = _get(w, "service", name)
    assert got.find("hosting/none") is not None and got.find("hosting/property") is None
    # hosting again: the settings the none deleted are gone (Plesk's default answers)
    _set(w, "service", name, "<hosting><vrt_hst/></hosting>")
    _set(w, "service", name, "<hosting><vrt_hst><property><name>ssi</name><value>true</value>"
         "</property></vrt_hst></hosting>")  # fmt: skip
    props = _pairs(_get(w, "service", name).find("hosting"), "property")
    assert props["php"] == "true" and props["ssi"] == "true"


# -- reseller-plan -----------------------------------------------------------------------


def _server_ip(w: World) -> str:
    ips = w.panel.ips.list()
    assert ips, "the store has the host's addresses"
    return ips[0].address


def _ip_pool(write: str) -> Callable[[World], None]:
    def run(w: World) -> None:
        address = _server_ip(w)
        body = f"<ip-pool><ip-address>{address}</ip-address><allocate-ip>2</allocate-ip></ip-pool>"
        name = _both("reseller", write)(w, body)
        got = _get(w, "reseller", name, "<ip-pool/>")
        assert got.findtext("ip-pool/ip-address") == address
        assert got.findtext("ip-pool/allocate-ip") == "2"
        # an address that is not the server's is refused, and nothing changes
        op = "reseller-plan"
        bad = (
            f"<{op}><set><filter><name>{name}</name></filter><ip-pool><ip-address>192.0.2.250"
            f"</ip-address></ip-pool></set></{op}>"
        )
        (result,) = w.call(bad).iter("result")
        assert result.findtext("errcode") == "1013", etree.tostring(result)
        assert _get(w, "reseller", name, "<ip-pool/>").findtext("ip-pool/ip-address") == address
        # a reseller made on the plan gets the plan's addresses in its pool, shared
        login = w.fresh("rpool")
        w.ok(
            f"<reseller><add><gen-info><pname>R</pname><login>{login}</login><passwd>pw-{login}-1"
            f"</passwd></gen-info><plan-name>{name}</plan-name></add></reseller>",
            "reseller/add",
        )
        (got,) = w.ok(
            f"<reseller><get><filter><login>{login}</login></filter><dataset><ippool/>"
            "</dataset></get></reseller>",
            "reseller/get",
        )
        pool = {
            (i.findtext("ip-address"), i.findtext("ip-type")) for i in got.findall("data/ippool/ip")
        }
        assert pool == {(address, "shared")}, etree.tostring(got).decode()

    return run


def _get_ip_pool(w: World) -> None:
    name = _add(w, "reseller", "<ip-pool><allocate-ip>1</allocate-ip></ip-pool>")
    got = _get(w, "reseller", name, "<ip-pool/>")
    assert [c.tag for c in got][-1] == "ip-pool"
    assert got.find("limits") is None and got.findtext("ip-pool/allocate-ip") == "1"


def _get_packages(w: World) -> None:
    name = _add(w, "reseller", "")
    got = _get(w, "reseller", name, "<limits/><packages/>")
    assert [c.tag for c in got][-2:] == ["limits", "packages"]
    assert got.find("permissions") is None and len(got.find("packages")) == 0  # type: ignore[arg-type]


def _reseller_set_order(first: str, second: str) -> Callable[[World], None]:
    """reseller-plan/set with `first` before `second`, as Plesk orders them."""

    def run(w: World) -> None:
        name = _add(w, "reseller", "")
        new_name = w.fresh("renamed-")
        parts = {
            "limits": "<limits><limit><name>max_cl</name><value>7</value></limit></limits>",
            "permissions": (
                "<permissions><permission><name>create_domains</name><value>true</value>"
                "</permission></permissions>"
            ),
            "external-id": f"<external-id>ext-{new_name}</external-id>",
            "name": f"<name>{new_name}</name>",
        }
        _set(w, "reseller", name, parts[first] + parts[second])
        shown = new_name if "name" in (first, second) else name
        got = _get(w, "reseller", shown)
        for part in (first, second):
            if part == "limits":
                assert _pairs(got.find("limits"), "limit")["max_cl"] == "7"
            elif part == "permissions":
                perms = _pairs(got.find("permissions"), "permission")
                assert perms["create_domains"] == "true"
            elif part == "external-id":
                assert got.findtext("external-id") == f"ext-{new_name}"
            else:
                assert got.findtext("name") == new_name

    return run


_MAIL_LINES = (
    ("maillists", "boolean", "true"),
    ("outgoing-messages-mbox-limit", "string", "25"),
    ("outgoing-messages-domain-limit", "string", "unlimited"),
    ("outgoing-messages-subscription-limit", "string", "300"),
    ("outgoing-messages-enable-sendmail", "booleanWithDefault", "false"),
    ("outgoing-messages-overlimit-percent", "int", "20"),
)


def _service_cases(op: str) -> list[Case]:
    write = op.split("/")[1]
    cases = [
        Case(f"{op}: accept `web-server-settings` (0..1, webServerSettings)", _web_server(write)),
        *(
            Case(f"{op}: accept `mail/{tag}` (0..1, {kind})", _mail(write, tag, value))
            for tag, kind, value in _MAIL_LINES
        ),
        Case(f"{op}: accept `limits/all-to-zero` (0..1, anyType)", _all_to_zero("service", write)),
        Case(f"{op}: accept `preferences/mailservice` (0..1, boolean)", _mailservice(write)),
        Case(
            f"{op}: accept `permissions/revoke-all` (0..1, anyType)", _revoke_all("service", write)
        ),
    ]
    return cases


CASES = [
    Case("service-plan/add: accept `hosting-type` (0..1, None)", _hosting_type),
    *_service_cases("service-plan/add"),
    *_service_cases("service-plan/set"),
    Case("service-plan/set: accept `hosting/vrt_hst` (0..1, DomainTemplateVrtHst)", _vrt_hst),
    Case("service-plan/set: accept `hosting/none` (0..1)", _hosting_none),
    Case(
        "service-plan-addon/add: accept `permissions/revoke-all` (0..1, anyType)",
        _revoke_all("addon", "add"),
    ),
    Case(
        "service-plan-addon/set: accept `permissions/revoke-all` (0..1, anyType)",
        _revoke_all("addon", "set"),
    ),
    Case("reseller-plan/add: accept `ip-pool` (0..1, ResellerTemplateIpPoolType)", _ip_pool("add")),
    Case("reseller-plan/get: accept `ip-pool` (0..1)", _get_ip_pool),
    Case("reseller-plan/get: accept `packages` (0..1)", _get_packages),
    Case("reseller-plan/set: accept `ip-pool` (0..1, ResellerTemplateIpPoolType)", _ip_pool("set")),
    *(
        Case(
            f"reseller-plan/set: in `reseller-plan/set`: Plesk's order is {a} before {b} "
            "(panelkey wants the reverse)",
            _reseller_set_order(a, b),
        )
        for a, b in (
            ("limits", "external-id"),
            ("limits", "name"),
            ("permissions", "external-id"),
            ("permissions", "name"),
            ("external-id", "name"),
        )
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.line)
def test_plesk_accepts(shape_world: World, case: Case) -> None:
    case.run(shape_world)
