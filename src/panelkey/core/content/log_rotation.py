"""Log rotation of a site (Plesk's `log-rotation`): when its web logs are rotated (by
time: `daily`, `weekly`, `monthly`; or past a size in bytes), how many rotated files
are kept, whether they are compressed and mailed, and whether rotation is on at all.

The values are the subscription's `log-rotation` settings block (core/plans/settings.py):
its plan's, then what was set on the subscription. A site of a subscription has its
subscription's, with what was set on the site itself on top; so a service plan's
log rotation reaches every site of its subscriptions, and `switch-subscription` puts
a subscription back on its new plan's. Rows go with their domain (the store's
`domain_settings` rows cascade). panelkey rotates no logs: the settings are kept.

Who: whoever may see the site reads; a customer changes them only with the
subscription's `manage_log` permission (Plesk's "Log rotation management").
"""

from __future__ import annotations

from collections.abc import Iterable

from panelkey.core.content.virtdirs import SITE_NOT_FOUND
from panelkey.core.domains.domains import Domain, Domains
from panelkey.core.errors import InvalidValue, NotFound, PermissionDenied
from panelkey.core.identity import AccountType, Identity
from panelkey.core.plans.settings import LOG_ROTATION
from panelkey.core.plans.subscriptions import Checked, Subscriptions
from panelkey.store.database import Database

BLOCK = LOG_ROTATION.name
PERMISSION = "manage_log"


class LogRotation:
    def __init__(self, db: Database, domains: Domains, subscriptions: Subscriptions) -> None:
        self._db = db
        self._domains = domains
        self._subscriptions = subscriptions

    def settings(self, actor: Identity, domain: Domain) -> dict[str, str]:
        """The site's effective log rotation values, by setting name (every setting of
        the block). Raises NotFound (`Site does not exist`) for a site out of reach."""
        self._reach(actor, domain)
        values = self._subscriptions.effective(domain)[BLOCK]
        if not domain.is_webspace:
            values = {**values, **self._subscriptions.own(domain.id).get(BLOCK, {})}
        return values

    def set(
        self, actor: Identity, domain: Domain, pairs: Iterable[tuple[str, str]]
    ) -> dict[str, str]:
        """Store (name, value) pairs of the block on the site; others keep their values.
        Returns the effective values. Raises NotFound, PermissionDenied, InvalidValue
        (1019: an unknown name or a bad value); nothing is written on any."""
        self._reach(actor, domain)
        self._may_change(actor, domain)
        values = LOG_ROTATION.check(pairs)
        if int(values.get("log-bysize", "0")) < 0:  # the block's bytes allow -1 (unlimited)
            raise InvalidValue("Invalid value of log-bysize: the size must be positive")
        if values:
            write = self._subscriptions.writer(Checked(blocks={BLOCK: values}), actor=actor)
            with self._db.begin() as conn:
                write(conn, domain.id)
        return self.settings(actor, domain)

    def switch(self, actor: Identity, domain: Domain, on: bool) -> dict[str, str]:
        """Turn rotation on or off, settings kept. Raises as `set`."""
        return self.set(actor, domain, [("enabled", "true" if on else "false")])

    def _reach(self, actor: Identity, domain: Domain) -> None:
        if self._domains.get(actor, domain.id) is None:
            raise NotFound(SITE_NOT_FOUND)

    def _may_change(self, actor: Identity, domain: Domain) -> None:
        if actor.type != AccountType.CUSTOMER.value:
            return
        permissions = self._subscriptions.effective(domain)["permissions"]
        if permissions.get(PERMISSION) != "true":
            raise PermissionDenied()
