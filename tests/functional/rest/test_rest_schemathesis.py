"""Schemathesis against a live server's own openapi.json: no 500, no answer off its schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from panelkey.rest.routes import ROUTES
from tests.conftest import Server
from tests.functional.rest.rest_helpers import ADMIN, https

ST = Path(sys.executable).parent / "st"


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(
    live: Server, tmp_path: Path
) -> None:
    with https(live) as client:
        made = client.post("/auth/keys", auth=ADMIN, json={"description": "schemathesis"})
        assert made.status_code == 201
        key = made.json()["key"]
    done = subprocess.run(
        [
            str(ST),
            "run",
            f"{live.https_url}/api/v2/openapi.json",
            "--header",
            f"X-API-Key: {key}",
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--max-examples",
            "8",
            "--seed",
            "1",
            "--generation-database",
            "none",
            "--tls-verify",
            str(live.data_dir / "tls" / "cert.pem"),
            "--request-timeout",
            "20",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    # No --max-time: with a budget schemathesis keeps fuzzing until it is spent.
    failures = done.stdout[done.stdout.find("FAILURES") :][:12000]
    assert done.returncode == 0, failures + done.stderr[-2000:]
    # Every route but swagger.yml, whose answer is YAML and not checked.
    assert f"Tested: {len(ROUTES) - 1}" in done.stdout
    assert "Traceback" not in live.log_text()
