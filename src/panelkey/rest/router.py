"""The route table, the one source the router, the key scopes and both OpenAPI documents
read: every resource module's routes and schemas, gathered in the order of Plesk's own
document (its operations, then panelkey's additions; its schemas, then panelkey's own).

A route names its method, path (below `/api/v2`), handler, the XML operation a key's
scope judges it as, request body schema, query parameters and success answer
(`resources/__init__.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from panelkey.rest import jsonschema
from panelkey.rest.jsonschema import INT32, Schema
from panelkey.rest.resources import (
    VERBS,
    Route,
    cli,
    clients,
    databases,
    dns,
    docs,
    domains,
    extensions,
    ftpusers,
    keys,
    server,
    sessions,
)

ROUTES: tuple[Route, ...] = (
    *keys.ROUTES,
    *sessions.ROUTES,
    *cli.ROUTES,
    *server.ROUTES,
    *extensions.ROUTES,
    *clients.ROUTES,
    *domains.ROUTES,
    *ftpusers.ROUTES,
    *databases.ROUTES,
    *dns.ROUTES,
    *docs.ROUTES,
)
SCHEMAS: dict[str, Schema] = {
    **keys.SCHEMAS,
    **sessions.SCHEMAS,
    **cli.SCHEMAS,
    **server.SCHEMAS,
    **extensions.SCHEMAS,
    **clients.SCHEMAS,
    **domains.SCHEMAS,
    **dns.SCHEMAS,
    **ftpusers.SCHEMAS,
    **databases.SCHEMAS,
    **jsonschema.SCHEMAS,
    **keys.OWN_SCHEMAS,
}


@dataclass
class _Path:
    template: str
    methods: dict[str, Route]
    allow: str
    names: list[str]
    int_params: frozenset[str]


class Router:
    """Static paths by dict lookup; templated ones by one regex each, in table order."""

    def __init__(self, routes: tuple[Route, ...] = ROUTES) -> None:
        grouped: dict[str, dict[str, Route]] = {}
        for route in routes:
            grouped.setdefault(route.path, {})[route.method] = route
        self.static: dict[str, _Path] = {}
        self.dynamic: list[tuple[re.Pattern[str], _Path]] = []
        for template, methods in grouped.items():
            ints = frozenset().union(*(m.int_params for m in methods.values()))
            allowed = sorted(methods) + (["HEAD"] if "GET" in methods else [])
            entry = _Path(
                template, methods, ", ".join(allowed), re.findall(r"{(\w+)}", template), ints
            )
            if "{" not in template:
                self.static[template] = entry
                continue
            pattern = re.escape(template)
            for name in entry.names:
                part = r"([0-9]{1,10})" if name in ints else r"([^/]+)"
                pattern = pattern.replace(re.escape("{" + name + "}"), part)
            self.dynamic.append((re.compile(pattern + r"\Z"), entry))
        self._operators = {_head(r.path): r.scope.split("/")[0] for r in routes if r.scope}
        # By first segment and method, the operation every route there shares (or "").
        self._operations: dict[tuple[str, str], str] = {}
        for r in routes:
            if r.scope:
                key = (_head(r.path), r.method)
                operation = r.scope.split("/")[1]
                if self._operations.setdefault(key, operation) != operation:
                    self._operations[key] = ""

    def match(self, path: str) -> tuple[_Path, dict[str, Any]] | None:
        """The path's entry and its parameters (integers where declared), or None. An
        integer past the store's range matches nothing, as an unknown id would."""
        entry = self.static.get(path)
        if entry is not None:
            return entry, {}
        for pattern, entry in self.dynamic:
            m = pattern.match(path)
            if m is None:
                continue
            params: dict[str, Any] = {}
            for name, value in zip(entry.names, m.groups(), strict=True):
                if name in entry.int_params:
                    number = int(value)
                    if not 1 <= number <= INT32:
                        return None
                    params[name] = number
                else:
                    params[name] = value
            return entry, params
        return None

    def operation(self, method: str, path: str) -> tuple[str, str]:
        """The XML-style (operator, operation) a call is judged and counted under: its
        route's scope. A call no route serves (the metrics count those too) is named after
        the routes under the same first segment, else after that segment itself."""
        method = method.upper()
        method = method if method in VERBS else "GET"  # HEAD and the unknown read
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        matched = self.match(path)
        route = matched[0].methods.get(method) if matched is not None else None
        if route is not None and route.scope:
            operator, _, operation = route.scope.partition("/")
            return operator, operation
        head = _head(path)
        operator = self._operators.get(head, head or "server")
        return operator, self._operations.get((head, method)) or VERBS[method]


def _head(path: str) -> str:
    return next((part for part in path.split("/") if part), "")


ROUTER = Router()


def rest_operation(method: str, path: str) -> tuple[str, str]:
    """The (operator, operation) a REST call (`path` below `/api/v2`) is judged under by a
    key's scope, and counted under by the metrics; see `Router.operation`."""
    return ROUTER.operation(method, path)
