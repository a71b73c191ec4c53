"""Settings blocks as data: limits, permissions, preferences, hosting properties, ...

Each block is a table of settings (name, type, default, help) from Plesk's XML API
reference. Validation (`Block.check`), storage (canonical text values, one row per
setting in `plan_settings` / `domain_settings`) and the `get-*-descriptor` answers
all come from these tables; nothing else lists a setting's name.

Types are the descriptor's (Plesk's descriptor.xsd): ``int``, ``bytes``, ``date``
(limits: -1 means unlimited), ``boolean``, ``string``, ``password`` (accepted,
never stored) and ``enum`` (one of `choices`); ``msglimit`` is Plesk's outgoing-mail
limit text (``default``: inherit from the level above, ``unlimited``, or a count of
messages per hour).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from panelkey.core.errors import InvalidValue

UNLIMITED = "-1"
_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}
_PHP_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,127}$")
_DIRECTIVE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,127}$")
_MAX_TEXT = 1024


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: str
    default: str
    help: str
    choices: tuple[str, ...] = ()

    def check(self, value: str) -> str:
        """The canonical text of `value`; raises InvalidValue naming the setting."""
        text = (value or "").strip()
        if self.type in ("int", "bytes", "date"):
            try:
                number = int(text)
            except ValueError:
                raise InvalidValue(f"Invalid value of {self.name}: {value!r}") from None
            if number < -1 or number > 2**62:
                raise InvalidValue(f"Invalid value of {self.name}: {value!r}")
            return str(number)
        if self.type == "boolean":
            if text.lower() in _TRUE:
                return "true"
            if text.lower() in _FALSE:
                return "false"
            raise InvalidValue(f"Invalid value of {self.name}: {value!r}")
        if self.type == "msglimit":
            if text in ("default", "unlimited") or (text.isdigit() and len(text) < 10):
                return str(int(text)) if text.isdigit() else text
            raise InvalidValue(f"Invalid value of {self.name}: {value!r}")
        if self.type == "enum":
            if text not in self.choices:
                raise InvalidValue(f"Invalid value of {self.name}: {value!r}")
            return text
        if len(value) > _MAX_TEXT or "\x00" in value:
            raise InvalidValue(f"Invalid value of {self.name}")
        return value


@dataclass(frozen=True, slots=True)
class Block:
    """One block of settings. `open` blocks (php-settings, web-server-settings) take any
    name `names` matches, as a string; `password` settings are accepted and dropped,
    never stored."""

    name: str
    settings: tuple[Setting, ...]
    open: bool = False
    names: re.Pattern[str] = _PHP_NAME
    by_name: dict[str, Setting] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({s.name: s for s in self.settings})

    def setting(self, name: str) -> Setting:
        found = self.by_name.get(name)
        if found is not None:
            return found
        if self.open and self.names.match(name):
            return Setting(name, "string", "", "")
        raise InvalidValue(f"Unknown {self.name} setting: {name!r}")

    def check(self, values: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Validated canonical values to store, in the order given; a `password`
        setting is checked for presence only and left out. Raises InvalidValue."""
        out: dict[str, str] = {}
        for name, value in values:
            setting = self.setting(name.strip())
            if setting.type == "password":
                continue
            out[setting.name] = setting.check(value)
        return out

    def zeroed(self) -> list[tuple[str, str]]:
        """Plesk's ``all-to-zero``: every count and size limit at 0 (the overuse
        policy and the expiration date are not amounts and stay as they are)."""
        return [(s.name, "0") for s in self.settings if s.type in ("int", "bytes")]

    def revoked(self) -> list[tuple[str, str]]:
        """Plesk's ``revoke-all``: every permission false."""
        return [(s.name, "false") for s in self.settings if s.type == "boolean"]

    def defaults(self) -> dict[str, str]:
        return {s.name: s.default for s in self.settings if s.type != "password"}

    def effective(self, *layers: Mapping[str, str]) -> dict[str, str]:
        """Defaults overlaid by each layer in turn, in the table's order (then extras)."""
        merged = self.defaults()
        for layer in layers:
            merged.update(layer)
        return merged


