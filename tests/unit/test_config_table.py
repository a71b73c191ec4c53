"""No setting is written twice: the SETTINGS table is the one list of names and defaults,
and the Settings and LiveSettings classes are held to it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from panelkey.config import SETTINGS, LiveSettings, Settings, load_settings


def _fields(cls: type) -> dict[str, dataclasses.Field[object]]:
    return {f.name: f for f in dataclasses.fields(cls)}


def test_settings_has_a_field_for_every_setting_of_the_table_and_no_other() -> None:
    assert set(_fields(Settings)) == {s.name for s in SETTINGS if not s.live}
    assert set(_fields(LiveSettings)) == {s.name for s in SETTINGS if s.live}


def test_every_default_written_in_a_class_is_the_tables(tmp_path: Path) -> None:
    # defaults may be made from earlier settings (dns_host from host): as loaded
    loaded = load_settings({"data_dir": str(tmp_path)}, environ={})
    for name, field in _fields(Settings).items():
        if field.default is not dataclasses.MISSING:
            assert field.default == getattr(loaded, name), name


def test_the_live_defaults_come_from_the_table(tmp_path: Path) -> None:
    empty = LiveSettings.from_ini({})
    table = {s.name: s.default({}) for s in SETTINGS if s.live}
    assert empty.api_enabled is table["api_enabled"]
    assert empty.allow_plain_http is table["allow_plain_http"]
    assert empty.cors_enabled is table["cors_enabled"]
    assert list(empty.cors_origins) == table["cors_origins"]
    assert list(empty.cors_methods) == table["cors_methods"]
    assert empty == LiveSettings()  # and the class's own defaults agree


def test_loaded_settings_without_flags_are_the_table_defaults(tmp_path: Path) -> None:
    loaded = load_settings({"data_dir": str(tmp_path)}, environ={})
    made: dict[str, object] = {"data_dir": str(tmp_path)}
    for setting in SETTINGS:
        if setting.live:
            continue
        if setting.name != "data_dir":
            made[setting.name] = setting.default(made)
        if setting.name not in ("data_dir", "panel_ini"):
            assert getattr(loaded, setting.name) == made[setting.name], setting.name
