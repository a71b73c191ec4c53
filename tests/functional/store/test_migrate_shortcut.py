"""Opening a store that is already at the newest revision skips alembic altogether (every
command's start is shorter by its import); a store behind it is migrated as before."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from panelkey.core.panel import Panel
from panelkey.store import database

_OPEN = (
    "import sys; from panelkey.core.panel import Panel; "
    "Panel.open(sys.argv[1]).close(); print('alembic' in sys.modules)"
)


def _opened_with_alembic(url: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", _OPEN, url], capture_output=True, text=True, check=True
    )
    return done.stdout.strip() == "True"


def _revision(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return str(found)


def test_head_revision_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(database._MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == database.HEAD_REVISION


def test_a_new_store_is_migrated_with_alembic_and_then_opens_without(database_url: str) -> None:
    assert _opened_with_alembic(database_url)  # nothing there yet: every migration runs
    assert _revision(database_url) == database.HEAD_REVISION
    assert not _opened_with_alembic(database_url)
    panel = Panel.open(database_url)  # and the store serves as before
    try:
        assert panel.bootstrap() is not None
    finally:
        panel.close()