def _ints(kind: str, items: Iterable[tuple[str, str]], default: str = UNLIMITED) -> list[Setting]:
    return [Setting(name, kind, default, text) for name, text in items]


def _flags(items: Iterable[tuple[str, str]], default: str = "false") -> list[Setting]:
    return [Setting(name, "boolean", default, text) for name, text in items]


OVERUSE = Setting(
    "overuse",
    "enum",
    "normal",
    "Policy when a limit is exceeded",
    ("block", "notify", "normal", "not_suspend", "not_suspend_notify"),
)

_COUNTS = (
    ("max_site", "Domains (sites)"),
    ("max_subdom", "Subdomains"),
    ("max_dom_aliases", "Domain aliases"),
    ("max_wu", "Web users"),
    ("max_subftp_users", "Additional FTP accounts"),
    ("max_db", "Databases"),
    ("max_box", "Mailboxes"),
    ("max_maillists", "Mailing lists"),
    ("max_webapps", "Java applications"),
    ("max_site_builder", "Sites published with Site Builder"),
)
_SIZES = (
    ("disk_space", "Disk space, bytes"),
    ("disk_space_soft", "Notify on disk space usage, bytes"),
    ("max_traffic", "Traffic per month, bytes"),
    ("max_traffic_soft", "Notify on traffic usage, bytes"),
    ("mbox_quota", "Size of a mailbox, bytes"),
    ("total_mboxes_quota", "Total mailboxes size, bytes"),
)

LIMITS = Block(
    "limits",
    (
        OVERUSE,
        *_ints("int", _COUNTS),
        *_ints("bytes", _SIZES),
        Setting("expiration", "date", UNLIMITED, "Expiration date (Unix time), -1 never"),
    ),
)

# What a subscription's owner may manage (Plesk's permission descriptor; the names the
# stock plans of a fresh Plesk set). Resellers hold these too, and RESELLER_ONLY.
_SUBSCRIPTION_PERMISSIONS = (
    ("create_domains", "Domains creation"),
    ("manage_phosting", "Hosting settings management"),
    ("manage_phosting_php", "PHP support management"),
    ("manage_phosting_cgi", "CGI support management"),
    ("manage_phosting_perl", "Perl support management"),
    ("manage_phosting_python", "Python support management"),
    ("manage_phosting_fastcgi", "FastCGI support management"),
    ("manage_phosting_ssi", "SSI support management"),
    ("manage_phosting_ssl", "SSL/TLS support management"),
    ("manage_phosting_errdocs", "Custom error documents management"),
    ("manage_phosting_webdeploy", "Web Deploy publishing management"),
    ("manage_php_settings", "Common PHP settings management"),
    ("manage_php_version", "PHP version management"),
    ("manage_sh_access", "Management of access to the server over SSH"),
    ("manage_not_chroot_shell", "Access to the server over SSH without chroot"),
    ("manage_quota", "Hard disk quota assignment"),
    ("manage_subdomains", "Subdomains management"),
    ("manage_domain_aliases", "Domain aliases management"),
    ("manage_log", "Log rotation management"),
    ("manage_anonftp", "Anonymous FTP management"),
    ("manage_crontab", "Scheduler management"),
    ("manage_dns", "DNS zone management"),
    ("manage_webapps", "Java applications management"),
    ("manage_maillists", "Mailing lists management"),
    ("manage_spamfilter", "Spam filter management"),
    ("manage_virusfilter", "Antivirus management"),
    ("allow_local_backups", "Backing up and restoring data in the server repository"),
    ("allow_account_local_backups", "Backing up the account in the server repository"),
    ("allow_ftp_backups", "Backing up and restoring data in a remote repository"),
    ("allow_account_ftp_backups", "Backing up the account in a remote repository"),
    ("manage_performance", "Hosting performance settings management"),
    ("manage_subftp", "Additional FTP accounts management"),
    ("select_db_server", "Database server selection"),
    ("remote_db_connection", "Remote access to databases"),
    ("access_appcatalog", "Access to the application catalog"),
    ("allow_insecure_sites", "Setting up potentially insecure web scripting options"),
    ("manage_website_maintenance", "Website maintenance mode management"),
    ("manage_protected_dirs", "Password-protected directories management"),
    ("access_service_users", "User management"),
    ("manage_mail_settings", "Mail server settings management"),
    ("manage_mail_autodiscover", "Mail autodiscover management"),
    ("manage_webstat", "Web statistics management"),
    ("allow_license_stubs", "Use of license stubs for applications"),
)

