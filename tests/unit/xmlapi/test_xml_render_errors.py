"""The XML face's error table, answer shapes and operator registry."""

from __future__ import annotations

import inspect

import pytest
from lxml import etree

from panelkey.core import errors as core_errors
from panelkey.core.errors import NotFound, PanelkeyError
from panelkey.xmlapi import render, validation
from panelkey.xmlapi.errors import ERRCODES, describe
from panelkey.xmlapi.operators import OPERATORS

CORE_ERRORS = [
    cls
    for _, cls in inspect.getmembers(core_errors, inspect.isclass)
    if issubclass(cls, PanelkeyError)
]


@pytest.mark.parametrize("cls", CORE_ERRORS, ids=lambda c: c.__name__)
def test_every_core_error_answers_its_own_code_and_message(cls: type[PanelkeyError]) -> None:
    exc = cls("some text")
    assert describe(exc) == (cls.code, "some text")


def test_table_lists_subclasses_before_their_bases() -> None:
    classes = [cls for cls, _ in ERRCODES]
    for i, cls in enumerate(classes):
        assert not any(issubclass(later, cls) and later is not cls for later in classes[i + 1 :])


def test_unexpected_exceptions_are_1023_without_their_text() -> None:
    assert describe(RuntimeError("secret detail")) == (1023, "Internal error")


def test_error_result_has_status_errcode_errtext_then_fields() -> None:
    result = render.error(NotFound("Key is not found"), [("key", "abc"), ("skip", None)])
    assert [(c.tag, c.text) for c in result] == [
        ("status", "error"),
        ("errcode", "1013"),
        ("errtext", "Key is not found"),
        ("key", "abc"),
    ]


def test_system_error_packet_shape() -> None:
    root = render.system_error(core_errors.AuthenticationMissing())
    text = render.serialize(root, pretty=True).decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<packet version="1.6.9.1">')
    assert "<errcode>1029</errcode>" in text
    assert [c.tag for c in root.find("system")] == ["status", "errcode", "errtext"]  # type: ignore[union-attr]


def test_empty_string_gives_an_empty_element() -> None:
    el = render.element("key_info", [("description", "")])
    assert etree.tostring(el) == b"<key_info><description/></key_info>"


def test_every_registered_operation_is_in_the_schema() -> None:
    schema = validation._agent_schema_document()
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    for operator, operations in OPERATORS.items():
        declared = schema.xpath(
            f"//xs:element[@name='packet']//xs:element[@name='{operator}']", namespaces=ns
        )
        assert declared, operator
        for name, handler in operations.items():
            assert callable(handler)
            assert schema.xpath(f"//xs:element[@name='{name}']", namespaces=ns), name
