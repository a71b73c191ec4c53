"""docs/testing.md and docs/keys.md say what is true: their examples run, their tables
list every option, and the project files they point at are there. (The shell example
runs, with the seed file shown here, in test_outside_python.py: one server for both.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from panelkey.core.panel import Panel
from panelkey.core.server import seed
from panelkey.utilities import secret_key

ROOT = Path(__file__).resolve().parents[3]
TESTING = (ROOT / "docs" / "testing.md").read_text()
KEYS = (ROOT / "docs" / "keys.md").read_text()


def _block(text: str, heading: str, language: str) -> str:
    """The first ```language block after `heading`."""
    after = text[text.index(heading) :]
    found = re.search(rf"```{language}\n(.*?)```", after, re.DOTALL)
    assert found, (heading, language)
    return found.group(1)


def test_the_seed_example_loads(panel: Panel) -> None:
    loaded = seed.load(panel, yaml.safe_load(_block(TESTING, "## Seed files", "yaml")))
    assert loaded.counts == {"accounts": 2, "plans": 1, "subscriptions": 1, "keys": 2}


def test_the_seed_table_names_every_field() -> None:
    table = TESTING[TESTING.index("| section |") :]
    for kind, fields in seed.FIELDS.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{kind}` |"))
        for name in fields:
            assert f"`{name}`" in row, (kind, name)
    for name in seed.DNS_FIELDS:
        assert f"`{name}`" in table, name


def test_the_testing_guide_shows_python_phpunit_and_shell() -> None:
    assert "def test_" in _block(TESTING, "## Python", "python")
    assert "PHPUnit\\Framework\\TestCase" in _block(TESTING, "### PHPUnit", "php")
    assert "--ready-file" in _block(TESTING, "### A shell script", "sh")
    for attribute in ("url", "http_url", "admin_password", "cert_path", "make_key", "seed"):
        assert f"`.{attribute}" in TESTING, attribute
    assert "`.reset()`" in TESTING and "--https-port 0" in TESTING


def test_keys_doc_explains_every_secret_key_option_and_compares_panels() -> None:
    for option in (*secret_key.OPTIONS, "--rotate"):
        if option in ("-ip-address", "-description", "-login", "-key", "-format"):
            continue  # Plesk's own, in Plesk's documents and `secret_key --help`
        assert f"`{option}" in KEYS, option
    header = next(line for line in KEYS.splitlines() if line.startswith("| | Plesk"))
    assert [c.strip() for c in header.strip("|").split("|")][1:] == [
        "Plesk",
        "cPanel API tokens",
        "DirectAdmin login keys",
        "panelkey",
    ]
    for field in ("expires", "scope", "rate", "--metrics-port", "Retry-After", "11004"):
        assert field in KEYS, field


def test_the_project_files_a_new_user_is_told_about() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    runtime = " ".join(project["dependencies"])
    for tool in ("pytest", "ruff", "mypy", "playwright", "httpx", "schemathesis"):
        assert tool not in runtime, tool  # scripts/run installs these dependencies only
    run = (ROOT / "scripts" / "run").read_text()
    assert "scripts/setup\n" in run and "setup test" not in run
    assert '"$PY" -m venv' in (ROOT / "scripts" / "setup").read_text()
    readme = (ROOT / "README.md").read_text()
    for said in ("**Stop**", "panel.ini", "panelkey admin --set-password", "panelkey reset"):
        assert said in readme, said
    assert "--quick" in readme and "LICENSE" in readme
