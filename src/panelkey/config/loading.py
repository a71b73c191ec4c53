"""Reading the settings: panel.ini's lines, and the static settings of a process from
flag, then environment, then panel.ini, then the table's default."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panelkey.config.table import SETTINGS

log = logging.getLogger("panelkey.config")


class ConfigError(Exception):
    """A setting that cannot be used; the message names where it came from."""


_BY_INI = {(s.section, s.key.lower()): s for s in SETTINGS if s.section and s.key}
_DEFAULT_SECTION = (
    "ext-rest-api"  # lines before any [section], as Plesk's REST document writes them
)


def read_ini(path: Path) -> dict[str, Any]:
    """Known settings from panel.ini by setting name; raises ConfigError naming the line.

    A missing file is an empty one. Unknown sections and settings are logged and ignored.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None
    values: dict[str, Any] = {}
    section = _DEFAULT_SECTION
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise ConfigError(f"{path}, line {number}: malformed section header {line!r}")
            section = line[1:-1].strip().lower()
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ConfigError(f"{path}, line {number}: expected 'setting = value', got {line!r}")
        key = key.strip()
        setting = _BY_INI.get((section, key.lower()))
        if setting is None:
            log.warning("%s, line %d: unknown setting [%s] %s ignored", path, number, section, key)
            continue
        try:
            values[setting.name] = setting.cast(value)
        except ValueError as exc:
            raise ConfigError(
                f"{path}, line {number}: [{section}] {key} must be {exc}, not {value.strip()!r}"
            ) from None
    return values


@dataclass(frozen=True)
class Settings:
    """The static settings of one process, as `load_settings` makes them: one field per
    setting of the SETTINGS table that is not live, with no default of its own (the
    table's are the only ones; tests/unit/test_config_table.py holds the two together)."""

    data_dir: Path
    database_url: str
    panel_ini: Path
    host: str
    https_port: int
    http_port: int
    tls_cert: str
    tls_key: str
    workers: int
    shutdown_grace: float
    ready_file: str
    metrics_port: int
    journal_size: int
    max_body: int
    log_level: str
    max_rest_answer: int
    dns_port: int | None
    dns_host: str
    password_hash_threads: int
    password_hash_profile: str
    lockout_failures: int
    lockout_login_failures: int
    lockout_window: float
    lockout_time: float
    lockout_max_time: float
    lockout_delay: float
    key_throttle_failures: int
    key_throttle_window: float
    key_throttle_time: float
    key_throttle_max_time: float
    audit_refusal_interval: float
    audit_retention_days: int
    max_operations: int
    max_password_hashes: int
    max_field_length: int
    max_answer: int
    header_timeout: float
    body_timeout: float
    max_connections_per_source: int
    admin_email: str


def load_settings(
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Flag, then environment, then panel.ini, then default. Raises ConfigError."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    ini: dict[str, Any] | None = None
    for setting in SETTINGS:
        if setting.live:
            continue
        if setting.name in flags:
            raw: Any = flags[setting.name]
            origin = setting.flag or setting.name
        elif setting.env and setting.env in env:
            raw = env[setting.env]
            origin = setting.env
        else:
            if setting.section and ini is None:
                ini = read_ini(Path(values["panel_ini"]))
            if ini is not None and setting.name in ini:
                values[setting.name] = ini[setting.name]
            else:
                values[setting.name] = setting.default(values)
            _expand(values, setting.name)
            continue
        try:
            values[setting.name] = setting.cast(str(raw))
            _expand(values, setting.name)
        except ValueError as exc:
            # In the words of the flag or variable the user typed: "--https-port must be
            # a whole number from 0 to 65535, not 'abc'".
            raise ConfigError(f"{origin} must be {exc}, not {str(raw)!r}") from None
    values["data_dir"] = Path(values["data_dir"])
    values["panel_ini"] = Path(values["panel_ini"])
    return Settings(**values)


def _expand(values: dict[str, Any], name: str) -> None:
    # At once, not at the end: the defaults of later settings are built from these.
    if name in ("data_dir", "panel_ini"):
        values[name] = str(Path(values[name]).expanduser())
