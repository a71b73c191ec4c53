"""The route table drives the docs check, as datasette's tests/test_docs.py holds its docs
to its registries: every route is in docs/rest-api.md and in both OpenAPI documents, and
the docs name no route the table lacks."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
import yaml

from panelkey.rest.openapi import rendered
from panelkey.rest.resources import Route
from panelkey.rest.router import ROUTES

DOC = Path(__file__).resolve().parents[3] / "docs" / "rest-api.md"
# A route as the docs write it: `GET /domains`, `GET, PUT, DELETE /clients/{id}`,
# `GET /dns/records?domain=`.
_METHOD = "(?:GET|POST|PUT|DELETE)"
_NAMED = re.compile(rf"`({_METHOD}(?:, {_METHOD})*) (/[^`?\s]*)[^`]*`")


def _documented() -> set[tuple[str, str]]:
    return {
        (method, path)
        for methods, path in _NAMED.findall(DOC.read_text())
        for method in methods.split(", ")
    }


@functools.cache
def _documents() -> dict[str, dict[str, dict[str, object]]]:
    """The three documents, rendered and parsed once, by the worker that runs the checks
    (not at collection: two seconds, most of it the YAML's parse)."""
    docs = rendered()
    return {
        "openapi.json": json.loads(docs["/openapi.json"][0]),
        "swagger.json": json.loads(docs["/swagger.json"][0]),
        "swagger.yml": yaml.safe_load(docs["/swagger.yml"][0]),
    }


DOCUMENTED = _documented()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_is_in_the_rest_docs(route: Route) -> None:
    assert (route.method, route.path) in DOCUMENTED, (
        f"docs/rest-api.md lacks {route.method} {route.path}"
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_every_route_is_in_both_openapi_documents(route: Route) -> None:
    for name, document in _documents().items():
        operation = document["paths"].get(route.path, {}).get(route.method.lower())
        assert isinstance(operation, dict), f"{name} lacks {route.method} {route.path}"
        assert operation["summary"] == route.summary, name


def test_the_docs_name_no_route_the_table_lacks() -> None:
    assert DOCUMENTED - {(r.method, r.path) for r in ROUTES} == set()
