"""`/cli`: the command-line gate. `POST /cli/{id}/call` runs a utility of
`panelkey.utilities.registry()` as `plesk bin <id> ...` does, through the same function
(no shell, no CLI face); an unknown utility is 404 and nothing runs."""

from __future__ import annotations

from panelkey.rest import jsonschema as js
from panelkey.rest.errors import not_found
from panelkey.rest.resources import FACE, Answer, Call, Resource
from panelkey.utilities import reference, registry


def cli_commands(c: Call) -> Answer:
    return 200, sorted(registry())


def cli_ref(c: Call) -> Answer:
    name = c.params["id"]
    if name not in registry():
        raise not_found("Command")
    return 200, reference(name)


def cli_call(c: Call) -> Answer:
    utility = registry().get(c.params["id"])
    if utility is None:
        raise not_found("Command")
    body = c.body if isinstance(c.body, dict) else {}
    outcome = utility(c.ctx.panel, list(body.get("params") or []), FACE)
    return 200, {"code": outcome.code, "stdout": outcome.stdout, "stderr": outcome.stderr}


ARGUMENT_MAX = 4096
SCHEMAS: dict[str, js.Schema] = {
    "CliCallRequest": js.obj(
        {
            "params": js.array(
                js.string(maxLength=ARGUMENT_MAX),
                maxItems=256,
                description="The command line's arguments",
            ),
            "env": js.obj(
                {},
                additionalProperties=js.string(maxLength=ARGUMENT_MAX),
                description="Accepted for compatibility; not passed on",
            ),
        }
    ),
    "CliCallResponse": js.obj(
        {"code": js.integer("Exit code"), "stdout": js.string(), "stderr": js.string()},
        ("code", "stdout", "stderr"),
    ),
}

_NAMES: js.Schema = {"type": "array", "items": {"type": "string"}}
_REFERENCE = js.obj(
    {"allowed_commands": _NAMES, "allowed_options": _NAMES},
    ("allowed_commands", "allowed_options"),
)
_R = Resource(("Cli",), "cli", int_ids=False)
ROUTES = (
    _R.get("/cli/commands", cli_commands, "List CLI commands", _NAMES, inline=True),
    _R.get("/cli/{id}/ref", cli_ref, "Get CLI command reference", _REFERENCE, inline=True),
    _R.post(
        "/cli/{id}/call",
        cli_call,
        "Execute CLI command",
        js.ref("CliCallResponse"),
        operation="call",
        body="CliCallRequest",
        body_required=False,
    ),
)
