"""Every setting, read once, in one place.

Static settings (where to listen, where the data lives) come from the command-line
flag, then the environment, then `[panelkey]` in panel.ini, then the default.
Live settings (`[api]`, `[ext-rest-api]`, `trustedProxies`) come from panel.ini and
are re-read when the file changes. A malformed value stops the start, naming the
file, line, setting and value.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panelkey.core.access.addresses import AllowList, parse_allow_list
from panelkey.core.errors import InvalidValue

log = logging.getLogger("panelkey.config")


class ConfigError(Exception):
    """A setting that cannot be used; the message names where it came from."""


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise ValueError("expected on/off, true/false or 1/0")


def _port(text: str) -> int:
    value = int(text.strip())
    if not 0 <= value <= 65535:
        raise ValueError("expected a port number from 0 to 65535")
    return value


def _optional_port(text: str) -> int | None:
    """A port, or None (off) for an empty value or `off`; 0 picks a free port."""
    if text.strip().lower() in ("", "off", "none"):
        return None
    return _port(text)


def _positive(text: str) -> int:
    value = int(text.strip())
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _natural(text: str) -> int:
    value = int(text.strip())
    if value < 0:
        raise ValueError("expected a whole number of at least 0")
    return value


def _addresses(text: str) -> list[str]:
    try:
        return parse_allow_list([x for x in text.replace(",", " ").split() if x])
    except InvalidValue as exc:
        raise ValueError(str(exc)) from None


def _words(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x]


def _hash_profile(text: str) -> str:
    value = text.strip().lower()
    if value not in ("default", "cheapest"):
        raise ValueError("expected default or cheapest")
    return value


def _text(text: str) -> str:
    return text.strip()


def _seconds(text: str) -> float:
    value = float(text.strip())
    if not value >= 0 or value == float("inf"):
        raise ValueError("expected a number of seconds of at least 0")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    default: Callable[[Mapping[str, Any]], Any]
    cast: Callable[[str], Any]
    help: str
    flag: str | None = None
    env: str | None = None
    section: str | None = None
    key: str | None = None
    live: bool = False


def _const(value: Any) -> Callable[[Mapping[str, Any]], Any]:
    return lambda _values: value


DEFAULT_DATA_DIR = "~/.local/share/panelkey"

# The table of every setting; docs/configuration.md lists them all (a test checks).
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        _const(DEFAULT_DATA_DIR),
        _text,
        "folder for the SQLite database, tls/ and panel.ini",
        flag="--data-dir",
        env="PANELKEY_DATA_DIR",
    ),
    Setting(
        "database_url",
        lambda v: f"sqlite:///{Path(v['data_dir']) / 'panelkey.db'}",
        _text,
        "SQLAlchemy URL of the store; postgresql://user:pass@host:port/db for PostgreSQL",
        flag="--database-url",
        env="PANELKEY_DATABASE_URL",
    ),
    Setting(
        "panel_ini",
        lambda v: str(Path(v["data_dir"]) / "panel.ini"),
        _text,
        "path of panel.ini",
        env="PANELKEY_PANEL_INI",
    ),
    Setting(
        "host",
        _const("127.0.0.1"),
        _text,
        "address both listeners bind to",
        flag="--host",
        env="PANELKEY_HOST",
        section="panelkey",
        key="host",
    ),
    Setting(
        "https_port",
        _const(8443),
        _port,
        "HTTPS listener port",
        flag="--https-port",
        env="PANELKEY_HTTPS_PORT",
        section="panelkey",
        key="httpsPort",
    ),
    Setting(
        "http_port",
        _const(8880),
        _port,
        "plain-HTTP listener port; 0 turns it off",
        flag="--http-port",
        env="PANELKEY_HTTP_PORT",
        section="panelkey",
        key="httpPort",
    ),
    Setting(
        "tls_cert",
        _const(""),
        _text,
        "PEM certificate; default: self-signed in tls/",
        flag="--tls-cert",
        env="PANELKEY_TLS_CERT",
        section="panelkey",
        key="tlsCert",
    ),
    Setting(
        "tls_key",
        _const(""),
        _text,
        "PEM private key for --tls-cert",
        flag="--tls-key",
        env="PANELKEY_TLS_KEY",
        section="panelkey",
        key="tlsKey",
    ),
    Setting(
        "workers",
        _const(1),
        _positive,
        "worker processes sharing the listeners",
        flag="--workers",
        env="PANELKEY_WORKERS",
        section="panelkey",
        key="workers",
    ),
    Setting(
        "ready_file",
        _const(""),
        _text,
        "once listening, write JSON here: ports, URLs, admin password when known, certificate, pid",
        flag="--ready-file",
        env="PANELKEY_READY_FILE",
    ),
    Setting(
        "metrics_port",
        _const(0),
        _port,
        "port of the Prometheus /metrics listener on the same host; 0 (default) turns it off",
        flag="--metrics-port",
        env="PANELKEY_METRICS_PORT",
        section="panelkey",
        key="metricsPort",
    ),
    Setting(
        "journal_size",
        _const(1000),
        _natural,
        "requests kept in the request journal (journal.db in the data folder); 0 keeps none",
        env="PANELKEY_JOURNAL_SIZE",
        section="panelkey",
        key="journalSize",
    ),
    Setting(
        "max_body",
        _const(1024 * 1024),
        _positive,
        "largest request body in bytes",
        env="PANELKEY_MAX_BODY",
        section="panelkey",
        key="maxBodySize",
    ),
    Setting(
        "log_level",
        _const("info"),
        _text,
        "server log level",
        flag="--log-level",
        env="PANELKEY_LOG_LEVEL",
        section="panelkey",
        key="logLevel",
    ),
    Setting(
        "api_enabled",
        _const(True),
        _bool,
        "off refuses every API request",
        section="api",
        key="enabled",
        live=True,
    ),
    Setting(
        "allowed_ips",
        _const([]),
        _addresses,
        "addresses or networks allowed to use the APIs; empty = all",
        section="api",
        key="allowedIPs",
        live=True,
    ),
    Setting(
        "allow_plain_http",
        _const(False),
        _bool,
        "serve /api/v2 on the plain-HTTP listener",
        section="ext-rest-api",
        key="allowPlainHttpAccess",
        live=True,
    ),
    Setting(
        "cors_enabled",
        _const(True),
        _bool,
        "send CORS headers on the REST API",
        section="ext-rest-api",
        key="cors.enabled",
        live=True,
    ),
    Setting(
        "cors_origins",
        _const([]),
        _words,
        "origins allowed by CORS; empty = any",
        section="ext-rest-api",
        key="cors.origin",
        live=True,
    ),
    Setting(
        "cors_methods",
        _const([]),
        _words,
        "methods allowed by CORS; empty = all",
        section="ext-rest-api",
        key="cors.methods",
        live=True,
    ),
    Setting(
        "trusted_proxies",
        _const([]),
        _addresses,
        "peers whose X-Forwarded-For is believed",
        section="panelkey",
        key="trustedProxies",
        live=True,
    ),
    Setting(
        "dns_port",
        _const(None),
        _optional_port,
        "DNS listener port (UDP and TCP); off by default, 0 picks a free port",
        flag="--dns-port",
        env="PANELKEY_DNS_PORT",
        section="panelkey",
        key="dnsPort",
    ),
    Setting(
        "dns_host",
        lambda v: v["host"],
        _text,
        "address the DNS listener binds to; default: the HTTP host",
        flag="--dns-host",
        env="PANELKEY_DNS_HOST",
        section="panelkey",
        key="dnsHost",
    ),
    # Hardening (docs/configuration.md, "Abuse limits"): what keeps one client from
    # starving the others.
    Setting(
        "password_hash_threads",
        lambda _v: max(1, (os.cpu_count() or 2) // 2),
        _positive,
        "threads per worker that run argon2; password checks queue there, never the key path",
        env="PANELKEY_PASSWORD_HASH_THREADS",
        section="panelkey",
        key="passwordHashThreads",
    ),
    Setting(
        "password_hash_profile",
        _const("default"),
        _hash_profile,
        "argon2 parameters for new password hashes: default (RFC 9106), or cheapest "
        "for test suites only, where hashing cost is all waiting",
        env="PANELKEY_PASSWORD_HASH_PROFILE",
        section="panelkey",
        key="passwordHashProfile",
    ),
    Setting(
        "lockout_failures",
        _const(5),
        _natural,
        "wrong passwords from one source within lockout_window that lock it out; 0 turns it off",
        env="PANELKEY_LOCKOUT_FAILURES",
        section="panelkey",
        key="loginLockoutFailures",
    ),
    Setting(
        "lockout_login_failures",
        _const(20),
        _natural,
        "wrong passwords for one login within lockout_window that lock it out; 0 turns it off",
        env="PANELKEY_LOCKOUT_LOGIN_FAILURES",
        section="panelkey",
        key="loginLockoutLoginFailures",
    ),
    Setting(
        "lockout_window",
        _const(600.0),
        _seconds,
        "seconds in which failures are counted towards a lockout",
        env="PANELKEY_LOCKOUT_WINDOW",
        section="panelkey",
        key="loginLockoutWindow",
    ),
    Setting(
        "lockout_time",
        _const(600.0),
        _seconds,
        "seconds of the first lockout; each further one doubles it",
        env="PANELKEY_LOCKOUT_TIME",
        section="panelkey",
        key="loginLockoutTime",
    ),
    Setting(
        "lockout_max_time",
        _const(86400.0),
        _seconds,
        "longest lockout in seconds",
        env="PANELKEY_LOCKOUT_MAX_TIME",
        section="panelkey",
        key="loginLockoutMaxTime",
    ),
    Setting(
        "lockout_delay",
        _const(0.2),
        _seconds,
        "seconds before a locked-out attempt is answered (no CPU is spent meanwhile)",
        env="PANELKEY_LOCKOUT_DELAY",
        section="panelkey",
        key="loginLockoutDelay",
    ),
    Setting(
        "audit_refusal_interval",
        _const(60.0),
        _seconds,
        "seconds in which repeated refusals of one source for one reason make one audit entry",
        env="PANELKEY_AUDIT_REFUSAL_INTERVAL",
        section="panelkey",
        key="auditRefusalInterval",
    ),
    Setting(
        "audit_retention_days",
        _const(90),
        _natural,
        "days audit entries are kept; 0 keeps them forever",
        env="PANELKEY_AUDIT_RETENTION_DAYS",
        section="panelkey",
        key="auditRetentionDays",
    ),
    Setting(
        "max_operations",
        _const(1000),
        _positive,
        "most operations in one XML packet (1024 past it)",
        env="PANELKEY_MAX_OPERATIONS",
        section="panelkey",
        key="maxOperationsPerPacket",
    ),
    Setting(
        "max_password_hashes",
        _const(10),
        _natural,
        "most passwords one XML packet may set (1024 past it)",
        env="PANELKEY_MAX_PASSWORD_HASHES",
        section="panelkey",
        key="maxPasswordsPerPacket",
    ),
    Setting(
        "max_field_length",
        _const(65536),
        _positive,
        "longest text of an XML element Plesk gives no length to (1019 past it)",
        env="PANELKEY_MAX_FIELD_LENGTH",
        section="panelkey",
        key="maxFieldLength",
    ),
    Setting(
        "max_answer",
        _const(16777216),
        _positive,
        "largest XML answer in bytes; operations past it answer 1024 and do not run",
        env="PANELKEY_MAX_ANSWER",
        section="panelkey",
        key="maxAnswerSize",
    ),
    Setting(
        "header_timeout",
        _const(20.0),
        _seconds,
        "seconds a client has to send a request line and headers",
        env="PANELKEY_HEADER_TIMEOUT",
        section="panelkey",
        key="requestHeaderTimeout",
    ),
    Setting(
        "body_timeout",
        _const(60.0),
        _seconds,
        "seconds a client has to send a request body once its headers are in",
        env="PANELKEY_BODY_TIMEOUT",
        section="panelkey",
        key="requestBodyTimeout",
    ),
    Setting(
        "max_connections_per_source",
        _const(256),
        _positive,
        "open connections one address may hold on each worker; trusted proxies are exempt",
        env="PANELKEY_MAX_CONNECTIONS_PER_SOURCE",
        section="panelkey",
        key="maxConnectionsPerSource",
    ),
    # The admin's e-mail at the first start and after `panelkey reset` (Plesk's default
    # is admin@ the host's name); afterwards the admin's own, changed like any contact.
    Setting(
        "admin_email",
        lambda _v: f"admin@{socket.getfqdn() or socket.gethostname()}",
        _text,
        "the admin's e-mail at the first start and after a reset",
        env="PANELKEY_ADMIN_EMAIL",
        section="panelkey",
        key="adminEmail",
    ),
)
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
                f"{path}, line {number}: setting [{section}] {key} has an invalid value "
                f"{value.strip()!r}: {exc}"
            ) from None
    return values


@dataclass(frozen=True)
class Settings:
    """The static settings of one process."""

    data_dir: Path
    database_url: str
    panel_ini: Path
    host: str
    https_port: int
    http_port: int
    tls_cert: str
    tls_key: str
    workers: int
    ready_file: str
    journal_size: int
    metrics_port: int
    max_body: int
    log_level: str
    admin_email: str  # made from the host's name: no constant default
    dns_port: int | None = None
    dns_host: str = "127.0.0.1"
    password_hash_threads: int = 1
    password_hash_profile: str = "default"  # noqa: S105 - a profile name, not a password
    lockout_failures: int = 5
    lockout_login_failures: int = 20
    lockout_window: float = 600.0
    lockout_time: float = 600.0
    lockout_max_time: float = 86400.0
    lockout_delay: float = 0.2
    audit_refusal_interval: float = 60.0
    audit_retention_days: int = 90
    max_operations: int = 1000
    max_password_hashes: int = 10
    max_field_length: int = 65536
    max_answer: int = 16 * 1024 * 1024
    header_timeout: float = 20.0
    body_timeout: float = 60.0
    max_connections_per_source: int = 256


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
            origin = f"flag {setting.flag}"
        elif setting.env and setting.env in env:
            raw = env[setting.env]
            origin = f"environment variable {setting.env}"
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
            raise ConfigError(
                f"{origin}: invalid value {raw!r} for {setting.name}: {exc}"
            ) from None
    values["data_dir"] = Path(values["data_dir"])
    values["panel_ini"] = Path(values["panel_ini"])
    return Settings(**values)


def _expand(values: dict[str, Any], name: str) -> None:
    # At once, not at the end: the defaults of later settings are built from these.
    if name in ("data_dir", "panel_ini"):
        values[name] = str(Path(values[name]).expanduser())


@dataclass(frozen=True)
class LiveSettings:
    """panel.ini's live part, as one immutable snapshot."""

    api_enabled: bool = True
    allowed_ips: AllowList = field(default_factory=lambda: AllowList.compile([]))
    allow_plain_http: bool = False
    cors_enabled: bool = True
    cors_origins: tuple[str, ...] = ()
    cors_methods: tuple[str, ...] = ()
    trusted_proxies: AllowList = field(default_factory=lambda: AllowList.compile([]))

    @classmethod
    def from_ini(cls, values: Mapping[str, Any]) -> LiveSettings:
        """From panel.ini's values; what it leaves out takes the SETTINGS table's default."""
        merged = {s.name: s.default({}) for s in SETTINGS if s.live} | dict(values)
        return cls(
            api_enabled=merged["api_enabled"],
            allowed_ips=AllowList.compile(merged["allowed_ips"]),
            allow_plain_http=merged["allow_plain_http"],
            cors_enabled=merged["cors_enabled"],
            cors_origins=tuple(merged["cors_origins"]),
            cors_methods=tuple(m.upper() for m in merged["cors_methods"]),
            trusted_proxies=AllowList.compile(merged["trusted_proxies"]),
        )

    def trusts_proxy(self, peer: str) -> bool:
        return not self.trusted_proxies.anyone and self.trusted_proxies.allows(peer)


class LivePanelIni:
    """panel.ini, re-read when it changes (checked at most every 0.2 s, by a stat).

    At start a bad file raises ConfigError; later a bad edit is logged and the last
    good settings stay in force, so a typo never takes a running server down.
    """

    CHECK_EVERY = 0.2

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._signature = self._stat()
        self._current = LiveSettings.from_ini(read_ini(path))
        self._checked = time.monotonic()

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def get(self) -> LiveSettings:
        now = time.monotonic()
        if now - self._checked < self.CHECK_EVERY:
            return self._current
        with self._lock:
            self._checked = now
            signature = self._stat()
            if signature != self._signature:
                self._signature = signature
                try:
                    self._current = LiveSettings.from_ini(read_ini(self.path))
                    log.info("panel.ini re-read: %s", self.path)
                except ConfigError as exc:
                    log.error("panel.ini not applied, the previous settings stay: %s", exc)
        return self._current
