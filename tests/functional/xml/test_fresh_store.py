"""A fresh panelkey looks like a fresh, initialised Plesk (the admin's e-mail, the stock
plans, the first start's events; `panelkey reset` returns to exactly that), and its
settings tables are Plesk's (descriptors with type and default, PHP settings by their
php.ini names)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from panelkey.config import load_settings
from panelkey.core.panel import Panel
from panelkey.core.server import seed
from panelkey.core.server.stock import STOCK_PLANS
from tests.functional.testing.test_seed import GOOD
from tests.functional.xml.xml_helpers import BOTH, XmlClient, ok, only, results

HOSTNAME = socket.getfqdn() or socket.gethostname()


def _pairs(parent: etree._Element | None, item: str) -> dict[str, str]:
    assert parent is not None
    return {e.findtext("name") or "": e.findtext("value") or "" for e in parent.findall(item)}


def _plans(xml: XmlClient, operator: str) -> dict[str, etree._Element]:
    root = xml.call(f"<{operator}><get><filter/></get></{operator}>")
    return {r.findtext("name") or "": ok(r) for r in results(root, f"{operator}/get")}


def test_a_fresh_store_has_plesks_stock_plans_with_their_values(xml: XmlClient) -> None:
    service = _plans(xml, "service-plan")
    assert list(service) == ["Admin Simple", "Default Domain", "Unlimited", "Default Simple"]
    assert list(_plans(xml, "reseller-plan")) == ["Default Reseller"]

    domain = service["Default Domain"]
    assert domain.findtext("limits/overuse") == "block"
    limits = _pairs(domain.find("limits"), "limit")
    assert limits["max_site"] == "10" and limits["max_db"] == "10"
    assert limits["max_box"] == "100" and limits["max_maillists"] == "100"
    assert limits["disk_space"] == str(10 * 1024**3)
    assert limits["max_traffic"] == str(100 * 1024**3)
    assert limits["mbox_quota"] == str(100 * 1024**2)
    assert limits["max_subdom"] == limits["max_wu"] == "-1"
    perms = _pairs(domain.find("permissions"), "permission")
    assert perms["create_domains"] == perms["manage_dns"] == perms["manage_subftp"] == "true"
    assert perms["manage_domain_aliases"] == perms["manage_sh_access"] == "false"
    assert perms["manage_phosting"] == perms["manage_php_settings"] == "false"
    hosting = _pairs(domain.find("hosting"), "property")
    assert hosting["webstat"] == "webalizer" and hosting["errdocs"] == "true"
    assert hosting["fastcgi"] == "true" and hosting["ssl_redirect"] == "true"
    assert domain.findtext("mail/webmail") == "roundcube"
    assert domain.find("mail/nonexistent-user/reject") is not None

    unlimited = service["Unlimited"]
    assert unlimited.findtext("limits/overuse") == "normal"
    assert set(_pairs(unlimited.find("limits"), "limit").values()) == {"-1"}
    granted = _pairs(unlimited.find("permissions"), "permission")
    assert granted["manage_sh_access"] == granted["remote_db_connection"] == "true"
    assert _pairs(unlimited.find("hosting"), "property")["webstat"] == "awstats"

    simple = _pairs(service["Default Simple"].find("permissions"), "permission")
    assert simple["manage_domain_aliases"] == "true" and simple["manage_dns"] == "false"

    root = xml.call(
        "<reseller-plan><get><filter><name>Default Reseller</name></filter>"
        "<limits/><permissions/><ip-pool/></get></reseller-plan>"
    )
    reseller = ok(only(root, "reseller-plan/get"))
    assert reseller.findtext("limits/resource-policy/oversell") == "true"
    assert reseller.findtext("limits/resource-policy/overuse") == "block"
    assert _pairs(reseller.find("limits"), "limit")["mbox_quota"] == str(100 * 1024**2)
    rights = _pairs(reseller.find("permissions"), "permission")
    assert rights["create_clients"] == rights["allow_oversell"] == "true"
    assert rights["manage_sh_access"] == rights["manage_crontab"] == "false"
    assert reseller.findtext("ip-pool/allocate-ip") == "0"


def test_the_admin_has_an_email_from_the_setting(xml: XmlClient, tmp_path: Path) -> None:
    root = xml.call("<server><get><admin/></get></server>")
    assert ok(only(root, "server/get")).findtext("admin/admin_email") == f"admin@{HOSTNAME}"
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    assert settings.admin_email == f"admin@{HOSTNAME}"
    told = load_settings({"data_dir": str(tmp_path)}, environ={"PANELKEY_ADMIN_EMAIL": "a@b.test"})
    assert told.admin_email == "a@b.test"


def test_a_first_start_takes_the_admin_email_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANELKEY_ADMIN_PASSWORD", "a-first-start-password")
    first = Panel.open(f"sqlite:///{tmp_path / 'given.db'}")
    try:
        first.bootstrap(admin_email="ops@example.test")
        admin = first.accounts.admin()
        assert admin is not None and admin.email == "ops@example.test"
        assert first.bootstrap(admin_email="other@example.test") is None  # not a first start
        again = first.accounts.admin()
        assert again is not None and again.email == "ops@example.test"
    finally:
        first.close()


def test_the_action_log_holds_the_first_starts_events(xml: XmlClient, panel: Panel) -> None:
    expected = [
        ("admin_info_update", "admin"),
        *(
            (f"{'reseller' if k == 'reseller' else 'service'}_plan_create", n)
            for k, n, _ in STOCK_PLANS
        ),
    ]
    root = xml.call("<event_log><get_events/></event_log>")
    events = ok(only(root, "event_log/get_events")).findall("event")
    # get_events answers Plesk's elements only (no object names): types over XML, names
    # from the log itself
    assert [e.findtext("type") for e in events] == [t for t, _ in expected]
    assert {e.findtext("user") for e in events} == {"admin"}
    assert [(e.action, e.obj_name) for e in panel.events.list()] == expected


def _state(panel: Panel) -> dict[str, Any]:
    """Everything a first start makes, without guids and times."""
    admin = panel.accounts.admin()
    assert admin is not None
    me = admin.identity()
    plans = {
        (kind, p.id, p.name): panel.plans.effective(p)
        for kind in ("service", "addon", "reseller")
        for p in panel.plans.list(me, kind)
    }
    return {
        "accounts": [(a.login, a.type) for a in panel.accounts.list()],
        "admin": (admin.name, admin.email, admin.company, admin.phone, admin.status),
        "plans": plans,
        "events": [(e.id, e.action, e.obj_name, e.new_values) for e in panel.events.list()],
        "ips": sorted(ip.address for ip in panel.ips.list()),
    }


@pytest.mark.parametrize("database_url", BOTH, indirect=True)
def test_reset_returns_to_exactly_the_first_start(panel: Panel) -> None:
    fresh = _state(panel)
    assert len(fresh["plans"]) == len(STOCK_PLANS) and fresh["events"]
    seed.load(panel, GOOD)
    admin = panel.accounts.admin()
    assert admin is not None
    panel.accounts.update(admin.identity(), admin, {"email": "changed@example.test"})
    unlimited = panel.plans.find("service", vendor_id=admin.id, ref="name", value="Unlimited")
    assert unlimited is not None
    panel.plans.update(admin.identity(), unlimited, settings={"limits": [("max_db", "1")]})
    assert _state(panel) != fresh
    seed.reset(panel)
    assert _state(panel) == fresh


# -- settings tables (item 3) ------------------------------------------------------------


def _descriptor(xml: XmlClient, what: str) -> dict[str, etree._Element]:
    root = xml.call(
        f"<webspace><get-{what}-descriptor><filter/></get-{what}-descriptor></webspace>"
    )
    found = ok(only(root, f"webspace/get-{what}-descriptor"))
    return {p.findtext("name") or "": p for p in found.findall("descriptor/property")}


@pytest.mark.parametrize(
    ("what", "name", "kind", "default"),
    [
        ("permission", "create_domains", "boolean", "false"),
        ("permission", "manage_phosting_php", "boolean", "false"),
        ("permission", "remote_db_connection", "boolean", "false"),
        ("permission", "allow_account_local_backups", "boolean", "false"),
        ("permission", "manage_webstat", "boolean", "false"),
        ("limit", "max_site", "int", "-1"),
        ("limit", "total_mboxes_quota", "bytes", "-1"),
        ("limit", "expiration", "date", "-1"),
        ("physical-hosting", "asp", "boolean", "false"),
        ("physical-hosting", "webdeploy", "boolean", "false"),
        ("physical-hosting", "managed_runtime_version", "string", ""),
    ],
)
def test_descriptors_list_plesks_settings_with_type_and_default(
    xml: XmlClient, what: str, name: str, kind: str, default: str
) -> None:
    prop = _descriptor(xml, what)[name]
    assert prop.findtext("type") == kind
    assert (prop.findtext("default-value") or "") == default


PHP_DEFAULTS = {
    "open_basedir": "{WEBSPACEROOT}{/}{:}{TMP}{/}",
    "error_reporting": "E_ALL & ~E_NOTICE & ~E_STRICT & ~E_DEPRECATED",
    "display_errors": "off",
    "log_errors": "on",
    "allow_url_fopen": "on",
    "file_uploads": "on",
    "short_open_tag": "off",
    "include_path": ".:/usr/share/php",
    "session.save_path": "/var/lib/php/sessions",
    "mail.force_extra_parameters": "",
    "opcache.enable": "on",
    "disable_functions": "opcache_get_status",
    "max_input_time": "60",
    "max_execution_time": "30",
    "memory_limit": "128M",
}


def test_php_settings_by_their_php_ini_names_and_a_value_set_is_answered(
    xml: XmlClient,
) -> None:
    xml.call(
        "<service-plan><add><name>PHP</name>"
        "<permissions><permission><name>create_domains</name><value>true</value></permission>"
        "</permissions><php-settings><setting><name>open_basedir</name><value>none</value>"
        "</setting><setting><name>max_input_time</name><value>120</value></setting>"
        "</php-settings></add></service-plan>"
    )
    stock = _pairs(_plans(xml, "service-plan")["Default Domain"].find("php-settings"), "setting")
    assert {name: stock.get(name) for name in PHP_DEFAULTS} == PHP_DEFAULTS
    php = _plans(xml, "service-plan")["PHP"]
    settings = _pairs(php.find("php-settings"), "setting")
    assert settings["open_basedir"] == "none" and settings["max_input_time"] == "120"
    assert settings["error_reporting"] == PHP_DEFAULTS["error_reporting"]
    assert _pairs(php.find("permissions"), "permission")["create_domains"] == "true"


def test_a_first_start_takes_the_admin_email_from_panel_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from panelkey.cli.common import open_panel

    monkeypatch.delenv("PANELKEY_ADMIN_EMAIL", raising=False)
    (tmp_path / "panel.ini").write_text("[panelkey]\nadminEmail = ops@ini.example\n")
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    assert settings.admin_email == "ops@ini.example"
    panel = open_panel(settings)
    try:
        admin = panel.accounts.admin()
        assert admin is not None and admin.email == "ops@ini.example"
    finally:
        panel.close()
