"""Rows of the app-filter operations a plan-like operator shares (add-package,
remove-package, enable-aps-filter, disable-aps-filter): the object is named by `good`
(a filter), `unknown` by a filter that names nothing."""

from __future__ import annotations

from tests.functional.xml.aps_rows import Case

PACKAGE = "<package><name>name</name><value>WordPress</value></package>"


def rows(
    operator: str,
    flt: str,
    nothing: str,
    missing: str,
    caller: str,
    operations: tuple[str, ...] = (
        "add-package",
        "remove-package",
        "enable-aps-filter",
        "disable-aps-filter",
    ),
    denied: int = 1006,
) -> list[Case]:
    out = []
    for op in operations:
        items = PACKAGE if op.endswith("-package") else ""
        before = (
            f"<{operator}><add-package>{flt}{PACKAGE}</add-package></{operator}>"
            if op == "remove-package"
            else ""
        )
        out.append(
            Case(
                operator,
                op,
                f"{flt}{items}",
                f"<{op}><x/>{flt}{items}</{op}>",
                "x",
                f"{nothing}{items}",
                missing,
                caller,
                denied,
                before,
            )
        )
    return out
