"""Traffic a site used, per day (XML ``set_traffic``/``get_traffic`` of ``site`` and
``webspace``), kept in the ``properties`` table as (``traffic``, domain id,
``YYYY-MM-DD.counter``) -> bytes.

panelkey counts no traffic itself: what a client sets is what later reads answer, and a
day nothing was set for answers zeros. A subscription's traffic is the sum over its
domains. The rows go with the domain (purged on delete).
"""

from __future__ import annotations

import builtins
import datetime
from collections.abc import Mapping

import sqlalchemy as sa

from panelkey.core import events
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.store import tables
from panelkey.store.database import Database

# Plesk's counters, in the order get_traffic answers them.
COUNTERS = (
    "http_in",
    "http_out",
    "ftp_in",
    "ftp_out",
    "smtp_in",
    "smtp_out",
    "pop3_imap_in",
    "pop3_imap_out",
)
KIND = "traffic"
# The longest period one get_traffic lists day by day.
MAX_DAYS = 3660

_P = tables.properties
Day = tuple[datetime.date, dict[str, int]]


class Traffic:
    def __init__(self, db: Database, domains: Domains) -> None:
        self._db = db
        self._domains = domains
        domains.on_delete(self._purge)

    def set(
        self, actor: Identity, domain: Domain, day: datetime.date, values: Mapping[str, int]
    ) -> None:
        """Store one day's counters of `domain` over what was set for that day (counters
        not given keep theirs). PermissionDenied for a customer; InvalidValue for a
        counter panelkey does not know or a negative value."""
        if actor.type == AccountType.CUSTOMER.value:
            raise PermissionDenied()
        for name, value in values.items():
            if name not in COUNTERS or value < 0:
                raise InvalidValue(f"Invalid traffic value: {name}={value}")
        names = [f"{day.isoformat()}.{n}" for n in values]
        with self._db.begin() as conn:
            conn.execute(
                _P.delete().where(
                    _P.c.kind == KIND, _P.c.object_id == domain.id, _P.c.name.in_(names)
                )
            )
            conn.execute(
                _P.insert(),
                [
                    {"kind": KIND, "object_id": domain.id, "name": f"{day.isoformat()}.{n}",
                     "value": str(v)}
                    for n, v in values.items()
                ],
            )  # fmt: skip
            events.record(
                conn,
                "domain",
                events.UPDATE,
                domain.id,
                domain.name,
                actor,
                new={f"traffic.{day.isoformat()}.{n}": v for n, v in values.items()},
            )

    def days(
        self,
        domain_ids: builtins.list[int],
        since: datetime.date | None,
        to: datetime.date | None,
    ) -> builtins.list[Day]:
        """Every day from `since` to `to` (default today; `since` defaults to `to`),
        with the counters summed over `domain_ids`. InvalidValue for a period that
        ends before it starts or is longer than MAX_DAYS."""
        last = to or datetime.date.today()
        first = since or last
        if first > last or (last - first).days >= MAX_DAYS:
            raise InvalidValue(f"Invalid period: {first.isoformat()} to {last.isoformat()}")
        q = sa.select(_P.c.name, _P.c.value).where(
            _P.c.kind == KIND,
            _P.c.object_id.in_(domain_ids),
            _P.c.name >= first.isoformat(),
            _P.c.name < (last + datetime.timedelta(days=1)).isoformat(),
        )
        kept: dict[str, dict[str, int]] = {}
        with self._db.read() as conn:
            for name, value in conn.execute(q):
                on, _, counter = str(name).partition(".")
                per_day = kept.setdefault(on, dict.fromkeys(COUNTERS, 0))
                per_day[counter] = per_day.get(counter, 0) + int(value)
        out: builtins.list[Day] = []
        for n in range((last - first).days + 1):
            day = first + datetime.timedelta(days=n)
            out.append((day, kept.get(day.isoformat(), dict.fromkeys(COUNTERS, 0))))
        return out

    @staticmethod
    def _purge(conn: sa.Connection, ids: builtins.list[int]) -> None:
        conn.execute(_P.delete().where(_P.c.kind == KIND, _P.c.object_id.in_(ids)))
