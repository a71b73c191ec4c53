"""What the console scripts share: settings from flags and environment, the store, and
running a utility against it."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

from panelkey.config import ConfigError, Settings, load_settings
from panelkey.core.panel import Panel
from panelkey.utilities import Utility


def settings_or_exit(flags: Mapping[str, Any] | None = None) -> Settings:
    try:
        return load_settings(flags)
    except ConfigError as exc:
        # A start-up failure like the others (startup.py): one line, exit code 1.
        print(
            f"panelkey: cannot start: configuration error: {exc}; "
            "correct that setting (docs/configuration.md lists them all)",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def open_panel(settings: Settings) -> Panel:
    """The store, migrated, with the admin account made if this is the very first use."""
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    panel = Panel.open(settings.database_url)
    password = panel.bootstrap(admin_email=settings.admin_email)
    if password is not None:
        print(
            f"panelkey: created the admin account; its password (shown once): {password}",
            file=sys.stderr,
        )
    return panel


def run_locally(utility: Utility, args: Sequence[str]) -> int:
    """A utility run against the local store: its output written, its exit code returned."""
    panel = open_panel(settings_or_exit())
    try:
        outcome = utility(panel, args, "cli")
    finally:
        panel.close()
    sys.stdout.write(outcome.stdout)
    sys.stderr.write(outcome.stderr)
    return outcome.code
