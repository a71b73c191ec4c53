"""Fixed catalogues panelkey answers with: the software a Plesk server would run.

panelkey runs none of it; these lists only keep answers coherent with each other
(the PHP versions of ``components`` are the handlers of ``php-handler/get``).
"""

from __future__ import annotations

# (id, display name, full version, version, type, path, cli path, php.ini)
PHP_HANDLERS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = tuple(
    (
        f"plesk-php{v.replace('.', '')}-{kind}",
        f"{v}.{patch} {label}",
        f"{v}.{patch}",
        v,
        kind,
        f"/opt/plesk/php/{v}/{'sbin/php-fpm' if kind == 'fpm' else 'bin/php-cgi'}",
        f"/opt/plesk/php/{v}/bin/php",
        f"/opt/plesk/php/{v}/etc/php.ini",
    )
    for v, patch in (("8.1", 31), ("8.2", 26), ("8.3", 14))
    for kind, label in (("fpm", "by OS vendor FPM application"), ("fastcgi", "FastCGI application"))
)

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("bind", "9.18"),
    ("postfix", "3.7"),
    ("dovecot", "2.3"),
    ("apache", "2.4"),
    ("nginx", "1.24"),
    ("proftpd", "1.3"),
    ("mysql", "10.11"),
    *((f"php{v}", f"{v}.{p}") for v, p in (("8.1", 31), ("8.2", 26), ("8.3", 14))),
)

SHELLS: tuple[tuple[str, str], ...] = (
    ("/bin/bash", "/bin/bash"),
    ("/bin/sh", "/bin/sh"),
    ("/bin/bash (chrooted)", "/usr/local/psa/bin/chrootsh"),
    ("Forbidden", "/bin/false"),
)

SITE_ISOLATION: tuple[tuple[str, str], ...] = (
    ("php", "true"),
    ("php-handler-type", "fpm"),
    ("cgi", "true"),
    ("fastcgi", "true"),
    ("perl", "true"),
    ("python", "true"),
    ("ssi", "true"),
)

# locale/get: (id, language, country)
LOCALES: tuple[tuple[str, str, str], ...] = (
    ("en-US", "en", "US"),
    ("de-DE", "de", "DE"),
    ("fr-FR", "fr", "FR"),
    ("es-ES", "es", "ES"),
    ("ru-RU", "ru", "RU"),
)
