"""The pytest plugin, as an integration's own suite meets it: a throwaway project with one
test and no conftest, run by pytest in a fresh virtual environment into which panelkey is
installed (built by pip) from a copy of this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]

PROJECT_TEST = textwrap.dedent(
    """
    import json
    import ssl
    import sys
    import urllib.request

    from panelkey.pytest_plugin import PanelkeyServerError


    def xml(server, packet, key=None):
        if key is None:
            headers = {"HTTP_AUTH_LOGIN": "admin", "HTTP_AUTH_PASSWD": server.admin_password}
        else:
            headers = {"KEY": key}
        request = urllib.request.Request(
            server.url + "/enterprise/control/agent.php",
            data=packet.encode(),
            headers={**headers, "Content-Type": "text/xml"},
        )
        context = ssl.create_default_context(cafile=server.cert_path)
        with urllib.request.urlopen(request, context=context, timeout=30) as answer:
            return answer.read().decode()


    def test_integration_against_panelkey(panelkey_server):
        import panelkey  # the copy pip installed here, not the checkout's source folder

        assert panelkey.__file__.startswith(sys.prefix), panelkey.__file__
        key = panelkey_server.make_key(description="integration ci")
        assert "<proto>1.6.9.1</proto>" in xml(
            panelkey_server, "<packet><server><get_protos/></server></packet>", key
        )
        panelkey_server.seed(
            {
                "accounts": [
                    {"type": "customer", "login": "shop", "password": "pw-12345678"}
                ],
                "keys": [
                    {"value": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "login": "shop"}
                ],
            }
        )
        answer = xml(
            panelkey_server,
            "<packet><customer><get><filter/><dataset><gen_info/></dataset></get>"
            "</customer></packet>",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        )
        assert "<login>shop</login>" in answer
        try:
            panelkey_server.seed({"accounts": [{"type": "customer", "login": "half"}]})
        except PanelkeyServerError as exc:
            assert "accounts[0] (half)" in str(exc) and "nothing was loaded" in str(exc)
        else:
            raise AssertionError("a bad seed was loaded")
        panelkey_server.reset()
        after = xml(
            panelkey_server,
            "<packet><customer><get><filter/><dataset><gen_info/></dataset></get>"
            "</customer></packet>",
        )
        assert "<status>ok</status>" in after and "<login>shop</login>" not in after
        refused = xml(
            panelkey_server,
            "<packet><server><get_protos/></server></packet>",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        )
        assert "<errcode>11003</errcode>" in refused
        assert panelkey_server.http_url.startswith("http://127.0.0.1:")
        assert panelkey_server.admin_password
    """
)


def _fresh_venv(where: Path) -> Path:
    """A new virtual environment with panelkey built and installed by pip from a copy of
    the checkout (so that concurrent runs never build inside it). Its dependencies are
    not downloaded again: a `.pth` line adds this environment's site-packages after the
    new one's, so the copy installed here is the panelkey found first."""
    source = where / "checkout"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(CHECKOUT / name, source / name)
    shutil.copytree(
        CHECKOUT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # pip builds the wheel with this environment's setuptools (the build-system range,
    # in the test extras) rather than installing one into an isolated build environment
    # first (5 of the test's 10 s), then installs it into the new environment.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(where / "wheel"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (where / "wheel").glob("panelkey-*.whl")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    Path(purelib, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_a_project_with_only_panelkey_installed_gets_a_server_fixture(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "env")
    project = tmp_path / "integration"
    project.mkdir()
    (project / "test_integration.py").write_text(PROJECT_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANELKEY_", "PYTEST_"))}
    env.pop("PYTHONPATH", None)
    # The plugins this environment has besides panelkey's are not the project's (they
    # come through the .pth line; loading them cost seconds): blocked by name, while
    # plugins are still found through their entry points as in any project.
    others = [e.name for e in entry_points(group="pytest11") if e.name != "panelkey"]
    done = subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:cacheprovider"]
        + [arg for name in others for arg in ("-p", f"no:{name}")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    plugins = next(line for line in done.stdout.splitlines() if line.startswith("plugins:"))
    assert plugins == "plugins: panelkey-0.1.0"  # found through its pytest11 entry point
    assert not (project / "conftest.py").exists()
