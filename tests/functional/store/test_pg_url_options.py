"""A PostgreSQL URL whose `options` hold several settings (a space between them) reaches
every connection panelkey makes: SQLAlchemy's, the prepared readers' and the LISTEN
watcher's. Rendered back to a URL, the space became a `+` that libpq kept, and the
readers lost their schema."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, quote, urlsplit

from panelkey.core.identity import Reason, Refused, Verified
from panelkey.core.panel import Panel


def _with_timeout(pg_url: str) -> str:
    head, _, query = pg_url.partition("?")
    options = parse_qs(query)["options"][0] + " -cstatement_timeout=30000"
    return f"{head}?options={quote(options)}"


def test_several_options_reach_the_readers_and_the_watcher(pg_url: str) -> None:
    url = _with_timeout(pg_url)
    assert " " in parse_qs(urlsplit(url).query)["options"][0]
    watching, other = Panel.open(url), Panel.open(url)
    try:
        watching.bootstrap()
        watching.watch()
        account = watching.accounts.admin()  # a prepared read, on a reader connection
        assert account is not None
        value, info = watching.keys.create(account.identity(), addresses=None, face="cli")
        assert isinstance(watching.auth.verify_key(value, "127.0.0.1", "xml"), Verified)
        other.keys.delete(account.identity(), str(info.id), face="cli")  # another process
        deadline = time.monotonic() + 5
        verdict = watching.auth.verify_key(value, "127.0.0.1", "xml")
        while isinstance(verdict, Verified) and time.monotonic() < deadline:
            time.sleep(0.05)  # the NOTIFY reaches the watcher's LISTEN connection
            verdict = watching.auth.verify_key(value, "127.0.0.1", "xml")
        assert verdict == Refused(Reason.UNKNOWN_KEY)
    finally:
        other.close()
        watching.close()
