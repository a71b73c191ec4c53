"""The every-operation table covers the registry: each `test_<operator>.py` here holds
its operator's `CASES` (operation_table.py), and together they name exactly the
operations `OPERATORS` serves, one row each. docs/xml-api.md's operator table names them
all too."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from panelkey.xmlapi.operators import OPERATORS
from tests.functional.xml.operation_table import Case

HERE = Path(__file__).parent


def _rows() -> list[tuple[str, Case]]:
    """(module, case) for every row of every test module of this folder."""
    rows: list[tuple[str, Case]] = []
    for path in sorted(HERE.glob("test_*.py")):
        module = importlib.import_module(f"tests.functional.xml.{path.stem}")
        rows += [(path.stem, case) for case in getattr(module, "CASES", [])]
    return rows


def test_every_served_operation_has_one_row_and_every_row_is_served() -> None:
    rows = _rows()
    listed = [(case.operator, case.operation) for _, case in rows]
    served = {(operator, op) for operator, operations in OPERATORS.items() for op in operations}
    assert len(listed) == len(set(listed)), "an operation with two rows"
    assert not served - set(listed), f"served without a row: {sorted(served - set(listed))}"
    assert not set(listed) - served, f"rows for what is not served: {sorted(set(listed) - served)}"


def test_each_operators_rows_live_in_its_own_module() -> None:
    """test_<operator>.py, the plans' three operators in test_plans.py (one module of
    operators/ serves them)."""
    plans = {"service-plan", "service-plan-addon", "reseller-plan"}
    for module, case in _rows():
        family = "plans" if case.operator in plans else case.operator.replace("-", "_")
        assert module == f"test_{family}", (module, str(case))


def test_docs_list_every_operator_and_operation_served() -> None:
    """docs/xml-api.md's operator table names every operation of the registry."""
    docs = Path(__file__).parents[3] / "docs" / "xml-api.md"
    rows: dict[str, set[str]] = {}
    for line in docs.read_text().splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`"):
            ops = set(re.findall(r"`([a-z_-]+)`", cells[1]))
            for operator in re.findall(r"`([a-z_-]+)`", cells[0]):
                rows.setdefault(operator, set()).update(ops)
    for operator, operations in OPERATORS.items():
        assert operator in rows, operator
        missing = set(operations) - rows[operator]
        assert not missing, (operator, missing)
