"""`panelkey fault` and `panelkey snapshot`: what an integration's tests steer
(core/testing/), against the store of a running server or a stopped one."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable

from panelkey.core.errors import InvalidValue, PanelkeyError
from panelkey.core.panel import Panel
from panelkey.core.testing.faults import Rule

COMMANDS = frozenset({"fault", "snapshot"})
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")


def duration(text: str) -> float:
    """Seconds of `2s`, `500ms`, `1m` or a bare number of seconds."""
    found = _DURATION.match(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r}: expected seconds, such as 2s or 500ms")
    value, unit = float(found.group(1)), found.group(2) or "s"
    return value / 1000 if unit == "ms" else value * 60 if unit == "m" else value


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    store_options: Callable[[argparse.ArgumentParser], None],
) -> None:
    fault = sub.add_parser("fault", help="make operations fail on purpose (docs/testing.md)")
    verbs = fault.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="a rule: which operation answers what, how often")
    store_options(add)
    add.add_argument(
        "--operation",
        required=True,
        help="XML operator/operation (webspace/add) or REST method and path "
        "('POST /api/v2/clients', '/api/v2/clients/{id}' or a concrete id)",
    )
    add.add_argument("--errcode", type=int, help="Plesk error code, in the operation's result")
    add.add_argument("--errtext", default="", help="the error's text (REST: its message)")
    add.add_argument("--http-status", type=int, help="answer this HTTP status instead")
    add.add_argument("--delay", type=duration, default=0.0, help="wait first (2s, 500ms)")
    add.add_argument("--drop", action="store_true", help="close the connection unanswered")
    add.add_argument("--times", type=int, help="only the next N matching calls")
    add.add_argument("--ratio", type=float, default=1.0, help="this share of calls (0.5)")
    add.add_argument(
        "--key", help="only calls made with this key: its id, or - to read its value from stdin"
    )
    add.add_argument("--login", help="only calls made as this login")
    add.add_argument("--json", action="store_true", help="print the rule as JSON")
    listing = verbs.add_parser("list", help="the rules not yet spent")
    store_options(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    clear = verbs.add_parser("clear", help="remove one rule, or all")
    store_options(clear)
    clear.add_argument("id", nargs="?", type=int, help="the rule (default: every rule)")

    snapshot = sub.add_parser("snapshot", help="save the whole store and put it back")
    verbs = snapshot.add_subparsers(dest="verb", required=True)
    for verb, what in (
        ("save", "save the store under NAME (replaces one of that name)"),
        ("restore", "put the store back as saved under NAME"),
        ("delete", "forget the snapshot NAME"),
    ):
        one = verbs.add_parser(verb, help=what)
        store_options(one)
        one.add_argument("name")
    store_options(verbs.add_parser("list", help="the saved snapshots"))


def _line(rule: Rule) -> str:
    who = [f"key {rule.key_id}"] if rule.key_id is not None else []
    who += [f"login {rule.login}"] if rule.login is not None else []
    how = "every call" if rule.remaining is None else f"next {rule.remaining}"
    if rule.ratio < 1:
        how += f", {rule.ratio:g} of calls"
    text = f"  {rule.errtext!r}" if rule.errtext else ""
    only = f" ({', '.join(who)})" if who else ""
    return f"{rule.id:>4}  {rule.operation}{only}: {rule.describe()}{text}; {how}; hits {rule.hits}"


def main(panel: Panel, args: argparse.Namespace) -> int:
    try:
        if args.command == "fault":
            return _fault(panel, args)
        return _snapshot(panel, args)
    except PanelkeyError as exc:
        print(f"panelkey {args.command} {args.verb}: {exc.message}", file=sys.stderr)
        return 1


def _fault(panel: Panel, args: argparse.Namespace) -> int:
    faults = panel.faults
    if args.verb == "add":
        rule = faults.add(
            args.operation,
            errcode=args.errcode,
            errtext=args.errtext,
            http_status=args.http_status,
            delay=args.delay,
            drop=args.drop,
            times=args.times,
            ratio=args.ratio,
            key_id=_key_id(panel, args.key),
            login=args.login,
        )
        print(json.dumps(rule.as_dict()) if args.json else f"Fault added: {_line(rule).strip()}")
        return 0
    if args.verb == "list":
        for rule in faults.list():
            print(json.dumps(rule.as_dict()) if args.json else _line(rule))
        return 0
    gone = faults.clear(args.id)
    if args.id is not None and not gone:
        print(f"panelkey fault clear: no rule {args.id}", file=sys.stderr)
        return 1
    print(f"Removed {gone} fault rule{'s' if gone != 1 else ''}.")
    return 0


def _key_id(panel: Panel, given: str | None) -> int | None:
    """The key a rule is limited to: an id, or `-` for a key value on standard input
    (never in the arguments, which every user of the machine can read)."""
    if given is None:
        return None
    if given != "-":
        if not given.isdigit():
            raise InvalidValue(f"--key {given!r}: a key id, or - to read a key value from stdin")
        return int(given)
    found = panel.keys.lookup(sys.stdin.readline().strip())
    if found is None:
        raise InvalidValue("--key -: no key has the value read from standard input")
    return found.id


def _snapshot(panel: Panel, args: argparse.Namespace) -> int:
    snapshots = panel.snapshots
    if args.verb == "list":
        for snap in snapshots.list():
            print(f"{snap.name}  {snap.created}  {snap.rows} rows")
        return 0
    if args.verb == "delete":
        if not snapshots.delete(args.name):
            print(f"panelkey snapshot delete: no snapshot named {args.name!r}", file=sys.stderr)
            return 1
        print(f"Deleted snapshot {args.name}.")
        return 0
    if args.verb == "save":
        snap = snapshots.save(args.name)
        print(f"Saved snapshot {snap.name}: {snap.rows} rows in {snap.seconds * 1000:.1f} ms")
        return 0
    snap = snapshots.restore(args.name)
    panel.auth.written()
    print(f"Restored snapshot {snap.name}: {snap.rows} rows in {snap.seconds * 1000:.1f} ms")
    return 0
