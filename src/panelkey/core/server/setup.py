"""What server/set and initial_setup change and server/get shows: the admin's contact
data and password, the server's preferences, the session idle timeout, the view mode and
the external id.

The admin's contact data are the admin account's own columns (REST `POST /server/init`
writes the same); the rest are server properties (kind `server`, core/server/properties.py).
The idle timeout is the one panelkey's sessions keep (core/access/sessions.py). Of the
preferences of services panelkey does not run (mail, FTP, Apache, the firewall), each is
kept and answered back; `smtp_password` only as a digest, never answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from panelkey.core.access.sessions import IDLE_TIMEOUT
from panelkey.core.accounts.accounts import Accounts
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import Identity
from panelkey.core.server.properties import Properties
from panelkey.core.server.settings import ServerSettings
from panelkey.core.text import fits

KIND, OBJECT = "server", 0
SETUP_DONE = "The initial setup is done: server/set changes the administrator"
# Plesk's adminType element -> the admin account's column.
ADMIN_COLUMNS = {
    "admin_cname": "company",
    "admin_pname": "name",
    "admin_phone": "phone",
    "admin_fax": "fax",
    "admin_email": "email",
    "admin_address": "address",
    "admin_city": "city",
    "admin_state": "state",
    "admin_pcode": "pcode",
    "admin_country": "country",
}
# adminType elements that are no column: kept as properties, answered after the columns.
ADMIN_EXTRA = ("send_announce", "uid", "global-login")
_BOOL = ("true", "false", "1", "0")
_INT = "int"
# Plesk's serverPrefs, in its order: name -> allowed values (_INT, a tuple, or None for
# any text). server/get answers the stored ones, and these three from the start.
PREFS: dict[str, str | tuple[str, ...] | None] = {
    "max_connections": _INT,
    "max_connections_per_ip": _INT,
    "outgoing_email_mode": ("domain-ip", "domain-name", "explicit-ip"),
    "outgoing_email_mode_explicit_ipv4": None,
    "outgoing_email_mode_explicit_ipv6": None,
    "outgoing_antispam": _BOOL,
    "outgoing_messages_mbox_limit": _INT,
    "outgoing_messages_domain_limit": _INT,
    "outgoing_messages_subscription_limit": _INT,
    "enable_sendmail": _BOOL,
    "report_period": ("P1D", "P1W", "P2W", "P1M"),
    "notification_period": ("PT15M", "PT1H", "PT6H", "PT12H", "P1D"),
    "stat_ttl": _INT,
    "traffic_accounting": ("1", "2", "3"),
    "restart_apache_interval": _INT,
    "apache_pipelog": _BOOL,
    "ftp_over_ssl": ("disabled", "enabled", "required", "custom"),
    "mail_notifications": _BOOL,
    "smtp_use_default_settings": _BOOL,
    "smtp_host": None,
    "smtp_port": _INT,
    "smtp_login": None,
    "smtp_password": None,
    "smtp_tls": _BOOL,
    "smtp_allow_users": _BOOL,
    "aps_force_updates": _BOOL,
    "aps_suggest_updates": _BOOL,
    "waf-rule-engine": ("on", "detection-only", "off"),
    "waf-rule-set": ("tortix", "crs"),
}
PREF_DEFAULTS = {"stat_ttl": "3", "traffic_accounting": "3", "restart_apache_interval": "0"}
SECRET_PREFS = frozenset({"smtp_password"})
MODES = ("standard", "poweruser")
MAX_LOGIN_TIMEOUT = 99999  # minutes, Plesk's bound


@dataclass(frozen=True, slots=True)
class ServerChange:
    """One server/set (or initial_setup): every part optional."""

    admin: Mapping[str, str] = field(default_factory=dict)  # adminType element -> text
    password: str | None = None
    prefs: Mapping[str, str] = field(default_factory=dict)
    login_timeout: int | None = None  # minutes
    external_id: str | None = None
    mode: str | None = None


def _check_pref(name: str, value: str) -> str:
    allowed = PREFS.get(name, "unknown")
    if allowed == "unknown" or not fits(value):
        raise InvalidValue(f"Invalid value of {name}")
    if allowed == _INT:
        try:
            return str(int(value))
        except ValueError:
            raise InvalidValue(f"Invalid value of {name}") from None
    if isinstance(allowed, tuple) and value.strip() not in allowed:
        raise InvalidValue(f"Invalid value of {name}")
    return value.strip() if allowed is not None else value


def _flag(value: str) -> str:
    return "true" if value.strip() in ("true", "1") else "false"


class ServerSetup:
    def __init__(self, accounts: Accounts, properties: Properties, settings: ServerSettings):
        self._accounts = accounts
        self._properties = properties
        self._settings = settings

    def _stored(self) -> dict[str, str]:
        return self._properties.get(KIND, OBJECT)

    # -- reading ------------------------------------------------------------------------

    def prefs(self) -> list[tuple[str, str]]:
        """The preferences server/get answers, in Plesk's order (never a secret one)."""
        stored = self._stored()
        return [
            (name, stored.get(f"prefs.{name}", PREF_DEFAULTS.get(name, "")))
            for name in PREFS
            if name not in SECRET_PREFS and (f"prefs.{name}" in stored or name in PREF_DEFAULTS)
        ]

    def login_timeout(self) -> int:
        """The session idle timeout, in minutes."""
        value = self._stored().get("session_setup.login_timeout")
        return int(value) if value else IDLE_TIMEOUT // 60

    def idle_seconds(self) -> int:
        """The session idle timeout, in seconds (what core/access/sessions.py keeps to)."""
        return self.login_timeout() * 60

    def mode(self) -> str:
        return self._stored().get("gen_info.mode", "standard")

    def external_id(self) -> str | None:
        return self._stored().get("gen_info.external-id")

    def admin_extra(self) -> list[tuple[str, str]]:
        """send_announce (false until set), then uid and global-login once set."""
        stored = self._stored()
        found = [("send_announce", stored.get("admin.send_announce", "false"))]
        return found + [
            (n, stored[f"admin.{n}"]) for n in ADMIN_EXTRA[1:] if f"admin.{n}" in stored
        ]

    # -- writing ------------------------------------------------------------------------

    def change(self, actor: Identity, change: ServerChange) -> None:
        """server/set: apply every part given, or nothing (all is checked first). Raises
        PermissionDenied (not the admin), InvalidValue."""
        if not actor.is_admin:
            raise PermissionDenied()
        props: dict[str, str] = {}
        for name, value in change.prefs.items():
            checked = _check_pref(name, value)
            if name in SECRET_PREFS:
                props[f"prefs.{name}.digest"] = hashlib.sha256(checked.encode()).hexdigest()
            else:
                props[f"prefs.{name}"] = checked
        if change.login_timeout is not None:
            if not 1 <= change.login_timeout <= MAX_LOGIN_TIMEOUT:
                raise InvalidValue("Invalid value of login_timeout")
            props["session_setup.login_timeout"] = str(change.login_timeout)
        if change.mode is not None:
            if change.mode not in MODES:
                raise InvalidValue("Invalid value of mode")
            props["gen_info.mode"] = change.mode
        if change.external_id is not None:
            if not fits(change.external_id):
                raise InvalidValue("Invalid value of external-id")
            props["gen_info.external-id"] = change.external_id
        for name in ADMIN_EXTRA:
            if name in change.admin:
                value = change.admin[name]
                props[f"admin.{name}"] = _flag(value) if name == "send_announce" else value
        values: dict[str, str] = {
            column: change.admin[name]
            for name, column in ADMIN_COLUMNS.items()
            if name in change.admin
        }
        if change.password is not None:
            values["password"] = change.password
        account = self._accounts.admin()
        if values:
            if account is None:
                raise PermissionDenied("The administrator account does not exist yet")
            self._accounts.update(actor, account, values)  # checks, then writes all
        self._properties.set(KIND, OBJECT, props)

    def initial_setup(self, actor: Identity, change: ServerChange, server_name: str | None) -> str:
        """Plesk's first setup of a server: the admin's contact data and password, the
        host name. Runs once (after it, or after REST `POST /server/init`, server/set
        changes the admin). Returns the server's name (None given: the current one, or
        ""). Raises PermissionDenied (not the admin, or done already), InvalidValue."""
        if not actor.is_admin:
            raise PermissionDenied()
        if self._settings.setup_done():
            raise PermissionDenied(SETUP_DONE)
        if server_name is not None and (not fits(server_name) or "\x00" in server_name):
            raise InvalidValue("Invalid server_name")
        self.change(actor, change)
        self._settings.init(actor, server_name=server_name)
        return self._settings.server_name() or ""
