"""A journal entry as a curl command to run it again, with every secret left out.

The journal keeps no key value and no password (journal/redact.py puts `***` in their
place), so the command names them by shell variables instead: `$PANELKEY_KEY` for a key,
`$PANELKEY_PASSWORD` for a password, whether a header or the body held it. The body is
quoted for a POSIX shell; only the variables expand.
"""

from __future__ import annotations

import shlex

KEY_VARIABLE = '"$PANELKEY_KEY"'
PASSWORD_VARIABLE = '"$PANELKEY_PASSWORD"'  # noqa: S105 - a variable's name, no password
AGENT_PATH = "/enterprise/control/agent.php"
_REDACTED = "***"


def _quoted_body(body: str) -> str:
    """`body` single-quoted, each `***` the journal put for a secret made the variable."""
    return PASSWORD_VARIABLE.join(shlex.quote(part) for part in body.split(_REDACTED))


def _header(name: str, value: str) -> str:
    """`-H 'Name: value'`, or with the value a variable, `-H "Name: $VAR"`."""
    if value in (KEY_VARIABLE, PASSWORD_VARIABLE):
        return f'-H "{name}: {value[1:-1]}"'
    return "-H " + shlex.quote(f"{name}: {value}")


def as_curl(base_url: str, face: str, operation: str, credential: str, request: str) -> str:
    """The command for an entry. `base_url` is where the console was reached
    (`https://host:port`); `operation` is the entry's (`GET /api/v2/x` for REST);
    `credential` its label (`key 3`, `login admin`)."""
    login = credential[6:] if credential.startswith("login ") else ""
    keyed = credential == "key" or credential.startswith("key ")
    parts = ["curl", "-sS"]
    if base_url.startswith("https://"):
        parts.append("-k")  # panelkey's own certificate is self-signed unless one is given
    if face == "xml":
        parts += ["-X", "POST", shlex.quote(base_url + AGENT_PATH)]
        if keyed:
            parts.append(_header("KEY", KEY_VARIABLE))
        elif login:
            parts.append(_header("HTTP_AUTH_LOGIN", login))
            parts.append(_header("HTTP_AUTH_PASSWD", PASSWORD_VARIABLE))
        parts.append(_header("Content-Type", "text/xml"))
    else:
        method, _, path = operation.partition(" ")
        parts += ["-X", shlex.quote(method or "GET"), shlex.quote(base_url + path)]
        if keyed:
            parts.append(_header("X-API-Key", KEY_VARIABLE))
        elif login:
            parts += ["-u", f'"{_escape_dq(login)}:$PANELKEY_PASSWORD"']
        if request:
            parts.append(_header("Content-Type", "application/json"))
    if request:
        parts += ["--data-binary", _quoted_body(request)]
    return " ".join(parts)


def _escape_dq(text: str) -> str:
    """`text` safe inside double quotes: no expansion of `$`, `` ` ``, `\\` or `"`."""
    return "".join("\\" + c if c in '$`\\"' else c for c in text)