PERMISSIONS = Block("permissions", tuple(_flags(_SUBSCRIPTION_PERMISSIONS)))

# Physical hosting (vrt_hst) properties. ftp_login and www_root belong to one
# subscription and are kept on the domain itself, not in a plan.
HOSTING = Block(
    "hosting",
    (
        Setting("ftp_login", "string", "", "Login of the system user"),
        Setting("ftp_password", "password", "", "Password of the system user (never kept)"),
        Setting("ftp_quota", "bytes", UNLIMITED, "Hard disk quota, bytes"),
        Setting("ssl", "boolean", "true", "SSL/TLS support"),
        Setting("ssl_redirect", "boolean", "true", "Permanent 301 redirect from HTTP to HTTPS"),
        Setting("shell", "string", "/bin/false", "Shell of the system user"),
        Setting("php", "boolean", "true", "PHP support"),
        Setting("php_handler_id", "string", "fpm", "PHP handler"),
        Setting("ssi", "boolean", "false", "SSI support"),
        Setting("ssi_html", "boolean", "false", "SSI for *.html and *.htm files"),
        Setting("cgi", "boolean", "false", "CGI support"),
        Setting("perl", "boolean", "false", "Perl support"),
        Setting("python", "boolean", "false", "Python support"),
        Setting("fastcgi", "boolean", "false", "FastCGI support"),
        Setting("asp", "boolean", "false", "ASP support (Plesk for Windows)"),
        Setting("asp_dot_net", "boolean", "false", "ASP.NET support (Plesk for Windows)"),
        Setting("managed_runtime_version", "string", "", "ASP.NET version (Plesk for Windows)"),
        Setting("webdeploy", "boolean", "false", "Web Deploy publishing"),
        Setting("webstat", "enum", "awstats", "Web statistics", ("none", "webalizer", "awstats")),
        Setting("webstat_protected", "boolean", "true", "Password-protected statistics"),
        Setting("errdocs", "boolean", "false", "Custom error documents"),
        Setting("write_modify", "boolean", "false", "Additional write/modify permissions"),
        Setting("www_root", "string", "", "Document root"),
        Setting("certificate_name", "string", "", "SSL/TLS certificate"),
    ),
)
PER_DOMAIN_HOSTING = frozenset({"ftp_login", "ftp_password", "www_root"})

# webspace/site `prefs`
PREFS = Block(
    "prefs",
    (
        Setting("www", "boolean", "true", "The www. prefix resolves to the domain"),
        Setting("stat_ttl", "int", "3", "Months web statistics are kept"),
        Setting(
            "outgoing-messages-domain-limit",
            "msglimit",
            "default",
            "Outgoing messages per hour from the domain",
        ),
        Setting("icp-status", "boolean", "false", "The site has an ICP permit (China)"),
        Setting("icp-permit", "string", "", "ICP permit number"),
    ),
)

# service-plan `preferences`
PLAN_PREFERENCES = Block(
    "preferences",
    (
        Setting("stat", "int", "3", "Months web statistics are kept"),
        Setting("maillists", "boolean", "false", "Mailing lists service"),
        Setting("mailservice", "boolean", "true", "Mail service"),
        Setting("dns_zone_type", "enum", "master", "DNS zone type", ("master", "slave")),
    ),
)

