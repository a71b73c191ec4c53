"""What the console scripts share: settings from flags and environment, the store, and
running a utility against it.

Commands other than `serve` use a store that is there already: a mistyped data folder
or URL is refused in one line and nothing is made, unless `--create` (panelkey's
commands) or PANELKEY_CREATE_STORE=1 (any command) says to make a new store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from panelkey.config import Settings
    from panelkey.core.panel import Panel
    from panelkey.utilities import Utility

CREATE_ENV = "PANELKEY_CREATE_STORE"


def settings_or_exit(flags: Mapping[str, Any] | None = None) -> Settings:
    from panelkey.config import ConfigError, load_settings

    try:
        return load_settings(flags)
    except ConfigError as exc:
        # A start-up failure like the others (startup.py): one line, exit code 1.
        print(
            f"panelkey: cannot start: {exc} (docs/configuration.md lists every setting)",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def open_panel(settings: Settings) -> Panel:
    """The store, migrated, with the admin account made if this is the very first use:
    a new store when there is none (see `existing_panel` for the commands' way)."""
    from panelkey.core.access import passwords
    from panelkey.core.panel import Panel

    # The profile a server would hash with: a seed or a new admin made here is checked there.
    passwords.configure(settings.password_hash_threads)
    passwords.use_profile(settings.password_hash_profile)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    panel = Panel.open(settings.database_url)
    password = panel.bootstrap(admin_email=settings.admin_email)
    if password is not None:
        print(
            f"panelkey: created the admin account; its password (shown once): {password}",
            file=sys.stderr,
        )
    return panel


def create_asked() -> bool:
    return os.environ.get(CREATE_ENV, "").strip().lower() in ("1", "yes", "true", "on")


def require_store(settings: Settings, prog: str, hint: str = "add --create") -> None:
    """Exit 1 with one line on stderr, having made nothing, unless `settings` name a
    panelkey store that is there."""
    from panelkey.startup import StartupFailure, find_store, shown_url

    try:
        found = find_store(settings.database_url)
    except StartupFailure as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    if found.revision is not None:
        return
    where = (
        "check --data-dir or PANELKEY_DATA_DIR"
        if settings.database_url == f"sqlite:///{settings.data_dir / 'panelkey.db'}"
        else "check --database-url or PANELKEY_DATABASE_URL"
    )
    print(
        f"{prog}: no panelkey store at {shown_url(settings.database_url)} ({found.missing}); "
        f"{where}, or {hint} to make a new one",
        file=sys.stderr,
    )
    raise SystemExit(1)


def existing_panel(settings: Settings, prog: str, create: bool = False) -> Panel:
    """The store of `settings` for a command: refused (one line, exit 1, nothing made)
    when it is not there, unless `create` or PANELKEY_CREATE_STORE asks for a new one.
    A store that will not open is one line too."""
    from panelkey.startup import store_failure

    if not (create or create_asked()):
        hint = "add --create" if prog.startswith("panelkey") else f"set {CREATE_ENV}=1"
        require_store(settings, prog, hint)
    try:
        return open_panel(settings)
    except Exception as exc:  # noqa: BLE001 - whatever stops the store, one line says it
        print(f"{prog}: {store_failure(exc, settings.database_url)}", file=sys.stderr)
        raise SystemExit(1) from None


def run_locally(utility: Utility, args: Sequence[str], prog: str = "secret_key") -> int:
    """A utility run against the local store: its output written, its exit code returned."""
    panel = existing_panel(settings_or_exit(), prog)
    try:
        outcome = utility(panel, args, "cli")
    finally:
        panel.close()
    sys.stdout.write(outcome.stdout)
    sys.stderr.write(outcome.stderr)
    return outcome.code
