"""The `panelkey` command: serve, admin, unlock, audit, journal, seed, reset, fault,
snapshot, --version."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import yaml

from panelkey import __version__
from panelkey.cli import faults
from panelkey.cli.common import existing_panel, require_store, settings_or_exit
from panelkey.core.panel import Panel
from panelkey.core.server import seed
from panelkey.journal import Entry, Journal


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="data folder (env PANELKEY_DATA_DIR)")
    parser.add_argument("--database-url", help="store URL (env PANELKEY_DATABASE_URL)")
    parser.add_argument(
        "--create",
        action="store_true",
        help="make a new store when there is none (serve always does; others refuse)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="panelkey", description=__doc__)
    parser.add_argument("--version", action="version", version=f"panelkey {__version__}")
    _store_options(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the server")
    _store_options(serve)
    serve.add_argument("--host", help="listen address (default 127.0.0.1)")
    serve.add_argument("--https-port", help="HTTPS port (default 8443)")
    serve.add_argument("--http-port", help="plain-HTTP port (default 8880; 0 turns it off)")
    serve.add_argument("--tls-cert", help="PEM certificate (default: self-signed)")
    serve.add_argument("--tls-key", help="PEM private key of --tls-cert")
    serve.add_argument("--workers", help="worker processes (default 1)")
    serve.add_argument("--log-level", help="debug, info, warning, error")
    serve.add_argument(
        "--metrics-port", help="serve Prometheus /metrics on this port (default off)"
    )
    serve.add_argument(
        "--ready-file",
        help="once listening, write JSON (ports, URLs, admin password, certificate, pid) here",
    )
    serve.add_argument("--dns-port", help="DNS listener port, UDP and TCP (default off; 0 = free)")
    serve.add_argument("--dns-host", help="DNS listener address (default: --host)")

    admin = sub.add_parser("admin", help="administer the admin account")
    _store_options(admin)
    admin.add_argument(
        "--set-password",
        action="store_true",
        required=True,
        help="set the admin password (from standard input when not a terminal)",
    )

    unlock = sub.add_parser(
        "unlock", help="lift lockouts for wrong passwords and wrong keys (every server at once)"
    )
    _store_options(unlock)
    unlock.add_argument("--login", help="this login's lockouts (and its sources')")
    unlock.add_argument("--source", help="this source address's lockouts")

    audit = sub.add_parser("audit", help="show the audit log")
    _store_options(audit)
    audit.add_argument("--failures", action="store_true", help="only refused credentials")
    audit.add_argument("--since", help="from this ISO time or date on (UTC)")
    seed = sub.add_parser("seed", help="load accounts, plans, subscriptions and keys from a file")
    _store_options(seed)
    seed.add_argument("file", help="YAML or JSON seed file (docs/testing.md)")

    journal = sub.add_parser("journal", help="the last requests this server answered")
    _store_options(journal)
    journal.add_argument("--follow", "-f", action="store_true", help="keep printing new ones")
    journal.add_argument("--json", action="store_true", help="one JSON object per line, bodies too")
    journal.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    journal.add_argument("--face", choices=("xml", "rest"), help="only this API")
    journal.add_argument("--errors", action="store_true", help="only refused or failed ones")

    reset = sub.add_parser("reset", help="return the store to its first start")
    _store_options(reset)
    reset.add_argument("--yes", action="store_true", help="do not ask")
    faults.add_commands(sub, _store_options)
    return parser


def _seed(panel: Panel, path: str) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"panelkey seed: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as exc:
        print(f"panelkey seed: {path}: {_yaml_error(exc)}", file=sys.stderr)
        return 1
    try:
        loaded = seed.load(panel, data)
    except seed.SeedError as exc:
        print(f"panelkey seed: {path}: {exc}; nothing was loaded", file=sys.stderr)
        return 1
    print(f"Loaded {loaded} from {path}")
    return 0


def _yaml_error(exc: Exception) -> str:
    """One line naming the line and column, not PyYAML's eight."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}not YAML or JSON: {' '.join(str(problem).split())}"


