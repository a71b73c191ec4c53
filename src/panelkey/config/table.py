"""The table of every setting: name, default, cast, help, and where it is read from.
docs/configuration.md lists them all, and the Settings and LiveSettings classes are held
to it (tests/unit/test_config.py, tests/unit/test_config_table.py)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from panelkey.config import casts


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
        casts.plain,
        "folder for the SQLite database, tls/ and panel.ini",
        flag="--data-dir",
        env="PANELKEY_DATA_DIR",
    ),
    Setting(
        "database_url",
        lambda v: f"sqlite:///{Path(v['data_dir']) / 'panelkey.db'}",
        casts.plain,
        "SQLAlchemy URL of the store; postgresql://user:pass@host:port/db for PostgreSQL",
        flag="--database-url",
        env="PANELKEY_DATABASE_URL",
    ),
    Setting(
        "panel_ini",
        lambda v: str(Path(v["data_dir"]) / "panel.ini"),
        casts.plain,
        "path of panel.ini",
        env="PANELKEY_PANEL_INI",
    ),
    Setting(
        "host",
        _const("127.0.0.1"),
        casts.plain,
        "address both listeners bind to",
        flag="--host",
        env="PANELKEY_HOST",
        section="panelkey",
        key="host",
    ),
    Setting(
        "https_port",
        _const(8443),
        casts.port,
        "HTTPS listener port",
        flag="--https-port",
        env="PANELKEY_HTTPS_PORT",
        section="panelkey",
        key="httpsPort",
    ),
    Setting(
        "http_port",
        _const(8880),
        casts.port,
        "plain-HTTP listener port; 0 turns it off",
        flag="--http-port",
        env="PANELKEY_HTTP_PORT",
        section="panelkey",
        key="httpPort",
    ),
    Setting(
        "tls_cert",
        _const(""),
        casts.plain,
        "PEM certificate; default: self-signed in tls/",
        flag="--tls-cert",
        env="PANELKEY_TLS_CERT",
        section="panelkey",
        key="tlsCert",
    ),
    Setting(
        "tls_key",
        _const(""),
        casts.plain,
        "PEM private key for --tls-cert",
        flag="--tls-key",
        env="PANELKEY_TLS_KEY",
        section="panelkey",
        key="tlsKey",
    ),
    Setting(
        "workers",
        _const(1),
        casts.positive,
        "worker processes sharing the listeners",
        flag="--workers",
        env="PANELKEY_WORKERS",
        section="panelkey",
        key="workers",
    ),
    Setting(
        "shutdown_grace",
        _const(30.0),
        casts.seconds,
        "seconds requests in flight have to finish after SIGTERM; past it they are dropped"
        " unanswered and the server exits",
        env="PANELKEY_SHUTDOWN_GRACE",
        section="panelkey",
        key="shutdownGrace",
    ),
    Setting(
        "ready_file",
        _const(""),
        casts.plain,
        "once listening, write JSON here: ports, URLs, admin password when known, certificate, pid",
        flag="--ready-file",
        env="PANELKEY_READY_FILE",
    ),
    Setting(
        "metrics_port",
        _const(0),
        casts.port,
        "port of the Prometheus /metrics listener on the same host; 0 (default) turns it off",
        flag="--metrics-port",
        env="PANELKEY_METRICS_PORT",
        section="panelkey",
        key="metricsPort",
    ),
    Setting(
        "journal_size",
        _const(1000),
        casts.natural,
        "requests kept in the request journal (journal.db in the data folder); 0 keeps none",
        env="PANELKEY_JOURNAL_SIZE",
        section="panelkey",
        key="journalSize",
    ),
    Setting(
        "max_body",
        _const(1024 * 1024),
        casts.positive,
        "largest request body in bytes",
        env="PANELKEY_MAX_BODY",
        section="panelkey",
        key="maxBodySize",
    ),
    Setting(
        "log_level",
        _const("info"),
        casts.log_level,
        "server log level",
        flag="--log-level",
        env="PANELKEY_LOG_LEVEL",
        section="panelkey",
        key="logLevel",
    ),
    Setting(
        "api_enabled",
        _const(True),
        casts.on_off,
        "off refuses every API request",
        section="api",
        key="enabled",
        live=True,
    ),
    Setting(
        "allowed_ips",
        _const([]),
        casts.addresses,
        "addresses or networks allowed to use the APIs; empty = all",
        section="api",
        key="allowedIPs",
        live=True,
    ),
    Setting(
        "allow_plain_http",
        _const(False),
        casts.on_off,
        "serve /api/v2 on the plain-HTTP listener",
        section="ext-rest-api",
        key="allowPlainHttpAccess",
        live=True,
    ),
    Setting(
        "cors_enabled",
        _const(True),
        casts.on_off,
        "send CORS headers on the REST API",
        section="ext-rest-api",
        key="cors.enabled",
        live=True,
    ),
    Setting(
        "cors_origins",
        _const([]),
        casts.words,
        "origins allowed by CORS; empty = any",
        section="ext-rest-api",
        key="cors.origin",
        live=True,
    ),
    Setting(
        "cors_methods",
        _const([]),
        casts.words,
        "methods allowed by CORS; empty = all",
        section="ext-rest-api",
        key="cors.methods",
        live=True,
    ),
    Setting(
        "max_rest_answer",
        _const(16 * 1024 * 1024),
        casts.positive,
        "largest answer of a REST read in bytes; a read whose answer would pass it is 400",
        env="PANELKEY_MAX_REST_ANSWER",
        section="panelkey",
        key="maxRestAnswerSize",
    ),
    Setting(
        "trusted_proxies",
        _const([]),
        casts.addresses,
        "peers whose X-Forwarded-For is believed",
        section="panelkey",
        key="trustedProxies",
        live=True,
    ),
    Setting(
        "dns_port",
        _const(None),
        casts.optional_port,
        "DNS listener port (UDP and TCP); off by default, 0 picks a free port",
        flag="--dns-port",
        env="PANELKEY_DNS_PORT",
        section="panelkey",
        key="dnsPort",
    ),
    Setting(
        "dns_host",
        lambda v: v["host"],
        casts.plain,
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
        casts.positive,
        "threads per worker that run argon2; password checks queue there, never the key path",
        env="PANELKEY_PASSWORD_HASH_THREADS",
        section="panelkey",
        key="passwordHashThreads",
    ),
    Setting(
        "password_hash_profile",
        _const("default"),
        casts.hash_profile,
        "argon2 parameters for new password hashes: default (RFC 9106), or cheapest "
        "for test suites only, where hashing cost is all waiting",
        env="PANELKEY_PASSWORD_HASH_PROFILE",
        section="panelkey",
        key="passwordHashProfile",
    ),
    Setting(
        "lockout_failures",
        _const(5),
        casts.natural,
        "wrong passwords from one source within lockout_window that lock it out; 0 turns it off",
        env="PANELKEY_LOCKOUT_FAILURES",
        section="panelkey",
        key="loginLockoutFailures",
    ),
    Setting(
        "lockout_login_failures",
        _const(20),
        casts.natural,
        "wrong passwords for one login within lockout_window that lock it out; 0 turns it off",
        env="PANELKEY_LOCKOUT_LOGIN_FAILURES",
        section="panelkey",
        key="loginLockoutLoginFailures",
    ),
    Setting(
        "lockout_window",
        _const(600.0),
        casts.seconds,
        "seconds in which failures are counted towards a lockout",
        env="PANELKEY_LOCKOUT_WINDOW",
        section="panelkey",
        key="loginLockoutWindow",
    ),
    Setting(
        "lockout_time",
        _const(600.0),
        casts.seconds,
        "seconds of the first lockout; each further one doubles it",
        env="PANELKEY_LOCKOUT_TIME",
        section="panelkey",
        key="loginLockoutTime",
    ),
    Setting(
        "lockout_max_time",
        _const(86400.0),
        casts.seconds,
        "longest lockout in seconds",
        env="PANELKEY_LOCKOUT_MAX_TIME",
        section="panelkey",
        key="loginLockoutMaxTime",
    ),
    Setting(
        "lockout_delay",
        _const(0.2),
        casts.seconds,
        "seconds before a locked-out attempt is answered (no CPU is spent meanwhile)",
        env="PANELKEY_LOCKOUT_DELAY",
        section="panelkey",
        key="loginLockoutDelay",
    ),
    Setting(
        "audit_refusal_interval",
        _const(60.0),
        casts.seconds,
        "seconds in which repeated refusals of one source for one reason make one audit entry",
        env="PANELKEY_AUDIT_REFUSAL_INTERVAL",
        section="panelkey",
        key="auditRefusalInterval",
    ),
    Setting(
        "audit_retention_days",
        _const(90),
        casts.natural,
        "days audit entries are kept; 0 keeps them forever",
        env="PANELKEY_AUDIT_RETENTION_DAYS",
        section="panelkey",
        key="auditRetentionDays",
    ),
    Setting(
        "max_operations",
        _const(1000),
        casts.positive,
        "most operations in one XML packet (1024 past it)",
        env="PANELKEY_MAX_OPERATIONS",
        section="panelkey",
        key="maxOperationsPerPacket",
    ),
    Setting(
        "max_password_hashes",
        _const(10),
        casts.natural,
        "most passwords one XML packet may set (1024 past it)",
        env="PANELKEY_MAX_PASSWORD_HASHES",
        section="panelkey",
        key="maxPasswordsPerPacket",
    ),
    Setting(
        "max_field_length",
        _const(65536),
        casts.positive,
        "longest text of an XML element Plesk gives no length to (1019 past it)",
        env="PANELKEY_MAX_FIELD_LENGTH",
        section="panelkey",
        key="maxFieldLength",
    ),
    Setting(
        "max_answer",
        _const(16777216),
        casts.positive,
        "largest XML answer in bytes; operations past it answer 1024 and do not run",
        env="PANELKEY_MAX_ANSWER",
        section="panelkey",
        key="maxAnswerSize",
    ),
    Setting(
        "header_timeout",
        _const(20.0),
        casts.seconds,
        "seconds a client has to send a request line and headers",
        env="PANELKEY_HEADER_TIMEOUT",
        section="panelkey",
        key="requestHeaderTimeout",
    ),
    Setting(
        "body_timeout",
        _const(60.0),
        casts.seconds,
        "seconds a client has to send a request body once its headers are in",
        env="PANELKEY_BODY_TIMEOUT",
        section="panelkey",
        key="requestBodyTimeout",
    ),
    Setting(
        "max_connections_per_source",
        _const(256),
        casts.positive,
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
        casts.plain,
        "the admin's e-mail at the first start and after a reset",
        env="PANELKEY_ADMIN_EMAIL",
        section="panelkey",
        key="adminEmail",
    ),
)
