"""A site's mail service preferences (``mail/get_prefs``, ``mail/set_prefs``): the
``mail`` settings block a site shares with ``site/set`` (core/plans/settings.py MAIL),
with ``mailservice`` read from and written to the site's mail service (mail/enable).

DKIM: ``spam-protect-sign`` on publishes ``default._domainkey.<site>`` TXT
``v=DKIM1; p=<public key>`` in the site's zone, off removes it. panelkey signs no mail:
a fresh RSA key is made and only its public half is kept (the private half, a secret
with no use here, is dropped at once).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from panelkey.core import events
from panelkey.core.dns.records import DEFAULT_TTL, absolute_host, insert_record, touch_zone
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity
from panelkey.core.plans.subscriptions import SITE_BLOCKS, Subscriptions, check
from panelkey.store import tables
from panelkey.store.database import Database

SITE_NOT_FOUND = "Site does not exist"
DKIM_HOST = "default._domainkey"
SIGN = "spam-protect-sign"
SERVICE = "mailservice"
# Plesk's MailPreferences, in its order (nonexistent-user answers its choice inside).
ORDER = (
    "nonexistent-user",
    "nonexistent-user-target",
    "webmail",
    SIGN,
    "greylisting",
    SERVICE,
    "outgoing-messages-mbox-limit",
    "outgoing-messages-domain-limit",
)


def dkim_value() -> str:
    """A DKIM key record's text for a fresh 2048-bit RSA key (stored as TXT chunks)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "v=DKIM1; p=" + base64.b64encode(der).decode()


class MailPrefs:
    def __init__(self, db: Database, domains: Domains, subscriptions: Subscriptions) -> None:
        self._db = db
        self._domains = domains
        self._subscriptions = subscriptions

    def site(self, actor: Identity, site_id: int) -> Domain:
        """A site the actor sees, or NotFound with Plesk's text."""
        found = self._domains.get(actor, site_id)
        if found is None:
            raise NotFound(SITE_NOT_FOUND)
        return found

    def get(self, actor: Identity, site: Domain) -> dict[str, str]:
        """The effective preferences, in Plesk's order."""
        values = self._subscriptions.effective(self.site(actor, site.id))["mail"]
        s = tables.mail_services
        with self._db.read() as conn:
            on = conn.execute(sa.select(s.c.enabled).where(s.c.domain_id == site.id)).scalar()
        values[SERVICE] = "false" if on is not None and not on else "true"
        return {n: values[n] for n in ORDER if n in values}

    def set(self, actor: Identity, site: Domain, pairs: Iterable[tuple[str, str]]) -> None:
        """Write the preferences given, and the DKIM record with ``spam-protect-sign``,
        in one transaction. Raises InvalidValue (1019) for a bad name or value."""
        site = self.site(actor, site.id)
        checked = check({"mail": list(pairs)}, SITE_BLOCKS)
        given = checked.blocks.setdefault("mail", {})
        service = given.pop(SERVICE, None)  # the site's mail service, not a setting
        if not given:
            del checked.blocks["mail"]
        write = self._subscriptions.writer(checked, actor=actor)
        sign = given.get(SIGN)

        def within(conn: sa.Connection, domain_id: int) -> None:
            write(conn, domain_id)
            if service is not None:
                s = tables.mail_services
                conn.execute(s.delete().where(s.c.domain_id == domain_id))
                conn.execute(s.insert().values(domain_id=domain_id, enabled=service == "true"))
                events.record(
                    conn,
                    "mail",
                    events.UPDATE,
                    domain_id,
                    site.name,
                    actor,
                    new={"enabled": service == "true"},
                )
            if sign is not None:
                _dkim(conn, site, sign == "true", actor)

        self._domains.update(actor, site, {}, within=within)


def _dkim(conn: sa.Connection, site: Domain, on: bool, actor: Identity) -> None:
    """Publish (once) or remove the site's DKIM key record; the zone's serial moves."""
    r = tables.dns_records
    host = absolute_host(DKIM_HOST, site.ascii_name)
    mine = sa.and_(r.c.domain_id == site.id, r.c.type == "TXT", r.c.host == host)
    held = conn.execute(sa.select(r.c.id).where(mine)).first()
    if on and held is None:
        row = {
            "domain_id": site.id,
            "type": "TXT",
            "host": host,
            "value": dkim_value(),
            "opt": "",
            "ttl": DEFAULT_TTL,
        }
        insert_record(conn, row, actor)
        touch_zone(conn, site.id)
    elif not on and held is not None:
        conn.execute(r.delete().where(mine))
        events.record(conn, "dns_zone_rec", events.DELETE, int(held.id), host, actor)
        touch_zone(conn, site.id)
