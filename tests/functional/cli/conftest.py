"""Running the console scripts as a user types them, two ways.

As a process (`run_process`): what a user sees, forked from the test process's zygote
(tests/zygote.py: the installed script's entry point, argv, environment, working folder,
standard input and output in a process of its own, without the ~0.7 s of imports a new
interpreter pays); `fresh=True` starts the interpreter from nothing, as the installed
script does, for the few tests that keep that. In this process (the `in_process`
fixture): the same entry point, its output captured and its exit turned into a code as
the interpreter would; a few milliseconds. Each test function keeps at least one
process; the rest of its matrix, and its set-up and checks, run in this process.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from panelkey.cli.warm import exit_code
from tests.conftest import BIN, MigratedTemplates, zygote

SCRIPTS = ("panelkey", "secret_key", "plesk")


@dataclass(frozen=True)
class Done:
    """How a command ended, as subprocess.CompletedProcess says it."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Done]


def run_process(
    command: Sequence[str],
    env: Mapping[str, str],
    cwd: Path | None = None,
    stdin: str = "",
    *,
    fresh: bool = False,
) -> Done:
    """`command` (a console script and its arguments) as a process of its own: forked by
    the zygote, or with `fresh` a new interpreter."""
    argv = [str(BIN / command[0]), *command[1:]]
    if fresh:
        done = subprocess.run(
            argv, env=dict(env), cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
        )
        return Done(list(command), done.returncode, done.stdout, done.stderr)
    with tempfile.TemporaryDirectory(prefix="panelkey-command-") as folder:
        files = Path(folder)
        (files / "stdin").write_text(stdin)
        proc = zygote().spawn(
            argv,
            env,
            stdout=files / "stdout",
            stderr=files / "stderr",
            stdin=files / "stdin",
            cwd=cwd,
        )
        try:
            code = proc.wait(120)
        finally:
            proc.kill()
        # As `text=True` reads a pipe: the locale's encoding, universal newlines.
        out, err = (
            (files / name).read_text() if (files / name).exists() else ""
            for name in ("stdout", "stderr")
        )
    return Done(list(command), code, out, err)


def _entry(script: str) -> Callable[[], object]:
    """The function the installed `script` calls (its console_scripts entry point)."""
    (entry,) = [e for e in entry_points(group="console_scripts") if e.name == script]
    return entry.load()  # type: ignore[no-any-return]


def _serve_in_this_process(*_: object, **__: object) -> int:
    raise AssertionError("panelkey serve got past its settings in the test process")


def run_in_process(
    monkeypatch: pytest.MonkeyPatch,
    command: Sequence[str],
    env: Mapping[str, str],
    cwd: Path | None = None,
    stdin: str = "",
) -> Done:
    """`command` through its script's entry point in this process, as `run_process` runs
    it in a process of its own; the process's state is restored afterwards."""
    assert command[0] in SCRIPTS, command
    main = _entry(command[0])
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as m:
        for name in set(os.environ) - set(env):
            m.delenv(name)
        for name, value in env.items():
            m.setenv(name, value)
        if cwd is not None:
            m.chdir(cwd)
        # What the generated script sees: its path as argv[0], the arguments after it.
        m.setattr(sys, "argv", [str(BIN / command[0]), *command[1:]])
        m.setattr(sys, "stdin", io.StringIO(stdin))
        m.setattr(sys, "stdout", out)
        m.setattr(sys, "stderr", err)
        if command[0] == "panelkey":
            # A serve whose settings were (wrongly) accepted fails at once, with a
            # traceback, instead of serving inside the test process.
            m.setattr("panelkey.server.serve", _serve_in_this_process)
        # A command configures no logging: in a process of its own, a warning would reach
        # stderr through logging's last resort; here pytest's handlers would take it.
        last_resort = logging.StreamHandler(err)
        last_resort.setLevel(logging.WARNING)
        logging.getLogger().addHandler(last_resort)
        try:
            code = exit_code(main())
        except SystemExit as exc:
            code = exit_code(exc.code)
        except Exception:  # noqa: BLE001 - as the interpreter shows an uncaught one
            traceback.print_exc(file=err)
            code = 1
        finally:
            logging.getLogger().removeHandler(last_resort)
    return Done(list(command), code, out.getvalue(), err.getvalue())


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run_in_process` with this test's monkeypatch."""

    def run(
        command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None, stdin: str = ""
    ) -> Done:
        return run_in_process(monkeypatch, command, env, cwd, stdin)

    return run


def store_in(data_dir: Path, templates: MigratedTemplates) -> str:
    """A data folder holding a store that has had its first start (a copy of the
    session's migrated template, its admin's password ADMIN_PASSWORD), in the modes
    panelkey gives them; the store's URL."""
    data_dir.mkdir(parents=True, mode=0o700)
    url = f"sqlite:///{data_dir / 'panelkey.db'}"
    templates.fill(url)
    return url
