"""A start that never surprises: commands other than `serve` refuse a place with no
store and make nothing there; `serve` names its store and says one line about
migrations; a bad flag or an early Ctrl-C is never a traceback; errors are in the
user's words. Each test runs its command as a process, as a user would type it; the rest
of a matrix calls the same console-script entry point in this process (conftest.py)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from panelkey.store.database import HEAD_REVISION
from tests.conftest import BIN, MigratedTemplates
from tests.functional.cli.conftest import Run, run_process, store_in

# The commands that use a store, as a user types them (seed's file is made per test).
COMMANDS = [
    ["secret_key", "-l"],
    ["secret_key", "-c", "-ip-address", "127.0.0.1"],
    ["plesk", "bin", "secret_key", "--list"],
    ["panelkey", "audit"],
    ["panelkey", "journal"],
    ["panelkey", "admin", "--set-password"],
    ["panelkey", "seed", "SEED"],
    ["panelkey", "reset", "--yes"],
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PANELKEY_PASSWORD_HASH_PROFILE"] = "cheapest"  # noqa: S105 - a profile name
    env.update(extra)
    return env


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def _tree(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


def _seed_file(folder: Path) -> Path:
    path = folder / "seed.yaml"
    path.write_text("accounts:\n  - {type: customer, login: jdoe, password: pw-jdoe-1}\n")
    return path


# The cases of the next test that run as processes, one for each script; the others run
# in this process.
AS_PROCESSES = {
    ("missing folder", "secret_key -l"),
    ("empty folder", "plesk bin secret_key --list"),
    ("empty folder", "panelkey admin --set-password"),
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("place", ["missing folder", "empty folder"])
def test_a_command_on_a_place_without_a_store_is_refused_and_makes_nothing(
    tmp_path: Path, command: list[str], place: str, in_process: Run
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    seed = _seed_file(tmp_path)
    typo = tmp_path / "pnaelkey"  # the folder the user meant is another one
    if place == "empty folder":
        typo.mkdir()
    before = _tree(tmp_path)
    args = [str(seed) if a == "SEED" else a for a in command]
    run = run_process if (place, " ".join(command)) in AS_PROCESSES else in_process
    done = run(args, _env(PANELKEY_DATA_DIR=str(typo)), work, stdin="new-password\n")
    line = _one_line(done.stderr)
    assert done.returncode == 1, done
    assert "no panelkey store" in line and str(typo) in line
    assert "PANELKEY_DATA_DIR" in line  # where to look
    assert "password" not in line  # no new admin, no password shown once and lost
    assert done.stdout == ""
    assert _tree(tmp_path) == before  # no folder, no file, no lock, no journal


@pytest.mark.parametrize("command", COMMANDS[::3], ids=lambda c: " ".join(c))
def test_a_database_without_a_store_is_refused_and_gets_no_table(
    tmp_path: Path, database_url: str, command: list[str], in_process: Run
) -> None:
    args = [str(_seed_file(tmp_path)) if a == "SEED" else a for a in command]
    env = _env(PANELKEY_DATA_DIR=str(tmp_path / "data"), PANELKEY_DATABASE_URL=database_url)
    run = run_process if command == COMMANDS[0] else in_process
    done = run(args, env, tmp_path)
    line = _one_line(done.stderr)
    assert done.returncode == 1 and "no panelkey store" in line
    assert "PANELKEY_DATABASE_URL" in line
    assert not (tmp_path / "data").exists()
    if database_url.startswith("sqlite"):
        assert not (tmp_path / "panelkey.db").exists()
        return
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == []  # the schema stays empty
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database at all")
    command = ["panelkey", "audit", "--database-url", f"sqlite:///{other}"]
    done = run_process(command, _env(), tmp_path)
    line = _one_line(done.stderr)
    assert done.returncode == 1 and "is not a SQLite database" in line
    assert "--database-url" in line
    assert other.read_bytes() == b"not a database at all"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_create_makes_the_store_and_later_commands_use_it(tmp_path: Path, in_process: Run) -> None:
    data = tmp_path / "data"
    env = _env(PANELKEY_DATA_DIR=str(data))
    create = ["panelkey", "admin", "--set-password", "--create"]
    made = run_process(create, env, tmp_path, "pw-one\n")
    assert made.returncode == 0, made.stderr
    assert (data / "panelkey.db").is_file()
    # The admin is hashed with PANELKEY_PASSWORD_HASH_PROFILE, as a server would hash it.
    engine = sa.create_engine(f"sqlite:///{data / 'panelkey.db'}")
    with engine.connect() as conn:
        hashed = conn.execute(
            sa.text("SELECT password_hash FROM accounts WHERE login = 'admin'")
        ).scalar_one()
    engine.dispose()
    assert "$m=8,t=1,p=1$" in hashed, hashed
    key = in_process(["secret_key", "-c", "-ip-address", "127.0.0.1"], env, tmp_path)
    assert key.returncode == 0 and key.stderr == "", key.stderr
    listed = in_process(["plesk", "bin", "secret_key", "--list"], env, tmp_path)
    assert listed.returncode == 0 and "Ip: 127.0.0.1" in listed.stdout


def test_the_environment_lets_secret_key_make_a_store(tmp_path: Path) -> None:
    env = _env(PANELKEY_DATA_DIR=str(tmp_path / "data"), PANELKEY_CREATE_STORE="1")
    done = run_process(["secret_key", "-c", "-ip-address", "127.0.0.1"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "panelkey.db").is_file()


def test_journal_of_a_store_that_answered_nothing_yet_prints_nothing(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    store_in(tmp_path / "data", migrated_templates)
    env = _env(PANELKEY_DATA_DIR=str(tmp_path / "data"))
    done = run_process(["panelkey", "journal"], env, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def _serve(data: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Start `serve` on free ports, wait for its ready file, stop it; its stdout, stderr."""
    ready = data.parent / f"ready-{data.name}.json"
    ready.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            str(BIN / "panelkey"),
            "serve",
            "--data-dir",
            str(data),
            "--https-port",
            "0",
            "--http-port",
            "0",
            "--ready-file",
            str(ready),
            *extra,
        ],
        env=env or _env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.terminate()
    out, err = proc.communicate(timeout=30)
    assert ready.exists(), out + err
    return out, err


