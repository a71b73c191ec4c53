"""Start-up failures as one line each: what failed, where, and what to do.

`panelkey serve` prints `panelkey: cannot start: <line>` to stderr and exits 1 for any
`StartupFailure`; the helpers here turn the usual causes into one.
"""

from __future__ import annotations

import errno
import ssl
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url


class StartupFailure(Exception):
    """Why the server cannot start, in one line."""


def shown_url(url: str) -> str:
    """A database URL fit for a message: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return url


def check_store_url(url: str) -> None:
    """Refuse stores a server cannot use before anything tries to open them."""
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise StartupFailure(
            f"the database URL {url!r} is not a URL; give sqlite:////path/to/panelkey.db or "
            "postgresql://user:password@host:port/db with --database-url or "
            "PANELKEY_DATABASE_URL"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StartupFailure(
            f"the store {url} lives only in memory, so every worker and every command would "
            "see a store of its own; give a file instead, e.g. sqlite:////var/lib/panelkey/"
            "panelkey.db, with --database-url or PANELKEY_DATABASE_URL"
        )


def store_failure(exc: BaseException, url: str) -> StartupFailure:
    """The line for a store that would not open or migrate."""
    shown = shown_url(url)
    if isinstance(exc, sa.exc.NoSuchModuleError | ModuleNotFoundError):
        return StartupFailure(
            f"no driver for the store {shown}: {exc}; give a sqlite:/// or "
            "postgresql+psycopg:// URL with --database-url or PANELKEY_DATABASE_URL"
        )
    cause = getattr(exc, "orig", None) or exc
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) or isinstance(
        cause, OSError
    ):
        return StartupFailure(
            f"cannot reach the store {shown}: {first}; check that the database server runs "
            "and accepts this user, or fix --database-url / PANELKEY_DATABASE_URL"
        )
    return StartupFailure(
        f"cannot open the store {shown}: {type(cause).__name__}: {first}; check the URL and "
        "that the database is panelkey's"
    )


def listen_failure(exc: OSError, what: str, host: str, port: int, flag: str) -> StartupFailure:
    """The line for a listener that could not bind."""
    where = f"{what} on {host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        hint = f"another process uses the port: stop it, or choose another port with {flag}"
    elif exc.errno == errno.EACCES:
        hint = f"ports below 1024 need privileges: choose a higher one with {flag}"
    else:
        hint = "check that this machine has that address (--host)"
    return StartupFailure(f"cannot listen for {where}: {exc.strerror or exc}; {hint}")


def check_tls(cert: Path, key: Path) -> None:
    """Load the certificate and key once, so a bad pair stops the start, not each worker."""
    for path in (cert, key):
        if not path.is_file():
            raise StartupFailure(
                f"the TLS file {path} does not exist; fix --tls-cert / --tls-key, or leave "
                "both unset for a self-signed certificate"
            )
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        raise StartupFailure(
            f"cannot use the TLS certificate {cert} with the key {key}: {exc}; give a PEM "
            "certificate and its own private key (--tls-cert, --tls-key)"
        ) from None


def folder_failure(exc: OSError, folder: Path) -> StartupFailure:
    return StartupFailure(
        f"cannot use the data folder {folder}: {exc.strerror or exc}; choose another with "
        "--data-dir or PANELKEY_DATA_DIR, or fix its permissions"
    )