PERFORMANCE = Block(
    "performance",
    (
        Setting("bandwidth", "int", UNLIMITED, "Bandwidth, KB/s; -1 unlimited"),
        Setting("max_connections", "int", UNLIMITED, "Simultaneous connections; -1 unlimited"),
    ),
)

# A subscription's PHP settings by their php.ini names, with the values a fresh Plesk
# answers (its server-wide defaults: open_basedir confined to the webspace and the
# temporary folder, opcache_get_status disabled, PHP-FPM on demand).
_PHP = {
    "memory_limit": "128M",
    "max_execution_time": "30",
    "max_input_time": "60",
    "post_max_size": "8M",
    "upload_max_filesize": "2M",
    "opcache.enable": "on",
    "disable_functions": "opcache_get_status",
    "include_path": ".:/usr/share/php",
    "session.save_path": "/var/lib/php/sessions",
    "mail.force_extra_parameters": "",
    "open_basedir": "{WEBSPACEROOT}{/}{:}{TMP}{/}",
    "error_reporting": "E_ALL & ~E_NOTICE & ~E_STRICT & ~E_DEPRECATED",
    "display_errors": "off",
    "log_errors": "on",
    "allow_url_fopen": "on",
    "file_uploads": "on",
    "short_open_tag": "off",
    "safe_mode": "off",
    "safe_mode_include_dir": "",
    "safe_mode_exec_dir": "",
    "register_globals": "",
    "magic_quotes_gpc": "",
    "pm": "ondemand",
    "pm.max_children": "10",
    "pm.max_requests": "",
    "pm.start_servers": "1",
    "pm.min_spare_servers": "1",
    "pm.max_spare_servers": "1",
}
PHP_SETTINGS = Block(
    "php-settings",
    tuple(Setting(n, "string", d, f"{n} of php.ini") for n, d in _PHP.items()),
    open=True,
)

# A plan's web server settings (Plesk's webServerSettings: name/value pairs), with
# what a fresh Plesk's stock plans hold; any other directive name is kept as given.
WEB_SERVER = Block(
    "web-server-settings",
    tuple(
        Setting(n, "string", d, "Web server setting")
        for n, d in (
            ("nginxProxyMode", "true"),
            ("nginxServeStatic", "false"),
            ("nginxServePhp", "false"),
            ("nginxTransparentMode", "false"),
            ("restrictFollowSymLinks", "true"),
        )
    ),
    open=True,
    names=_DIRECTIVE_NAME,
)

MAIL = Block(
    "mail",
    (
        Setting(
            "nonexistent-user",
            "enum",
            "reject",
            "Mail to nonexistent users",
            ("bounce", "forward", "reject"),
        ),
        Setting("nonexistent-user-target", "string", "", "Bounce message or forward address"),
        Setting("webmail", "string", "roundcube", "Webmail"),
        Setting("mailservice", "boolean", "true", "Mail service"),
        Setting("spam-protect-sign", "boolean", "false", "Sign outgoing mail (DomainKeys)"),
        Setting("greylisting", "boolean", "true", "Greylisting spam protection"),
        Setting("maillists", "boolean", "false", "Mailing lists (a plan's mail)"),
        *(
            Setting(f"outgoing-messages-{level}-limit", "msglimit", "default", text)
            for level, text in (
                ("mbox", "Outgoing messages per hour from a mailbox"),
                ("domain", "Outgoing messages per hour from a domain"),
                ("subscription", "Outgoing messages per hour from the subscription"),
            )
        ),
        Setting(
            "outgoing-messages-enable-sendmail",
            "enum",
            "default",
            "Scripts and users may send mail with sendmail",
            ("true", "false", "default"),
        ),
        Setting(
            "outgoing-messages-overlimit-percent",
            "int",
            "0",
            "Percent by which the outgoing limits may be exceeded",
        ),
    ),
)

