"""No setting is written twice: the SETTINGS table is the one list of names, defaults and
casts, and the Settings and LiveSettings classes are held to it."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from panelkey.config import SETTINGS, LiveSettings, Settings, load_settings
from panelkey.core.access.addresses import AllowList

# What the loader turns a cast's value into on its way to the class: data_dir and
# panel_ini are read as text and kept as paths; the live lists become tuples or allow-lists.
_HELD_AS = {
    ("data_dir", str): Path,
    ("panel_ini", str): Path,
    ("allowed_ips", list[str]): AllowList,
    ("trusted_proxies", list[str]): AllowList,
    ("cors_origins", list[str]): tuple[str, ...],
    ("cors_methods", list[str]): tuple[str, ...],
}


def _fields(cls: type) -> dict[str, dataclasses.Field[object]]:
    return {f.name: f for f in dataclasses.fields(cls)}


def test_settings_has_a_field_for_every_setting_of_the_table_and_no_other() -> None:
    assert list(_fields(Settings)) == [s.name for s in SETTINGS if not s.live]
    assert list(_fields(LiveSettings)) == [s.name for s in SETTINGS if s.live]


def test_the_classes_write_no_default_of_their_own() -> None:
    for cls in (Settings, LiveSettings):
        for name, field in _fields(cls).items():
            assert field.default is dataclasses.MISSING, f"{cls.__name__}.{name}"
            assert field.default_factory is dataclasses.MISSING, f"{cls.__name__}.{name}"


def test_each_field_has_the_type_its_settings_cast_gives() -> None:
    hints = typing.get_type_hints(Settings) | typing.get_type_hints(LiveSettings)
    for setting in SETTINGS:
        made = typing.get_type_hints(setting.cast)["return"]
        assert hints[setting.name] == _HELD_AS.get((setting.name, made), made), setting.name


def test_the_live_defaults_come_from_the_table() -> None:
    empty = LiveSettings.from_ini({})
    table = {s.name: s.default({}) for s in SETTINGS if s.live}
    assert empty.api_enabled is table["api_enabled"]
    assert empty.allow_plain_http is table["allow_plain_http"]
    assert empty.cors_enabled is table["cors_enabled"]
    assert list(empty.cors_origins) == table["cors_origins"]
    assert list(empty.cors_methods) == table["cors_methods"]
    assert empty.allowed_ips.anyone and empty.trusted_proxies.anyone


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
    assert loaded.data_dir == tmp_path and loaded.panel_ini == tmp_path / "panel.ini"
