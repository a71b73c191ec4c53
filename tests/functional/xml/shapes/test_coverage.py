"""Every line of request-shapes.md has exactly one case, in one of this folder's modules."""

from __future__ import annotations

import importlib
import pkgutil

from tests.functional.xml.shapes import shapes


def _all_cases() -> dict[str, str]:
    found: dict[str, str] = {}
    package = importlib.import_module("tests.functional.xml.shapes")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("test_shapes_"):
            continue
        module = importlib.import_module(f"tests.functional.xml.shapes.{info.name}")
        for case in getattr(module, "CASES", []):
            assert case.line not in found, f"{case.line} in {found[case.line]} and {info.name}"
            found[case.line] = info.name
    return found


def test_every_line_of_the_spec_has_a_case() -> None:
    lines = shapes.spec_lines()
    assert len(lines) == len(set(lines)) > 150
    cases = _all_cases()
    missing = [line for line in lines if line not in cases]
    assert not missing, f"{len(missing)} lines without a case, first: {missing[:5]}"
    unknown = sorted(set(cases) - set(lines))
    assert not unknown, f"cases for lines the spec does not have: {unknown[:5]}"