def _is_iso_time(text: str) -> bool:
    # The audit compares times as text: anything else would silently match all or none.
    try:
        datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return False
    return True


def _reset(panel: Panel, yes: bool, admin_email: str) -> int:
    if not yes:
        if not sys.stdin.isatty():
            print("panelkey reset: add --yes to empty the store without a prompt", file=sys.stderr)
            return 1
        answer = input("Delete every account but admin, every key and domain? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    seed.reset(panel, admin_email)
    print("The store is back to its first start: the admin and the stock plans.")
    return 0


def _journal(path: Path, args: argparse.Namespace) -> int:
    if not path.parent.is_dir():
        print(
            f"panelkey journal: no data folder {path.parent}; check --data-dir or "
            "PANELKEY_DATA_DIR",
            file=sys.stderr,
        )
        return 1
    book = Journal(path, size=1)
    filters: dict[str, str] = {"face": args.face or "", "outcome": "error" if args.errors else ""}

    def show(entry: Entry) -> None:
        if args.json:
            print(json.dumps(entry.as_dict(), ensure_ascii=False), flush=True)
        else:
            print(f"{entry.id:>6} {entry.at} {entry.line()}", flush=True)

    for entry in book.entries(limit=args.limit, face=filters["face"], outcome=filters["outcome"]):
        show(entry)
    if args.follow:
        try:
            for entry in book.follow():
                if all(not v or getattr(entry, k) == v for k, v in filters.items()):
                    show(entry)
        except KeyboardInterrupt:
            return 0
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("New admin password: ")
        if first != getpass.getpass("Again: "):
            raise SystemExit("panelkey: the passwords differ; nothing changed")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    flags = {k: v for k, v in vars(args).items() if k not in ("command",)}
    settings = settings_or_exit(flags)
    if args.command == "serve":
        from panelkey.server import serve
        from panelkey.startup import store_line

        print(store_line(settings.database_url), flush=True)
        return serve(settings)
    if args.command == "journal":
        require_store(settings, "panelkey journal", "start panelkey serve")
        return _journal(settings.data_dir / "journal.db", args)
    panel = existing_panel(settings, f"panelkey {args.command}", getattr(args, "create", False))
    try:
        if args.command in faults.COMMANDS:
            return faults.main(panel, args)
        if args.command == "seed":
            return _seed(panel, args.file)
        if args.command == "reset":
            return _reset(panel, args.yes, settings.admin_email)
        if args.command == "admin":
            password = _read_password()
            if not password:
                print(
                    "panelkey: an empty password is not allowed; nothing changed", file=sys.stderr
                )
                return 1
            admin = panel.accounts.admin()
            assert admin is not None
            panel.accounts.update(admin.identity(), admin, {"password": password})
            lifted = panel.auth.throttle.lift(login=admin.login)
            done = " Its lockouts were lifted." if lifted else ""
            print(f"The admin password was changed.{done}")
            return 0
        if args.command == "unlock":
            lifted = panel.auth.throttle.lift(login=args.login, source=args.source)
            print(f"{lifted} lockout{'s' if lifted != 1 else ''} lifted.")
            return 0
        if args.since and not _is_iso_time(args.since):
            print(
                "panelkey audit: --since must be a UTC date or time such as 2026-01-31 or "
                f"2026-01-31T12:00:00Z, not {args.since!r}",
                file=sys.stderr,
            )
            return 1
        for e in panel.audit.entries(failures_only=args.failures, since=args.since):
            key = f"key={e.key_id}" if e.key_id is not None else "key=-"
            print(
                f"{e.at}  {e.event:<12} face={e.face:<4} ip={e.source_ip or '-':<15} {key:<8} "
                f"actor={e.actor or '-'}"
                + (f"  reason={e.reason}" if e.reason else "")
                + (f"  {e.detail}" if e.detail else "")
                + (f"  count={e.count}" if e.count > 1 else "")
            )
        return 0
    finally:
        panel.close()


if __name__ == "__main__":
    raise SystemExit(main())
