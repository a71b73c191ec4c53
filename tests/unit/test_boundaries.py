"""The house's walls (STYLE.md): the core knows no face, no web framework and no metrics;
the faces (XML, REST, CLI, console) never import each other. Read from the source with
`ast`, imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "panelkey"
FACES = ("xmlapi", "rest", "cli", "console")

# What the core must not import: the faces, what assembles or serves them, the metrics
# registry, and the libraries of the wire (HTTP frameworks, XML, templates).
CORE_FORBIDDEN = (
    *(f"panelkey.{face}" for face in FACES),
    "panelkey.server",
    "panelkey.httpguard",
    "panelkey.journal",
    "panelkey.metrics",
    "panelkey.context",
    "panelkey.config",
    "panelkey.dnsserver",
    "starlette",
    "uvicorn",
    "httpx",
    "jinja2",
    "lxml",
    "prometheus_client",
)
# Listed exceptions, each with its reason: none today.
CORE_ALLOWED: dict[tuple[str, str], str] = {}


def imports_of(path: Path, package: str | None = None) -> set[str]:
    """Every module `path` imports, absolute, wherever the import statement is; relative
    imports are read from `package` (by default the one `path` is in under src)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    if package is None:
        package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _hits(modules: set[str], forbidden: tuple[str, ...]) -> set[str]:
    return {m for m in modules for f in forbidden if m == f or m.startswith(f + ".")}


def _files(folder: str) -> list[Path]:
    return sorted((SRC / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _files("core"), ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_imports_no_face_framework_or_metrics(path: Path) -> None:
    name = str(path.relative_to(SRC))
    bad = {m for m in _hits(imports_of(path), CORE_FORBIDDEN) if (name, m) not in CORE_ALLOWED}
    assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("face", FACES)
def test_a_face_never_imports_another(face: str) -> None:
    others = tuple(f"panelkey.{other}" for other in FACES if other != face)
    bad = {
        (str(path.relative_to(SRC)), module)
        for path in _files(face)
        for module in _hits(imports_of(path), others)
    }
    assert not bad, sorted(bad)


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    # the checks above are only as good as this reader
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from ..xmlapi import render\n    import starlette\n")
    found = imports_of(module, "panelkey.core")
    assert {"panelkey.xmlapi", "panelkey.xmlapi.render", "starlette"} <= found
    assert _hits(found, CORE_FORBIDDEN) == {
        "panelkey.xmlapi",
        "panelkey.xmlapi.render",
        "starlette",
    }
