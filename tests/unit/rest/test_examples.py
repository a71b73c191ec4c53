"""The OpenAPI documents' examples: on every schema and property, each fitting its schema."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from panelkey.rest.openapi import openapi3, swagger2

OPENAPI = openapi3()
SWAGGER = swagger2()


def _inline(schema: Any, schemas: dict[str, Any], prefix: str) -> Any:
    """`schema` with every $ref replaced by what it names (examples left out), so that
    jsonschema checks a value against it without a reference resolver."""
    if isinstance(schema, list):
        return [_inline(s, schemas, prefix) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _inline(schemas[schema["$ref"][len(prefix) :]], schemas, prefix)
    skip = ("example", "x-nullable", "x-also", "nullable")
    return {k: _inline(v, schemas, prefix) for k, v in schema.items() if k not in skip}


def _properties(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, sub in schema.get("properties", {}).items():
        if "$ref" not in sub:
            yield f"{where}.{name}", sub
            yield from _properties(sub, f"{where}.{name}")


@pytest.mark.parametrize(
    ("document", "schemas", "prefix"),
    [
        (OPENAPI, OPENAPI["components"]["schemas"], "#/components/schemas/"),
        (SWAGGER, SWAGGER["definitions"], "#/definitions/"),
    ],
    ids=["openapi3", "swagger2"],
)
def test_every_schema_and_property_has_an_example_that_fits_it(
    document: dict[str, Any], schemas: dict[str, Any], prefix: str
) -> None:
    assert schemas
    for name, schema in schemas.items():
        assert "example" in schema, name
        jsonschema.validate(schema["example"], _inline(schema, schemas, prefix))
        for where, sub in _properties(schema, name):
            assert "example" in sub, where
            jsonschema.validate(sub["example"], _inline(sub, schemas, prefix))


def test_examples_read_like_data_not_like_drawn_samples() -> None:
    schemas = OPENAPI["components"]["schemas"]
    key = schemas["SecretKeyInfo"]["example"]
    assert key["ips"] == ["192.0.2.10", "203.0.113.0/24"] and key["rate"] == "100/m"
    assert schemas["ErrorResponse"]["example"] == {"code": 404, "message": "Not found"}
    assert schemas["DomainRequest"]["example"]["owner_client"] == {"login": "janedoe"}
    assert schemas["DomainResponse"]["example"]["aliases"][0]["name"] == "example.net"
    every = str(schemas)
    assert "2147483647" not in every.replace("'maximum': 2147483647", "")


def test_parameters_and_error_answers_have_examples() -> None:
    get = OPENAPI["paths"]["/clients/{id}"]["get"]
    assert get["parameters"][0]["example"] == 1
    unauthorised = get["responses"]["401"]["content"]["application/json"]["example"]
    assert unauthorised["code"] == 401 and "X-API-Key" in unauthorised["message"]
    swagger_get = SWAGGER["paths"]["/clients/{id}"]["get"]
    assert swagger_get["parameters"][0]["x-example"] == 1
    assert swagger_get["responses"]["404"]["examples"]["application/json"]["code"] == 404


def test_the_description_shows_the_error_shape_in_code() -> None:
    # In Markdown, `<HTTP status>` outside a code span is read as a tag and vanishes.
    assert '`{"code": <HTTP status>, "message": "..."}`' in OPENAPI["info"]["description"]


def test_the_registry_schemas_are_left_without_examples() -> None:
    from panelkey.rest.router import SCHEMAS

    assert "example" not in str(copy.deepcopy(SCHEMAS))
