"""`/openapi.json`, `/swagger.json`, `/swagger.yml`: panelkey's additions, this API's own
documents (`rest/openapi.py`), open without authentication. The app answers them from
the documents it made at start, so these routes have no handler."""

from __future__ import annotations

from panelkey.rest.resources import Resource

_DOCS = Resource(("Docs",), "")
_DOC = "This API as "
_OPEN = "open without authentication"
ROUTES = tuple(
    _DOCS.get(
        path,
        None,
        _DOC + summary,
        {"type": "object"},
        auth=False,
        inline=True,
        extension=f"{extension}, {_OPEN}",
    )
    for path, summary, extension in (
        ("/openapi.json", "an OpenAPI 3.0 document", "this document"),
        ("/swagger.json", "a Swagger 2.0 document (JSON)", "the Swagger 2.0 document"),
        ("/swagger.yml", "a Swagger 2.0 document (YAML)", "the Swagger 2.0 document in YAML"),
    )
)
