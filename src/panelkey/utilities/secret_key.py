"""`secret_key`: Plesk's utility for secret keys, as Plesk's documents write it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from panelkey.core.access.keys import KeyInfo
from panelkey.core.errors import PanelkeyError
from panelkey.core.panel import Panel
from panelkey.utilities import REFERENCE, Outcome

COMMANDS = {
    "--create": "create",
    "-c": "create",
    "-create": "create",
    "--list": "list",
    "-l": "list",
    "-list": "list",
    "--delete": "delete",
    "-d": "delete",
    "-delete": "delete",
    "--rotate": "rotate",
    "-rotate": "rotate",
    "--help": "help",
    "-h": "help",
    "-help": "help",
}
OPTIONS = {
    "-ip-address": "create",
    "-description": "create",
    "-login": "create",
    "-expires": "create",
    "-scope": "create",
    "-rate": "create",
    "-key": "delete rotate",
    "-grace": "rotate",
    "-format": "list",
}
REFERENCE["secret_key"] = {
    "allowed_commands": sorted(COMMANDS),
    "allowed_options": sorted(OPTIONS),
}

USAGE = """\
Usage: secret_key <command> [<option> <param>]...

Commands:
  --create, -c      make a key; prints the key value alone on one line
  --list, -l        list every key (ids, never values)
  --delete, -d      delete the key named by -key
  --rotate          (panelkey) a new value for the key named by -key, same owner,
                    addresses, scope and limits; prints the new value
  --help, -h        show this help

Options:
  -ip-address <addr>[,<addr>...]  (create) allowed IPv4/IPv6 addresses or CIDR networks;
                                  absent = any address
  -description <text>             (create) description
  -login <login>                  (create) owner; default admin
  -expires <when>                 (create, panelkey) ISO 8601 UTC time or a duration:
                                  90s, 15m, 12h, 30d
  -scope <list>                   (create, panelkey) read, or operator/operation
                                  patterns with *: dns/*,site/get
  -rate <N/s|N/m|N/h>             (create, panelkey) at most N requests per second,
                                  minute or hour
  -key <value or id>              (delete, rotate) which key
  -grace <duration>               (rotate, panelkey) the old value keeps working this
                                  long (default 0: it stops at once)
  -format text|json               (list) output format

Examples:
  plesk bin secret_key -c -ip-address 192.168.1.100
  plesk bin secret_key --create -ip-address 192.168.1.100 -description "test key"
  plesk bin secret_key --list
  plesk bin secret_key --delete -key 3
  secret_key -c -ip-address 10.0.0.0/8 -expires 30d -scope dns/* -rate 10/s
  secret_key --rotate -key 3 -grace 15m

panelkey's options are documented in docs/keys.md.
"""


class _Usage(Exception):
    pass


def _parse(argv: Sequence[str]) -> tuple[str, dict[str, str]]:
    command: str | None = None
    options: dict[str, str] = {}
    args = list(argv)
    i = 0
    while i < len(args):
        token = args[i]
        if token in COMMANDS:
            if command is not None:
                raise _Usage("only one command may be given")
            command = COMMANDS[token]
        elif token in OPTIONS:
            if i + 1 >= len(args):
                raise _Usage(f"option {token} needs a parameter")
            if token in options:
                raise _Usage(f"option {token} is given twice")
            options[token] = args[i + 1]
            i += 1
        else:
            raise _Usage(f"unknown command or option {token!r}")
        i += 1
    if command is None:
        raise _Usage("no command given")
    for option in options:
        if command != "help" and command not in OPTIONS[option].split():
            raise _Usage(f"option {option} does not go with --{command}")
    if command in ("delete", "rotate") and "-key" not in options:
        raise _Usage(f"--{command} needs -key <value or id>")
    if options.get("-format", "text") not in ("text", "json"):
        raise _Usage("-format takes text or json")
    return command, options


def _block(info: KeyInfo) -> str:
    plesk = (
        f"Key: {info.id}\n"
        f"Ip: {','.join(info.ips)}\n"
        f"Description: {info.description}\n"
        f"Login: {info.login}\n"
        f"Created: {info.created}\n"
        f"Last used: {info.last_used or 'never'}"
        + (f" from {info.last_used_ip}" if info.last_used and info.last_used_ip else "")
        + "\n"
    )
    if info.plain:
        return plesk  # a key made the Plesk way is listed exactly as Plesk lists it
    return plesk + (
        f"Expires: {info.expires or 'never'}\n"
        f"Scope: {','.join(info.scope) or 'all'}\n"
        f"Rate: {info.rate or 'unlimited'}\n"
        f"Requests: {info.requests}\n"
        f"Refusals: {info.refusals}\n"
    )


def run(panel: Panel, argv: Sequence[str], face: str = "cli") -> Outcome:
    """Run one command line against the store, as the admin."""
    try:
        command, options = _parse(argv)
    except _Usage as exc:
        return Outcome(2, "", f"secret_key: {exc}\n\n{USAGE}")
    if command == "help":
        return Outcome(0, USAGE, "")
    admin = panel.accounts.admin()
    if admin is None:
        return Outcome(1, "", "secret_key: the administrator account does not exist yet\n")
    actor = admin.identity()
    try:
        if command == "create":
            addresses = options.get("-ip-address")
            value, _info = panel.keys.create(
                actor,
                addresses=addresses,
                description=options.get("-description", ""),
                login=options.get("-login"),
                face=face,
                expires=options.get("-expires"),
                scope=options.get("-scope"),
                rate=options.get("-rate"),
            )
            note = (
                ""
                if addresses
                else ("Note: no -ip-address was given, so this key can be used from any address.\n")
            )
            return Outcome(0, value + "\n", note)
        if command == "list":
            keys = panel.keys.list()
            if options.get("-format") == "json":
                return Outcome(0, json.dumps([k.as_dict() for k in keys], indent=2) + "\n", "")
            return Outcome(0, "\n".join(_block(k) for k in keys), "")
        if command == "rotate":
            grace = options.get("-grace")
            value, info = panel.keys.rotate(actor, options["-key"], grace=grace, face=face)
            said = f"the old value works {grace} more" if grace else "the old value stops now"
            return Outcome(0, value + "\n", f"Key {info.id} replaces the old one; {said}.\n")
        info = panel.keys.delete(actor, options["-key"], face=face)
        return Outcome(0, f"Key {info.id} deleted\n", "")
    except PanelkeyError as exc:
        return Outcome(1, "", f"secret_key: {exc.message}\n")
