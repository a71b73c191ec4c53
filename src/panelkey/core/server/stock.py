"""What a fresh, initialised Plesk holds besides its admin, made at panelkey's first start
(and again by `panelkey reset`): the admin's e-mail, Plesk's stock plans with their
stock values, and the action-log events of that start.

The plans and values are those a freshly installed Plesk (Obsidian, protocol 1.6.9.1)
creates: service plans "Admin Simple", "Default Domain", "Unlimited" and "Default
Simple", and the reseller plan "Default Reseller", in that order of creation (Plesk's
own ids 1-5). Settings not listed keep panelkey's defaults, which are Plesk's.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.plans.settings import PERMISSIONS
from panelkey.store import tables

if TYPE_CHECKING:
    from panelkey.core.panel import Panel

Blocks = dict[str, list[tuple[str, str]]]

_UNLIMITED = "-1"
_100_MB = str(100 * 1024 * 1024)

# Permissions Plesk's stock plans set (the others are panelkey's, left at their default).
_NOT_PLESKS = {"manage_webapps", "allow_license_stubs"}
_SERVICE_PERMISSIONS = tuple(s.name for s in PERMISSIONS.settings if s.name not in _NOT_PLESKS)
_PHOSTING = {
    f"manage_phosting_{x}"
    for x in ("php", "cgi", "perl", "python", "fastcgi", "ssi", "ssl", "errdocs", "webdeploy")
}
_SIMPLE = _PHOSTING | {
    "access_appcatalog",
    "access_service_users",
    "create_domains",
    "manage_domain_aliases",
    "manage_mail_autodiscover",
    "manage_not_chroot_shell",
    "manage_php_version",
    "manage_subdomains",
    "manage_webstat",
}
_DOMAIN = (_SIMPLE - {"manage_domain_aliases", "manage_not_chroot_shell"}) | {
    "allow_ftp_backups",
    "allow_insecure_sites",
    "allow_local_backups",
    "manage_dns",
    "manage_log",
    "manage_maillists",
    "manage_mail_settings",
    "manage_protected_dirs",
    "manage_spamfilter",
    "manage_subftp",
    "manage_virusfilter",
    "manage_website_maintenance",
}
_RESELLER = _DOMAIN | {
    "allow_oversell",
    "create_clients",
    "manage_domain_aliases",
    "manage_performance_bandwidth",
    "manage_performance_connections",
    "manage_phosting",
    "manage_php_settings",
    "manage_quota",
    "remote_access_interface",
    "select_db_server",
}
_RESELLER_FALSE = {
    "allow_account_ftp_backups",
    "allow_account_local_backups",
    "manage_anonftp",
    "manage_crontab",
    "manage_not_chroot_shell",
    "manage_performance",
    "manage_sh_access",
    "remote_db_connection",
}
# The limits a stock service plan and the stock reseller plan both list, in their order.
_SHARED_LIMITS = (
    "max_subdom",
    "max_dom_aliases",
    "disk_space",
    "disk_space_soft",
    "max_traffic",
    "max_traffic_soft",
    "max_wu",
    "max_subftp_users",
    "max_db",
    "max_box",
)
_LIMITS = (
    "max_site",
    *_SHARED_LIMITS,
    "mbox_quota",
    "max_maillists",
    "max_site_builder",
    "expiration",
)


def _flags(names: Iterable[str], granted: set[str]) -> list[tuple[str, str]]:
    return [(n, "true" if n in granted else "false") for n in names]


def _service(
    granted: set[str], *, overuse: str, webstat: str, errdocs: str, limits: Mapping[str, str]
) -> Blocks:
    return {
        "mail": [("webmail", "roundcube")],
        "limits": [("overuse", overuse), *((n, limits.get(n, _UNLIMITED)) for n in _LIMITS)],
        "preferences": [
            ("stat", "3"),
            ("maillists", "false"),
            ("mailservice", "true"),
            ("dns_zone_type", "master"),
        ],
        "hosting": [
            ("ftp_quota", _UNLIMITED),
            ("ssl", "true"),
            ("ssl_redirect", "true"),
            ("shell", "/bin/false"),
            ("php", "true"),
            ("ssi", "false"),
            ("cgi", "false"),
            ("perl", "false"),
            ("python", "false"),
            ("fastcgi", "true"),
            ("asp", "false"),
            ("webstat", webstat),
            ("webstat_protected", "true"),
            ("errdocs", errdocs),
        ],
        "performance": [("bandwidth", _UNLIMITED), ("max_connections", _UNLIMITED)],
        "permissions": _flags(_SERVICE_PERMISSIONS, granted),
        "plan": [("hosting-type", "vrt_hst")],
    }


def _simple() -> Blocks:
    return _service(_SIMPLE, overuse="normal", webstat="webalizer", errdocs="false", limits={})


_DEFAULT_DOMAIN_LIMITS = {
    "max_site": "10",
    "disk_space": str(10 * 1024**3),
    "max_traffic": str(100 * 1024**3),
    "max_db": "10",
    "max_box": "100",
    "mbox_quota": _100_MB,
    "max_maillists": "100",
}
_RESELLER_LIMITS = ("max_cl", "max_dom", *_SHARED_LIMITS, "max_maillists")

# (kind, name, settings), in Plesk's order of creation.
STOCK_PLANS: tuple[tuple[str, str, Blocks], ...] = (
    ("service", "Admin Simple", _simple()),
    (
        "reseller",
        "Default Reseller",
        {
            "reseller-limits": [
                ("oversell", "true"),
                ("overuse", "block"),
                *((n, _UNLIMITED) for n in _RESELLER_LIMITS),
                ("mbox_quota", _100_MB),
            ],
            "reseller-permissions": _flags(
                sorted(_RESELLER | _RESELLER_FALSE),
                _RESELLER,
            ),
            "ip-pool": [("allocate-ip", "0")],
        },
    ),
    (
        "service",
        "Default Domain",
        _service(
            _DOMAIN,
            overuse="block",
            webstat="webalizer",
            errdocs="true",
            limits=_DEFAULT_DOMAIN_LIMITS,
        ),
    ),
    (
        "service",
        "Unlimited",
        _service(
            set(_SERVICE_PERMISSIONS),
            overuse="normal",
            webstat="awstats",
            errdocs="true",
            limits={},
        ),
    ),
    ("service", "Default Simple", _simple()),
)


def default_admin_email() -> str:
    """Plesk's admin e-mail before anyone sets one: admin@ the host's name."""
    return f"admin@{socket.getfqdn() or socket.gethostname()}"


def admin_email(given: str | None = None) -> str:
    """The admin's first e-mail: given (setting `admin_email`), else the environment's
    PANELKEY_ADMIN_EMAIL, else admin@<hostname>."""
    return (given or os.environ.get("PANELKEY_ADMIN_EMAIL") or default_admin_email()).strip()


def first_start(panel: Panel, email: str | None, conn: sa.Connection | None = None) -> None:
    """The admin's first-start profile (name, e-mail) and the stock plans, with their
    events, in the caller's transaction (`conn`, from `db.atomic()`) or in one of its own."""
    if conn is None:
        with panel.db.atomic() as own:
            first_start(panel, email, own)
        return
    admin = panel.accounts.admin()
    assert admin is not None, "the admin is made before the first start's objects"
    a = tables.accounts
    profile = {
        "name": "Administrator",
        "email": admin_email(email),
        **dict.fromkeys(
            ("company", "phone", "fax", "address", "city", "state", "pcode", "country"), ""
        ),
        "locale": "en-US",
        "description": "",
        "external_id": "",
        "status": 0,
    }
    conn.execute(a.update().where(a.c.id == admin.id).values(**profile))
    events.record(
        conn, "admin_info", events.UPDATE, admin.id, admin.login, admin.identity(),
        new={"email": profile["email"], "name": profile["name"]},
    )  # fmt: skip
    for kind, name, settings in STOCK_PLANS:
        panel.plans.create(admin.identity(), kind, name=name, settings=settings)
