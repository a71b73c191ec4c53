"""docs/contributing.md stays true: every file it names exists (the walk through adding
an operator names each file a newcomer touches)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "contributing.md"
# A path in backquotes, under one of the project's top folders.
_PATH = re.compile(r"`((?:src|tests|docs|scripts)/[\w./-]+)`")
# What the walk-through adds: files it names as new, for the example operator.
_NEW = re.compile(r"virtdir")


def test_every_file_the_contributing_guide_names_exists() -> None:
    named = set(_PATH.findall(DOC.read_text()))
    assert len(named) >= 15
    missing = sorted(p for p in named if not _NEW.search(p) and not (ROOT / p.rstrip("/")).exists())
    assert not missing, missing


def test_the_guide_names_each_layer_of_the_map() -> None:
    named = set(_PATH.findall(DOC.read_text()))
    for layer in ("src/panelkey/core/", "src/panelkey/store/", "src/panelkey/xmlapi/", "tests/"):
        assert any(p.startswith(layer) for p in named), layer
