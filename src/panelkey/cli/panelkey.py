"""The `panelkey` command: serve, admin --set-password, audit, --version."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from panelkey import __version__
from panelkey.cli.common import open_panel, settings_or_exit


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="data folder (env PANELKEY_DATA_DIR)")
    parser.add_argument("--database-url", help="store URL (env PANELKEY_DATABASE_URL)")


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

    admin = sub.add_parser("admin", help="administer the admin account")
    _store_options(admin)
    admin.add_argument(
        "--set-password",
        action="store_true",
        required=True,
        help="set the admin password (from standard input when not a terminal)",
    )

    audit = sub.add_parser("audit", help="show the audit log")
    _store_options(audit)
    audit.add_argument("--failures", action="store_true", help="only refused credentials")
    audit.add_argument("--since", help="from this ISO time or date on (UTC)")
    return parser


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

        return serve(settings)
    panel = open_panel(settings)
    try:
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
            print("The admin password was changed.")
            return 0
        for e in panel.audit.entries(failures_only=args.failures, since=args.since):
            key = f"key={e.key_id}" if e.key_id is not None else "key=-"
            print(
                f"{e.at}  {e.event:<12} face={e.face:<4} ip={e.source_ip or '-':<15} {key:<8} "
                f"actor={e.actor or '-'}"
                + (f"  reason={e.reason}" if e.reason else "")
                + (f"  {e.detail}" if e.detail else "")
            )
        return 0
    finally:
        panel.close()


if __name__ == "__main__":
    raise SystemExit(main())
