"""panelkey from a project that is not Python: the shell example of docs/testing.md run
as written, with the guide's seed file (it starts the server, and fails fast when the
server cannot start), the CI
snippets' install lines, `python -m panelkey`, and a sdist that carries the docs the
README links to and the package's type information."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from panelkey import __version__

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
TESTING = (ROOT / "docs" / "testing.md").read_text()
SECTION = TESTING[TESTING.index("## From PHP, Go or a shell") :]
SECTION = SECTION[: SECTION.index("\n## ", 3)]
SEED = TESTING[TESTING.index("## Seed files") :]
# How soon after the server's last word the script must have given up: it checks every
# tenth of a second, and its own limit is a minute.
NOTICED_WITHIN = 5.0


def _block(heading: str, language: str, text: str = SECTION) -> str:
    after = text[text.index(heading) :]
    found = re.search(rf"```{language}\n(.*?)```", after, re.DOTALL)
    assert found, (heading, language)
    return found.group(1)


def _run_shell_example(
    tmp_path: Path, **env_extra: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    """The script's outcome, and the time it ended (time.time())."""
    (tmp_path / "tests").mkdir(exist_ok=True)
    # the seed file the script loads: the guide's own example of one
    (tmp_path / "tests" / "seed.yaml").write_text(_block("## Seed files", "yaml", SEED))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANELKEY_")}
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    env["TMPDIR"] = str(tmp_path)
    env["PANELKEY_PASSWORD_HASH_PROFILE"] = "cheapest"  # noqa: S105 - a profile name
    env.update(env_extra)
    done = subprocess.run(
        ["bash", "-c", _block("### A shell script", "sh")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, time.time()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_shell_example_starts_a_server_uses_it_and_stops_it(tmp_path: Path) -> None:
    done, _ = _run_shell_example(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    (ready,) = tmp_path.glob("tmp.*/ready.json")
    pid = json.loads(ready.read_text())["pid"]
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:  # its trap stopped the server
        time.sleep(0.1)
    assert not _alive(pid)


@pytest.mark.parametrize("cause", ["port in use", "bad setting"])
def test_the_shell_example_fails_fast_when_the_server_cannot_start(
    tmp_path: Path, cause: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        if cause == "port in use":  # the script's own ports are free ones: take another
            env = {"PANELKEY_METRICS_PORT": str(taken.getsockname()[1])}
        else:
            env = {"PANELKEY_LOG_LEVEL": "loud"}
        done, ended = _run_shell_example(tmp_path, **env)
    assert done.returncode != 0
    # It stopped waiting as soon as the server had said why and exited (the log's last
    # write), not at its one-minute limit nor never (subprocess.run's timeout).
    (log,) = tmp_path.glob("tmp.*/server.log")
    assert ended - log.stat().st_mtime < NOTICED_WITHIN, ended - log.stat().st_mtime
    assert "panelkey did not start" in done.stderr
    (why,) = [line for line in done.stderr.splitlines() if "cannot start" in line]
    assert ("cannot listen" if cause == "port in use" else "--log-level") in why or (
        "PANELKEY_LOG_LEVEL" in why
    ), why
    assert "Traceback" not in done.stderr


def test_the_install_lines_and_the_github_actions_job_agree() -> None:
    install = _block("### Installing it", "sh")
    assert re.search(r"^pipx install panelkey\b", install, re.MULTILINE)
    assert re.search(r"^uv tool install panelkey\b", install, re.MULTILINE)
    workflow = yaml.safe_load(_block("### GitHub Actions for a PHPUnit project", "yaml"))
    steps = workflow["jobs"]["phpunit"]["steps"]
    runs = [str(step.get("run", "")) for step in steps]
    assert any(re.match(r"(pipx install|uv tool install) panelkey\b", r) for r in runs), runs
    assert runs.index(next(r for r in runs if "panelkey" in r)) < runs.index(
        next(r for r in runs if "phpunit" in r)
    )
    assert any(str(step.get("uses", "")).startswith("shivammathur/setup-php") for step in steps)


def test_each_example_waits_with_a_limit_and_stops_when_the_server_exits() -> None:
    php, go = _block("### PHPUnit", "php"), _block("### Go", "go")
    assert "--ready-file" in php and "proc_get_status" in php and "$deadline" in php
    assert "--ready-file" in go and "<-exited" in go and "time.After(60 * time.Second)" in go


def test_python_m_panelkey_is_the_panelkey_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "panelkey", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"panelkey {__version__}\n", "")


def test_the_sdist_carries_the_docs_and_the_wheel_its_types(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, project / name)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", project / "src", ignore=skip)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=skip)
    # setuptools itself, as the build backend would run it, without a network.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import build_meta as b; b.build_sdist('dist'); b.build_wheel('dist')",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (sdist_path,) = (project / "dist").glob("panelkey-*.tar.gz")
    (wheel_path,) = (project / "dist").glob("panelkey-*.whl")
    with tarfile.open(sdist_path) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    linked = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", (ROOT / "README.md").read_text())
    assert linked and "docs/testing.md" in linked
    for target in linked:
        assert target in names, target  # the README's links work in an unpacked sdist
    assert {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")} <= names
    assert "src/panelkey/py.typed" in names
    with zipfile.ZipFile(wheel_path) as wheel:
        assert "panelkey/py.typed" in wheel.namelist()
        assert "panelkey/__main__.py" in wheel.namelist()