LOG_ROTATION = Block(
    "log-rotation",
    (
        Setting("enabled", "boolean", "true", "Log rotation on"),
        Setting("log-bytime", "enum", "daily", "Rotate by time", ("daily", "weekly", "monthly")),
        Setting("log-bysize", "bytes", "0", "Rotate by size, bytes (0: by time)"),
        Setting("log-max-num-files", "int", "3", "Log files kept"),
        Setting("log-compress", "boolean", "true", "Compress rotated logs"),
        Setting("log-email", "string", "", "Send rotated logs to this address"),
    ),
)

RESELLER_LIMITS = Block(
    "reseller-limits",
    (
        Setting("oversell", "boolean", "false", "Overselling of resources allowed"),
        OVERUSE,
        *_ints("int", (("max_cl", "Customers"), ("max_dom", "Subscriptions"))),
        *_ints("int", _COUNTS),
        *_ints("bytes", _SIZES),
        Setting("expiration", "date", UNLIMITED, "Expiration date (Unix time), -1 never"),
    ),
)

RESELLER_PERMISSIONS = Block(
    "reseller-permissions",
    tuple(
        _flags(
            (
                ("create_clients", "Customer accounts creation"),
                ("allow_oversell", "Overselling"),
                ("allow_own_plans", "Own service plans"),
                ("remote_access_interface", "Access to the API"),
                ("manage_performance_bandwidth", "Bandwidth limit management"),
                ("manage_performance_connections", "Connections limit management"),
                *_SUBSCRIPTION_PERMISSIONS,
            )
        )
    ),
)

HOSTING_TYPES = ("vrt_hst", "std_fwd", "frm_fwd", "none")
# What a plan is besides its blocks: the kind of hosting its subscriptions get.
PLAN = Block(
    "plan",
    (Setting("hosting-type", "enum", "vrt_hst", "Hosting type", HOSTING_TYPES),),
)

# A reseller plan's IP pool: shared addresses of the server's pool given to its
# resellers, and how many exclusive ones each may take.
IP_POOL = Block(
    "ip-pool",
    (
        Setting("ip-address", "string", "", "Shared IP addresses, space-separated"),
        Setting("allocate-ip", "int", "0", "Exclusive IP addresses a reseller may take"),
    ),
)

BLOCKS: dict[str, Block] = {
    b.name: b
    for b in (
        LIMITS,
        PERMISSIONS,
        HOSTING,
        PREFS,
        PLAN_PREFERENCES,
        PERFORMANCE,
        PHP_SETTINGS,
        MAIL,
        LOG_ROTATION,
        RESELLER_LIMITS,
        RESELLER_PERMISSIONS,
        WEB_SERVER,
        PLAN,
        IP_POOL,
    )
}

# What each kind of plan holds, in Plesk's element order.
PLAN_BLOCKS: dict[str, tuple[str, ...]] = {
    "service": (
        *("mail", "limits", "log-rotation", "preferences", "hosting", "performance"),
        *("permissions", "php-settings", "web-server-settings", "plan"),
    ),
    "addon": ("limits", "hosting", "performance", "permissions", "php-settings"),
    "reseller": ("reseller-limits", "reseller-permissions", "ip-pool"),
}
# What a subscription holds (effective = defaults, plan, add-ons, its own values).
SUBSCRIPTION_BLOCKS = (
    *("limits", "hosting", "prefs", "performance", "permissions", "php-settings"),
    *("mail", "log-rotation"),
)


def add_limits(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """An add-on's limits on top of a plan's: numbers add up, -1 (unlimited) wins."""
    out = dict(base)
    for name, value in extra.items():
        setting = LIMITS.by_name.get(name)
        if setting is None or setting.type not in ("int", "bytes") or name not in out:
            out[name] = value
            continue
        a, b = int(out[name]), int(value)
        out[name] = UNLIMITED if UNLIMITED in (out[name], value) else str(a + b)
    return out
