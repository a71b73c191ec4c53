"""libxml2's schema messages rewritten in the spec's shape (spec/xml-api.md), e.g.
``element 'secret-key' is not expected; expected one of (secret_key, customer, ...)``."""

from __future__ import annotations

import re

from panelkey.xmlapi.parsing import clip_name

_LXML_ELEMENT = re.compile(
    r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: (?P<detail>.*)",
    re.DOTALL,
)
_NOT_EXPECTED = re.compile(
    r"This element is not expected\.(?: Expected is (?P<one_of>one of )?\( (?P<names>.*) \)\.)?",
    re.DOTALL,
)
_MISSING = re.compile(
    r"Missing child element\(s\)\. Expected is (?P<one_of>one of )?\( (?P<names>.*) \)\.",
    re.DOTALL,
)
# A Flag (agent.xsd) holding text: libxml2 reports the maxLength facet.
_MUST_BE_EMPTY = re.compile(r"\[facet 'maxLength'\] .* allowed maximum length of '0'\.", re.DOTALL)
_PATH_STEP_INDEX = re.compile(r"\[\d+\]$")


def schema_error_text(
    message: str,
    path: str,
    operators: tuple[str, ...],
    operations: dict[str, tuple[str, ...]],
) -> str:
    """Rewrite one libxml2 schema message in the spec's shape; `operators` and `operations`
    are the allowed children of the packet and of each operator in the packet's shape."""
    message = message.strip()
    found = _LXML_ELEMENT.fullmatch(message)
    if found is None:
        return _sentence(message)
    element, attribute, detail = found["element"], found["attribute"], found["detail"]
    # The names come from the request and are clipped; the expected lists come from
    # agent.xsd and are kept whole, however many operators it lists.
    element = clip_name(element)
    attribute = None if attribute is None else clip_name(attribute)
    if attribute is not None:
        return f"element '{element}', attribute '{attribute}': {_sentence(detail)}"
    not_expected = _NOT_EXPECTED.fullmatch(detail)
    if not_expected is not None:
        text = f"element '{element}' is not expected"
        if not_expected["names"] is not None:
            return text + _expected(not_expected["names"], bool(not_expected["one_of"]))
        siblings = _allowed_siblings(path, operators, operations)
        return text + (_expected(", ".join(siblings), True) if siblings else "")
    if _MUST_BE_EMPTY.fullmatch(detail):
        return f"element '{element}' must be empty"
    missing = _MISSING.fullmatch(detail)
    if missing is not None:
        names, one_of = missing["names"], bool(missing["one_of"])
        return f"element '{element}' is missing a child element" + _expected(names, one_of)
    return f"element '{element}': {_sentence(detail)}"


def _expected(names: str, one_of: bool) -> str:
    return f"; expected {'one of ' if one_of else ''}({names.strip()})"


def _allowed_siblings(
    path: str, operators: tuple[str, ...], operations: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The packet's or an operator's allowed children, for an error at ``path``."""
    steps = [_PATH_STEP_INDEX.sub("", step) for step in path.split("/") if step]
    if len(steps) == 2 and steps[0] == "packet":
        return operators
    if len(steps) == 3 and steps[0] == "packet":
        return operations.get(steps[1], ())
    return ()


def _sentence(detail: str) -> str:
    """libxml2's sentence as a clause: lower-case first word, no final period."""
    detail = detail.strip().removesuffix(".")
    if len(detail) > 1 and detail[0].isupper() and detail[1].islower():
        detail = detail[0].lower() + detail[1:]
    return detail
