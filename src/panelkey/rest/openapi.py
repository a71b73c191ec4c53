"""OpenAPI 3.0 and Swagger 2.0 documents, both made from the route table and SCHEMAS."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from typing import Any

import yaml

from panelkey import __version__
from panelkey.rest import examples
from panelkey.rest.jsonschema import INT32, STORABLE, Schema
from panelkey.rest.resources import Query, Route
from panelkey.rest.router import ROUTES, SCHEMAS

BASE_PATH = "/api/v2"
TITLE = "panelkey REST API (Plesk-compatible)"
DESCRIPTION = (
    "Plesk's REST API under /api/v2. Authenticate with `X-API-Key: <key>` or HTTP Basic "
    "as the administrator; keys and passwords are never accepted in the URL. Every error "
    'answer has the body `{"code": <HTTP status>, "message": "..."}`. No string may hold a NUL '
    "character or a lone surrogate."
)
_ERRORS = {
    400: "The request is malformed or a value is invalid; nothing was changed",
    401: "No credentials, wrong ones, or credentials in the URL",
    403: "Not the administrator, or refused by panel.ini",
    404: "No such object",
    413: "The request body is too large",
}


def _convert(schema: Any, prefix: str, *, swagger: bool) -> Any:
    """Point `$ref`s at the document's own place for schemas; spell `nullable` per version."""
    if isinstance(schema, list):
        return [_convert(x, prefix, swagger=swagger) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref":
            out[key] = prefix + value
        elif key == "anyOf" and swagger:
            # Swagger 2.0 has no anyOf: its document shows the first shape, marked.
            out.update(_convert(value[0], prefix, swagger=swagger))
            out["x-also"] = [_convert(v, prefix, swagger=swagger) for v in value[1:]]
        elif key == "nullable" and swagger:
            out["x-nullable"] = value
        elif key in ("properties",):
            out[key] = {k: _convert(v, prefix, swagger=swagger) for k, v in value.items()}
        else:
            out[key] = _convert(value, prefix, swagger=swagger)
    return out


def _error_codes(route: Route) -> list[int]:
    codes = [401, 403] if not route.auth else [400, 401, 403, 404]
    if route.body:
        codes.append(413)
    return codes


def _path_param(route: Route, name: str) -> Schema:
    if name in route.int_params:
        return {"type": "integer", "minimum": 1, "maximum": INT32}
    return {"type": "string"}


def _operation(route: Route) -> dict[str, Any]:
    """Summary and tags as Plesk's document has them, and no operationId: generated
    clients then name each operation after its summary, as they do for Plesk's."""
    op: dict[str, Any] = {"summary": route.summary, "tags": list(route.tags)}
    if route.extension:
        op["description"] = f"panelkey extension (not in Plesk's API): {route.extension}."
    return op


def _query_schema(q: Query) -> Schema:
    if q.type == "integer":
        return {"type": "integer", "minimum": 1, "maximum": INT32}
    return {"type": "string", "pattern": STORABLE}


def _media(route: Route) -> str:
    return "text/yaml" if route.path.endswith(".yml") else "application/json"


def _place(paths: dict[str, dict[str, Any]], route: Route, op: dict[str, Any]) -> None:
    """Put the operation in its path, open to anyone where the route asks for no key."""
    if not route.auth:
        op["security"] = []
    paths.setdefault(route.path, {})[route.method.lower()] = op


def _parameters(route: Route, typed: Callable[[Schema], Schema]) -> list[dict[str, Any]]:
    """The path and query parameters; `typed(schema)` places each one's schema as the
    document version wants it (under `schema`, or inline)."""
    params: list[dict[str, Any]] = [
        {"name": n, "in": "path", "required": True, **typed(_path_param(route, n))}
        for n in route.params
    ]
    params += [
        {
            "name": q.name,
            "in": "query",
            "required": q.required,
            "description": q.description,
            **typed(_query_schema(q)),
        }
        for q in route.query
    ]
    return params


def openapi3() -> dict[str, Any]:
    prefix = "#/components/schemas/"
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        params = _parameters(route, lambda schema: {"schema": schema})
        responses: dict[str, Any] = {
            str(route.status): {
                "description": route.summary,
                "content": {
                    _media(route): {"schema": _convert(route.answer or {}, prefix, swagger=False)}
                },
            }
        }
        for code in _error_codes(route):
            responses[str(code)] = {
                "description": _ERRORS[code],
                "content": {"application/json": {"schema": {"$ref": prefix + "ErrorResponse"}}},
            }
        op = _operation(route)
        op["responses"] = responses
        if params:
            op["parameters"] = params
        if route.body:
            op["requestBody"] = {
                "required": route.body_required,
                "content": {"application/json": {"schema": {"$ref": prefix + route.body}}},
            }
        _place(paths, route, op)
    document = {
        "openapi": "3.0.3",
        "info": {"title": TITLE, "version": __version__, "description": DESCRIPTION},
        "servers": [{"url": BASE_PATH}],
        "paths": paths,
        "components": {
            "schemas": {k: _convert(v, prefix, swagger=False) for k, v in SCHEMAS.items()},
            "securitySchemes": {
                "BasicAuth": {"type": "http", "scheme": "basic"},
                "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
        "security": [{"BasicAuth": []}, {"APIKeyHeader": []}],
    }
    return examples.apply(document)


def swagger2() -> dict[str, Any]:
    prefix = "#/definitions/"
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        params = _parameters(route, lambda schema: schema)
        if route.body:
            params.append(
                {
                    "name": "body",
                    "in": "body",
                    "required": route.body_required,
                    "schema": {"$ref": prefix + route.body},
                }
            )
        responses: dict[str, Any] = {
            str(route.status): {
                "description": route.summary,
                "schema": _convert(route.answer or {}, prefix, swagger=True),
            }
        }
        for code in _error_codes(route):
            responses[str(code)] = {
                "description": _ERRORS[code],
                "schema": {"$ref": prefix + "ErrorResponse"},
            }
        op = _operation(route)
        op["produces"] = [_media(route)]
        op["responses"] = responses
        if route.body:
            op["consumes"] = ["application/json"]
        if params:
            op["parameters"] = params
        _place(paths, route, op)
    document = {
        "swagger": "2.0",
        "info": {"title": TITLE, "version": __version__, "description": DESCRIPTION},
        "basePath": BASE_PATH,
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": {k: _convert(v, prefix, swagger=True) for k, v in SCHEMAS.items()},
        "securityDefinitions": {
            "BasicAuth": {"type": "basic"},
            "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        },
        "security": [{"BasicAuth": []}, {"APIKeyHeader": []}],
    }
    return examples.apply(document)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # PyYAML's wheels carry libyaml


def rendered() -> dict[str, tuple[bytes, str]]:
    """Each document's bytes and content type, by its path below /api/v2."""
    return dict(_rendered())


# The documents follow from the route table alone: made once a process, however many
# apps (workers' listeners, tests) serve them.
@functools.cache
def _rendered() -> dict[str, tuple[bytes, str]]:
    v2 = swagger2()
    return {
        "/openapi.json": (json.dumps(openapi3(), indent=2).encode(), "application/json"),
        "/swagger.json": (json.dumps(v2, indent=2).encode(), "application/json"),
        "/swagger.yml": (
            # libyaml's emitter: the same bytes as the pure-Python one, five times sooner.
            yaml.dump(
                copy.deepcopy(v2), Dumper=_DUMPER, sort_keys=False, allow_unicode=True
            ).encode(),
            "text/yaml; charset=utf-8",
        ),
    }
