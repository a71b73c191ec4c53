"""What every resource module is made of: its handlers (a `Call` in, `(status, payload)`
out), its routes and its schemas. `router.py` gathers the modules into one table.

Handlers of routes marked `inline` run on the event loop and must not touch the store;
all others run in a worker thread. Bodies arrive already checked against their schema
(types, enums, lengths, ranges, patterns); the core checks the rest and its errors become
400/403/404 (`rest/errors.py`). A read's answer is held to `[panelkey] maxRestAnswerSize`
(`within`): a list handler may answer an iterator, written object by object until the
budget is spent (docs/rest-api.md "Limits").
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from panelkey.context import Context
from panelkey.core.identity import Identity
from panelkey.rest.errors import ApiError, bad_request
from panelkey.rest.jsonschema import Schema

FACE = "rest"
Answer = tuple[int, Any]
SUCCESS = {"status": "success"}


@dataclass(slots=True)
class Call:
    """One authenticated request, as a handler sees it."""

    ctx: Context
    identity: Identity
    address: str
    params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None


Handler = Callable[[Call], Answer]
T = TypeVar("T")


class Made(Protocol):
    """An object made with an id and a guid: an account or a domain."""

    @property
    def id(self) -> int: ...

    @property
    def guid(self) -> str: ...


def created(made: Made) -> dict[str, Any]:
    """Plesk's CreatedResponse, which its PUT and DELETE answer too."""
    return {"id": made.id, "guid": made.guid}


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    required: bool = False
    type: str = "string"  # or "integer"


@dataclass(frozen=True)
class Route:
    """One operation: `method` on `path` (below `/api/v2`), answered by `handler`.

    `scope` is the XML operation a key's scope judges the call as (`customer/get`, see
    core/access/keypolicy.py), empty for a route open without credentials. Path
    parameters named in `int_params` are integers."""

    method: str
    path: str
    handler: Handler | None
    summary: str  # Plesk's exact summary: generated clients name operations after it
    tags: tuple[str, ...]
    scope: str
    status: int = 200
    answer: Schema | None = None
    body: str | None = None  # schema name of the JSON body
    body_required: bool = True
    query: tuple[Query, ...] = ()
    auth: bool = True
    inline: bool = False  # runs on the event loop: must not touch the store
    int_params: frozenset[str] = field(default_factory=frozenset)
    extension: str = ""  # set for panelkey's additions: what they add to Plesk's API

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    @property
    def listing(self) -> bool:
        """A list of objects, as long as the store holds: a big one made off the event
        loop, in the bulk lane (pressure.py), so that other requests keep flowing."""
        return not self.inline and self.answer is not None and self.answer.get("type") == "array"


def too_large(limit: int) -> ApiError:
    return bad_request(
        f"The answer would pass {limit} bytes ([panelkey] maxRestAnswerSize); ask for fewer "
        "objects (filter the list where the route takes a filter, as ?name= or ?domain=)"
    )


# One encoder for every answer: json.dumps with separators makes a new one per call.
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode
# Items encoded together: one encoder call per batch costs about what one per item did.
_BATCH = 16


class Listing:
    """A list answer made an item at a time, held to `limit` bytes: `add` raises
    `too_large` once the budget is spent, at most a batch of items (`_BATCH`) after, before
    the rest is made. Items are encoded a batch at a time, as one JSON array whose
    brackets are dropped: the same bytes as each item's alone, joined by commas."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._parts: list[str] = []
        self._pending: list[Any] = []
        self._size = 2  # the brackets, and a comma after every encoded batch
        self._objects = 0

    def add(self, item: Any) -> None:
        pending = self._pending
        pending.append(item)
        if len(pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        part = _ENCODE(self._pending)[1:-1]
        self._objects += len(self._pending)
        self._pending = []
        self._parts.append(part)
        self._size += len(part) + 1
        if self._size > self.limit + 1:  # the last batch has no comma
            raise too_large(self.limit)

    @property
    def objects(self) -> int:
        return self._objects + len(self._pending)

    def body(self) -> bytes:
        """The list's JSON; `too_large` past the budget (even an empty list's brackets)."""
        self._flush()
        body = ("[" + ",".join(self._parts) + "]").encode()
        if len(body) > self.limit:
            raise too_large(self.limit)
        return body


def is_listing(payload: Any) -> bool:
    """Whether a handler's answer is a list to encode item by item (any iterable but a
    dict, str or bytes)."""
    return isinstance(payload, Iterable) and not isinstance(payload, (dict, str, bytes))


def within(payload: Any, limit: int) -> bytes:
    """`payload` as the JSON the app sends, or `too_large` when it passes `limit` bytes;
    a list is encoded item by item (`Listing`)."""
    if isinstance(payload, bytes):
        body = payload
    elif is_listing(payload):
        listing = Listing(limit)
        for item in payload:
            listing.add(item)
        body = listing.body()
    else:
        body = _ENCODE(payload).encode()
    if len(body) > limit:
        raise too_large(limit)
    return body


def bounded(handler: Handler) -> Handler:
    """`handler`, its answer held to the REST answer budget (`within`); the handler
    itself stays at `__wrapped__` (functools.wraps), for the app's bulk lane."""

    @functools.wraps(handler)
    def answer(c: Call) -> Answer:
        status, payload = handler(c)
        return status, within(payload, c.ctx.settings.max_rest_answer)

    return answer


def reference(ref: Mapping[str, Any], members: Sequence[str], what: str) -> tuple[str, Any]:
    """The first of `members` a reference (`{"id": 7}`, `{"name": "a.com"}`, ...) gives,
    as the core's (kind, value) pair (core/refs.py). A reference that gives none is 400
    (its schema already refuses it)."""
    for member in members:
        if ref.get(member):
            return member, ref[member]
    *first, last = members
    raise bad_request(f"{what} needs one of {', '.join(first)} or {last}")


# A key's scope names a REST call as the XML operation of its resource and method.
VERBS = {"GET": "get", "POST": "add", "PUT": "set", "DELETE": "del"}


@dataclass(frozen=True)
class Resource:
    """What the routes of one resource share: their tags, the XML operator a key's scope
    judges them under (with the method's verb, unless a route names its own operation),
    and whether an `{id}` in their paths is an integer."""

    tags: tuple[str, ...]
    operator: str
    int_ids: bool = True

    def route(
        self,
        method: str,
        path: str,
        handler: Handler | None,
        summary: str,
        answer: Schema | None = None,
        **more: Any,
    ) -> Route:
        operation = more.pop("operation", None) or VERBS[method]
        scope = f"{self.operator}/{operation}" if more.get("auth", True) else ""
        if self.int_ids and "{id}" in path:
            more["int_params"] = frozenset({"id"})
        if handler is not None and method == "GET" and more.get("auth", True):
            # A read's answer is held to the budget; a write's is one object (its fields
            # are bounded), and refusing it would hide a change that was made.
            handler = bounded(handler)
        return Route(method, path, handler, summary, self.tags, scope, answer=answer, **more)

    get = functools.partialmethod(route, "GET")
    post = functools.partialmethod(route, "POST")
    put = functools.partialmethod(route, "PUT")
    delete = functools.partialmethod(route, "DELETE")