@pytest.fixture(scope="module")
def two_starts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    """A data folder, and what `serve` said (stdout, stderr) on its first start there and
    on the next one: the two tests below read the same two starts."""
    data = tmp_path_factory.mktemp("two-starts") / "data"
    return data, [_serve(data), _serve(data)]


def test_serve_names_its_store_new_then_existing(
    two_starts: tuple[Path, list[tuple[str, str]]],
) -> None:
    data, [(first, _), (again, _)] = two_starts
    assert first.splitlines()[0] == f"panelkey: store sqlite:///{data / 'panelkey.db'} (new)"
    assert again.splitlines()[0] == (
        f"panelkey: store sqlite:///{data / 'panelkey.db'} (existing, revision {HEAD_REVISION})"
    )


def test_serve_names_a_postgresql_store(tmp_path: Path, pg_url: str) -> None:
    first, _ = _serve(tmp_path / "data", "--database-url", pg_url)
    line = first.splitlines()[0]
    assert line.startswith("panelkey: store postgresql") and line.endswith(" (new)"), line
    assert "127.0.0.1" in line
    again, _ = _serve(tmp_path / "data", "--database-url", pg_url)
    assert again.splitlines()[0] == line.replace("(new)", f"(existing, revision {HEAD_REVISION})")


def test_the_store_line_hides_a_password(tmp_path: Path) -> None:
    with socket.socket() as closed:  # a port nobody listens on: the start fails after it
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"postgresql://panel:s3cret-pw@127.0.0.1:{port}/panel"
    done = run_process(
        ["panelkey", "serve", "--data-dir", str(tmp_path / "d"), "--database-url", url],
        _env(),
        tmp_path,
    )
    assert done.returncode == 1
    assert "s3cret-pw" not in done.stdout + done.stderr
    assert (
        done.stdout.splitlines()[0]
        == f"panelkey: store postgresql://panel:***@127.0.0.1:{port}/panel"
    )
    assert _one_line(done.stderr).startswith("panelkey: cannot start: cannot reach the store")


def test_a_first_start_says_one_line_about_migrations(
    two_starts: tuple[Path, list[tuple[str, str]]],
) -> None:
    _, [(out, err), (out_again, err_again)] = two_starts
    said = (out + err).splitlines()
    assert [line for line in said if "revision" in line.lower()] == [
        line for line in said if line.endswith(f"store schema made at revision {HEAD_REVISION}")
    ]
    assert len([line for line in said if "store schema" in line]) == 1, said
    assert "alembic" not in out + err and "Running upgrade" not in out + err
    assert "store schema" not in out_again + err_again  # nothing to migrate, nothing said


