"""Start-up failures as one line each: what failed, where, and what to do.

`panelkey serve` prints `panelkey: cannot start: <line>` to stderr and exits 1 for any
`StartupFailure`; the helpers here turn the usual causes into one.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import ssl
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from panelkey.store.database import HEAD_REVISION, normalise_url


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


@dataclass(frozen=True)
class StoreFound:
    """What a store URL holds, seen without creating anything."""

    revision: str | None  # the schema revision; None: no panelkey store there
    missing: str = ""  # when there is none, what is there instead, in words


def find_store(url: str) -> StoreFound:
    """Look at the store of `url` and create nothing: no folder, no file, no table.
    Raises StartupFailure (one line) when it cannot be looked at."""
    check_store_url(url)
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return _find_sqlite(Path(str(parsed.database)))
    engine = None
    try:
        engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return StoreFound(None, "the database holds no panelkey tables")
            row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
    except Exception as exc:  # noqa: BLE001 - whatever stops the look, one line says it
        raise store_failure(exc, url) from None
    finally:
        if engine is not None:
            engine.dispose()
    return StoreFound(None if row is None else str(row[0]), "an empty alembic_version table")


def _find_sqlite(path: Path) -> StoreFound:
    if not path.parent.is_dir():
        return StoreFound(None, f"the folder {path.parent} does not exist")
    if not path.is_file():
        return StoreFound(None, f"the folder {path.parent} has no {path.name}")
    # Read-only, by URI: sqlite3.connect(path) would make the file it looks for.
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as conn:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone():
                return StoreFound(None, f"{path} holds no panelkey tables")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:  # unreadable, locked: not an answer
        raise StartupFailure(
            f"cannot read the store {path}: {exc}; check its permissions"
        ) from None
    except sqlite3.DatabaseError:
        return StoreFound(None, f"{path} is not a SQLite database")
    return StoreFound(None if row is None else str(row[0]), f"{path} has no schema revision")


def store_line(url: str) -> str:
    """`serve`'s one line on the store it uses, before it opens it: which (password
    hidden), and whether it is new or at which revision. Never raises: a store that
    cannot be looked at gets the line without its state, and the start says why next."""
    try:
        found = find_store(url)
    except StartupFailure:
        return f"panelkey: store {shown_url(url)}"
    if found.revision is None:
        state = "new"
    elif found.revision == HEAD_REVISION:
        state = f"existing, revision {found.revision}"
    else:
        state = f"existing, revision {found.revision}, to migrate to {HEAD_REVISION}"
    return f"panelkey: store {shown_url(url)} ({state})"
