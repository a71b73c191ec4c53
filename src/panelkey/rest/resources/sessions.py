"""`/server/session`: a browser session opened for a login, the same sessions as XML
`server/create_session` (`core/access/sessions.py`)."""

from __future__ import annotations

from panelkey.rest import jsonschema as js
from panelkey.rest.resources import Answer, Call, Resource


def create_session(c: Call) -> Answer:
    b = c.body
    # skip_mfa needs nothing: panelkey asks for no second factor, so none is skipped.
    session_id, _session = c.ctx.panel.sessions.create(
        c.identity,
        b["login"],
        user_ip=b.get("user_ip") or c.address,
        source_server=b.get("source_server") or "",
    )
    return 201, {"id": session_id}


SCHEMAS: dict[str, js.Schema] = {
    "SessionRequest": js.obj(
        {
            "login": js.LOGIN,
            "user_ip": js.string(
                "The address the session is for; default: the caller's",
                maxLength=64,
                pattern=rf"^ *(?:{js.IP} *)?$",
            ),
            "source_server": js.string(maxLength=255),
            "skip_mfa": {
                "type": "boolean",
                "description": "Open the session without asking for a second factor; "
                "panelkey has none to ask for, so every session is opened so",
            },
        },
        ("login",),
        description="Whom a browser session is opened for",
    ),
    "SessionResponse": js.obj({"id": js.string("The session token")}, ("id",)),
}

ROUTES = (
    Resource(("Authentication", "Server"), "server").post(
        "/server/session",
        create_session,
        "Create a session token",
        js.ref("SessionResponse"),
        operation="create_session",
        status=201,
        body="SessionRequest",
    ),
)