@pytest.mark.parametrize(
    ("flags", "env", "said"),
    [
        (
            ["--https-port", "abc"],
            {},
            "--https-port must be a whole number from 0 to 65535, not 'abc'",
        ),
        (
            ["--http-port", "70000"],
            {},
            "--http-port must be a whole number from 0 to 65535, not '70000'",
        ),
        (["--workers", "two"], {}, "--workers must be a whole number of at least 1, not 'two'"),
        (["--workers", "0"], {}, "--workers must be a whole number of at least 1, not '0'"),
        (
            ["--log-level", "loud"],
            {},
            "--log-level must be one of debug, info, warning, error, not 'loud'",
        ),
        (
            [],
            {"PANELKEY_LOG_LEVEL": "verbose"},
            "PANELKEY_LOG_LEVEL must be one of debug, info, warning, error, not 'verbose'",
        ),
        (
            ["--dns-port", "fifty"],
            {},
            "--dns-port must be a whole number from 0 to 65535, or off, not 'fifty'",
        ),
        (
            [],
            {"PANELKEY_LOCKOUT_WINDOW": "soon"},
            "PANELKEY_LOCKOUT_WINDOW must be a number of seconds of at least 0, not 'soon'",
        ),
    ],
)
def test_a_bad_setting_is_one_line_in_the_users_words_and_makes_nothing(
    tmp_path: Path, flags: list[str], env: dict[str, str], said: str, in_process: Run
) -> None:
    data = tmp_path / "data"
    run = run_process if flags == ["--https-port", "abc"] else in_process
    done = run(["panelkey", "serve", "--data-dir", str(data), *flags], _env(**env), tmp_path)
    line = _one_line(done.stderr)
    assert done.returncode == 1
    assert line.startswith("panelkey: cannot start: ") and said in line
    assert "invalid literal" not in line and "int()" not in line
    assert done.stdout == "" and not data.exists()


def test_a_bad_panel_ini_value_names_file_line_and_setting(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "panel.ini").write_text("[panelkey]\n\nhttpsPort = 84 43\n")
    done = run_process(["panelkey", "serve", "--data-dir", str(data)], _env(), tmp_path)
    line = _one_line(done.stderr)
    assert done.returncode == 1
    assert (
        f"{data / 'panel.ini'}, line 3: [panelkey] httpsPort must be a whole number from 0 "
        "to 65535, not '84 43'"
    ) in line


@pytest.mark.parametrize("flags", [["--bogus"], ["--limit", "many"]])
def test_a_flag_argparse_refuses_is_its_usage_not_a_traceback(
    tmp_path: Path, flags: list[str], in_process: Run
) -> None:
    run = run_process if flags == ["--bogus"] else in_process
    done = run(["panelkey", "journal", *flags], _env(PANELKEY_DATA_DIR=str(tmp_path)), tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.match(r"panelkey( journal)?: error: ", done.stderr.splitlines()[-1]), done.stderr


@pytest.mark.parametrize("moment", ["loading panelkey", "loading the server", "making the store"])
def test_an_early_ctrl_c_ends_serve_without_a_traceback(tmp_path: Path, moment: str) -> None:
    # The first moments are Python loading panelkey (half a second, more on a busy
    # machine), then, after the store line, loading the server, then serve making the
    # store (a first start: migrations, the admin, a certificate): a Ctrl-C in any of
    # them is quiet. Each is waited for by what shows it has come.
    data = tmp_path / "d"
    proc = subprocess.Popen(
        [
            *(str(BIN / "panelkey"), "serve", "--data-dir", str(data)),
            *("--https-port", "0", "--http-port", "0"),
        ],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal, even when this suite runs where SIGINT is ignored (a shell's
        # background job), which the child would inherit
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        if moment == "loading panelkey":
            time.sleep(0.2)
        else:
            assert proc.stdout is not None
            said = proc.stdout.readline()  # printed once loaded, before the server loads
            assert said.startswith("panelkey: store "), said
            deadline = time.monotonic() + 60
            while moment == "making the store" and not (data / "panelkey.db").exists():
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()  # a serve the Ctrl-C did not stop is not left running
        proc.wait()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert proc.returncode in (0, -signal.SIGINT), (proc.returncode, out, err)
    if moment == "loading panelkey":
        assert out == "", out  # it had not got as far as its store line


def test_a_seed_file_that_is_not_yaml_is_one_line_naming_line_and_column(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    store_in(tmp_path / "data", migrated_templates)
    env = _env(PANELKEY_DATA_DIR=str(tmp_path / "data"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts:\n  - {type: customer, login: jdoe\n  - {type: reseller}\n")
    done = run_process(["panelkey", "seed", str(bad)], env, tmp_path)
    line = _one_line(done.stderr)
    assert done.returncode == 1
    assert line.startswith(f"panelkey seed: {bad}: line 3, column ")
    assert "not YAML or JSON" in line


def test_a_bad_audit_since_is_one_line_in_the_users_words(
    tmp_path: Path, migrated_templates: MigratedTemplates
) -> None:
    store_in(tmp_path / "data", migrated_templates)
    env = _env(PANELKEY_DATA_DIR=str(tmp_path / "data"))
    done = run_process(["panelkey", "audit", "--since", "yesterday"], env, tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert _one_line(done.stderr) == (
        "panelkey audit: --since must be a UTC date or time such as 2026-01-31 or "
        "2026-01-31T12:00:00Z, not 'yesterday'"
    )
