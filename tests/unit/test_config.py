from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from panelkey.config import SETTINGS, ConfigError, LivePanelIni, load_settings, read_ini
from panelkey.context import Context

ROOT = Path(__file__).resolve().parents[2]


def test_docs_list_every_setting() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, setting.name
        for name in (setting.flag, setting.env, setting.key):
            if name:
                assert name in text, name


def test_precedence_is_flag_then_environment_then_ini_then_default(tmp_path: Path) -> None:
    (tmp_path / "panel.ini").write_text("[panelkey]\nhttpsPort = 9001\nhttpPort = 9002\n")
    env = {"PANELKEY_DATA_DIR": str(tmp_path), "PANELKEY_HTTP_PORT": "9003"}
    settings = load_settings({"https_port": "9000"}, environ=env)
    assert (settings.https_port, settings.http_port) == (9000, 9003)
    settings = load_settings({}, environ=env)
    assert settings.https_port == 9001 and settings.host == "127.0.0.1"
    assert settings.database_url == f"sqlite:///{tmp_path / 'panelkey.db'}"


@pytest.mark.parametrize(
    ("flags", "env", "named"),
    [
        ({"https_port": "x"}, {}, "--https-port"),
        ({}, {"PANELKEY_WORKERS": "0"}, "PANELKEY_WORKERS"),
    ],
)
def test_bad_flag_or_environment_value_is_named(
    tmp_path: Path, flags: dict[str, str], env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(named)):
        load_settings(flags, environ={"PANELKEY_DATA_DIR": str(tmp_path), **env})


def test_lines_before_a_section_are_rest_api_settings(tmp_path: Path) -> None:
    path = tmp_path / "panel.ini"
    path.write_text(
        "allowPlainHttpAccess = on\ncors.origin = https://a.example, https://b\n"
        "unknown = 1\n[api]\nallowedIPs = 10.0.0.0/8 ::1\n"
    )
    values = read_ini(path)
    assert values["allow_plain_http"] is True
    assert values["cors_origins"] == ["https://a.example", "https://b"]
    assert values["allowed_ips"] == ["10.0.0.0/8", "::1"]
    assert "unknown" not in values


def test_live_panel_ini_is_reread_and_a_bad_edit_keeps_the_last_good(tmp_path: Path) -> None:
    path = tmp_path / "panel.ini"
    live = LivePanelIni(path)
    assert live.get().api_enabled and not live.get().allow_plain_http
    path.write_text("[api]\nenabled = off\n")
    time.sleep(LivePanelIni.CHECK_EVERY + 0.05)
    assert live.get().api_enabled is False
    path.write_text("[api]\nenabled = perhaps\n")
    time.sleep(LivePanelIni.CHECK_EVERY + 0.05)
    assert live.get().api_enabled is False


def _scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"client": (peer, 5000), "headers": headers}


def test_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path: Path) -> None:
    path = tmp_path / "panel.ini"
    path.write_text("[panelkey]\ntrustedProxies = 10.0.0.5\n")
    live = LivePanelIni(path).get()
    assert Context.client_address(_scope("10.0.0.5", "203.0.113.9"), live) == "203.0.113.9"
    assert (
        Context.client_address(_scope("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.0.0.5"), live)
        == "203.0.113.9"
    )
    assert Context.client_address(_scope("10.0.0.6", "203.0.113.9"), live) == "10.0.0.6"
    assert Context.client_address(_scope("10.0.0.5"), live) == "10.0.0.5"
    untrusting = LivePanelIni(tmp_path / "missing.ini").get()
    assert Context.client_address(_scope("127.0.0.1", "203.0.113.9"), untrusting) == "127.0.0.1"


def test_default_data_folder_is_under_home_and_holds_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = load_settings({}, environ={})
    folder = tmp_path / ".local" / "share" / "panelkey"
    assert settings.data_dir == folder
    assert settings.database_url == f"sqlite:///{folder / 'panelkey.db'}"
    assert settings.panel_ini == folder / "panel.ini"
    given = load_settings({"data_dir": "~/elsewhere"}, environ={})
    assert given.database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'panelkey.db'}"
