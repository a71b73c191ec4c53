"""The pytest plugin, as an integration's own suite meets it: a throwaway project with one
test and no conftest, run by pytest with panelkey installed from this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_TEST = textwrap.dedent(
    """
    import json
    import ssl
    import urllib.request


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


def test_a_project_with_only_panelkey_installed_gets_a_server_fixture(tmp_path: Path) -> None:
    project = tmp_path / "integration"
    project.mkdir()
    (project / "test_integration.py").write_text(PROJECT_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANELKEY_", "PYTEST_"))}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert not (project / "conftest.py").exists()
