"""Schemathesis against a live server's own openapi.json: no 500, no answer off its schema,
no schema-valid request refused and no schema-invalid one accepted.

Acceptance is 2xx, or 404 where the request names an object by an id or name the store
does not hold (a schema cannot know which exist); rejection is 400, or 404 where the
invalid part is an id in the path. What a schema cannot state (free names, existing
owners and domains) is supplied by the hooks in st_hooks.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from panelkey.rest.router import ROUTES
from tests.conftest import Server
from tests.functional.rest.rest_helpers import ADMIN, CUSTOMER, https

ST = Path(sys.executable).parent / "st"
ROOT = Path(__file__).resolve().parents[3]
CONFIG = """
[checks]
enabled = false

[checks.not_a_server_error]
enabled = true

[checks.response_schema_conformance]
enabled = true

[checks.positive_data_acceptance]
enabled = true
expected-statuses = ["2xx", "404"]

[checks.negative_data_rejection]
enabled = true
expected-statuses = ["400", "404"]

[phases.fuzzing.generation]
max-examples = 2

[phases.stateful.generation]
max-examples = 5
"""
# What each phase sends, and the trade. Examples: every example of the documents, as
# written. Coverage: for every operation each boundary and each violation its schema states
# (some 2,700 requests, the same every run): this is what finds a wrong verdict. Fuzzing:
# values drawn at random, two an operation and mode (it was five); most of its time is
# building the generators of 53 operations, paid however few are drawn, so two keep its
# kind of request for a fifth less time of the whole test (without fuzzing: two fifths
# less, and no drawn values). Stateful: five chains of linked calls. The fixed seed makes
# every run send the same requests: a failure is reproduced by running the test again.


def _fixtures(live: Server) -> tuple[str, dict[str, object]]:
    """The run's key, and the objects the hooks name where a request needs one."""
    with https(live) as client:
        made = client.post("/auth/keys", auth=ADMIN, json={"description": "schemathesis"})
        assert made.status_code == 201
        key = made.json()["key"]
        auth = {"X-API-Key": key}
        key_id = next(
            k["id"]
            for k in client.get("/auth/keys", headers=auth).json()
            if k["description"] == "schemathesis"
        )
        body: dict[str, Any] = {**CUSTOMER, "external_id": "st-owner"}
        owner_id = client.post("/clients", headers=auth, json=body).json()["id"]
        owner = client.get(f"/clients/{owner_id}", headers=auth).json()
        body = {"name": "fixture.example", "owner_client": {"id": owner_id}}
        domain_id = client.post("/domains", headers=auth, json=body).json()["id"]
        domain = client.get(f"/domains/{domain_id}", headers=auth).json()
        body = {"name": "fixture_db", "type": "mysql", "parent_domain": {"id": domain_id}}
        database = client.post("/databases", headers=auth, json=body).json()
        servers = {s["type"]: s["id"] for s in client.get("/dbservers", headers=auth).json()}
    fixtures = {
        "key": [key, str(key_id)],
        "client": {k: owner[k] for k in ("id", "login", "guid", "external_id")},
        "domain": {k: domain[k] for k in ("id", "name", "guid")},
        "database": database,
        "servers": servers,
    }
    return key, fixtures


def test_schemathesis_finds_no_server_error_no_answer_off_schema_and_no_wrong_verdict(
    live: Server, tmp_path: Path
) -> None:
    key, fixtures = _fixtures(live)
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": "tests.functional.rest.st_hooks",
        "PANELKEY_ST_FIXTURES": json.dumps(fixtures),
        # With no example database, hypothesis keeps only caches here (its Unicode tables
        # and the constants it reads from source files, each keyed by what it is derived
        # from): kept between runs, they are not computed again each time (about 2 s).
        "HYPOTHESIS_STORAGE_DIRECTORY": str(ROOT / ".pytest_cache" / "hypothesis"),
    }
    done = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(config),
            "run",
            f"{live.https_url}/api/v2/openapi.json",
            "--header",
            f"X-API-Key: {key}",
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
        env=env,
    )
    # No --max-time: with a budget schemathesis keeps fuzzing until it is spent.
    failures = done.stdout[done.stdout.find("FAILURES") :][:12000]
    assert done.returncode == 0, failures + done.stderr[-2000:]
    # Every route but swagger.yml, whose answer is YAML and not checked.
    assert f"Tested: {len(ROUTES) - 1}" in done.stdout
    assert "Traceback" not in live.log_text()
