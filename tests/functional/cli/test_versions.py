"""`--version` on every console script, answered without touching any store (the first
as a process, the others through the same entry point in this process: conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from panelkey import __version__
from tests.functional.cli.conftest import Run, run_process


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["panelkey", "--version"], f"panelkey {__version__}"),
        (["plesk", "--version"], f"plesk (panelkey {__version__})"),
        (["secret_key", "--version"], f"secret_key (panelkey {__version__})"),
        (["plesk", "bin", "secret_key", "--version"], f"secret_key (panelkey {__version__})"),
    ],
)
def test_version_is_one_line_and_opens_no_store(
    tmp_path: Path, command: list[str], said: str, in_process: Run
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_DATA_DIR"] = str(tmp_path / "never-made")
    # Two scripts' versions from an interpreter started from nothing, as the installed
    # script starts (plesk's: test_secret_key's document examples); the rest in process.
    if command in (["panelkey", "--version"], ["secret_key", "--version"]):
        done = run_process(command, env, fresh=True)
    else:
        done = in_process(command, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == said + "\n" and done.stderr == ""
    assert not (tmp_path / "never-made").exists()
