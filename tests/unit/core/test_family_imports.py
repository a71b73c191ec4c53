"""The families of the core depend one way: domains know nothing of what lives in them
(DNS zones, content, mail, databases, certificates), which reach domains through
`Domains.on_create` and `Domains.on_delete`. Read with `ast`, imports inside functions
and under TYPE_CHECKING included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[3] / "src" / "panelkey" / "core"
# Families a domain must not import, and the families below domains they may not either.
LIVES_IN_DOMAINS = (
    "panelkey.core.dns",
    "panelkey.core.content",
    "panelkey.core.mail",
    "panelkey.core.databases",
    "panelkey.core.certificates",
    "panelkey.core.owned",
)


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted((CORE / "domains").glob("*.py")), ids=lambda p: p.name)
def test_domains_import_nothing_that_lives_in_them(path: Path) -> None:
    wrong = {m for m in imports_of(path) if m.startswith(LIVES_IN_DOMAINS)}
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


def test_the_check_reads_an_import_circle_when_there_is_one(tmp_path: Path) -> None:
    bad = tmp_path / "domains.py"
    bad.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from panelkey.core.dns.zones import new_zone\n"
    )
    assert "panelkey.core.dns.zones" in imports_of(bad)
