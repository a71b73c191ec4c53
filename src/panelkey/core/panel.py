"""The core assembled: one object every face calls."""

from __future__ import annotations

import os
import uuid

from panelkey.core.access.audit import Audit
from panelkey.core.access.auth import Authenticator
from panelkey.core.access.keys import Keys
from panelkey.core.access.passwords import generate_password
from panelkey.core.access.sessions import Sessions
from panelkey.core.accounts.accounts import Accounts
from panelkey.core.accounts.resellers import Resellers
from panelkey.core.aps.filters import AppFilters
from panelkey.core.aps.installations import Installations
from panelkey.core.aps.packages import Packages
from panelkey.core.certificates import Certificates
from panelkey.core.content.ftp_users import FtpUsers
from panelkey.core.content.log_rotation import LogRotation
from panelkey.core.content.protected_dirs import ProtectedDirs
from panelkey.core.content.site_aliases import SiteAliases
from panelkey.core.content.subdomains import Subdomains
from panelkey.core.content.virtdirs import VirtDirs
from panelkey.core.database_placement import DatabasePlacement
from panelkey.core.databases import Databases
from panelkey.core.db_servers import DbServers
from panelkey.core.dns.records import Dns
from panelkey.core.dns.servers import DnsServer
from panelkey.core.dns.zones import DnsZones
from panelkey.core.domains.domains import Domains
from panelkey.core.domains.ips import Ips
from panelkey.core.domains.traffic import Traffic
from panelkey.core.events import Events
from panelkey.core.mail import Mail
from panelkey.core.mail_prefs import MailPrefs
from panelkey.core.plans.items import PlanItems
from panelkey.core.plans.plans import Plans
from panelkey.core.plans.subscriptions import Subscriptions
from panelkey.core.server import stock
from panelkey.core.server.admin_aliases import AdminAliases
from panelkey.core.server.billing import BillingConnection
from panelkey.core.server.branding import Branding
from panelkey.core.server.buttons import Buttons
from panelkey.core.server.domain_restrictions import DomainRestrictions
from panelkey.core.server.extensions import Extensions
from panelkey.core.server.locales import Locales
from panelkey.core.server.misc import Misc
from panelkey.core.server.php_handlers import PhpHandlers
from panelkey.core.server.properties import Properties
from panelkey.core.server.services import Services
from panelkey.core.server.settings import ServerSettings
from panelkey.core.server.setup import ServerSetup
from panelkey.core.testing.faults import Faults
from panelkey.core.testing.snapshots import Snapshots
from panelkey.store.database import Database


class Panel:
    """The store and every service over it. `open` migrates; `watch` starts the change
    feed a long-running server needs (the CLI, which exits at once, does without)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.audit = Audit(db)
        self.events = Events(db)
        self.properties = Properties(db)
        self.accounts = Accounts(db, self._invalidate)
        self.keys = Keys(db, self.accounts, self.audit, self._keys_written)
        self.auth = Authenticator(self.accounts, self.keys, self.audit)
        self.domains = Domains(db, self.accounts)
        self.dns = Dns(db, self.domains)
        self.dns_zones = DnsZones(db, self.domains)
        self.dns_server = DnsServer(db, self.domains)
        self.ips = Ips(db)
        self.sessions = Sessions(db, self.accounts)
        self.server = ServerSettings(db, self.accounts)
        self.extensions = Extensions(db)
        self.buttons = Buttons(db, self.accounts)
        self.plans = Plans(db, self.accounts)
        self.subscriptions = Subscriptions(db, self.domains, self.plans, self.ips)
        self.resellers = Resellers(db, self.plans, self.ips)
        # tier 2, part one: what lives in a site or subscription (each registers its purger)
        self.subdomains = Subdomains(db, self.domains)
        self.site_aliases = SiteAliases(db, self.domains)
        self.ftp_users = FtpUsers(db, self.domains)
        self.protected_dirs = ProtectedDirs(db, self.domains)
        # Tier 2, part two: each registers its purger with Domains.on_delete.
        self.mail = Mail(db, self.domains)
        self.mail_prefs = MailPrefs(db, self.domains, self.subscriptions)
        self.databases = Databases(db, self.domains)
        self.db_servers = DbServers(db, self.databases)
        self.database_placement = DatabasePlacement(db, self.domains, self.databases)
        self.certificates = Certificates(db, self.domains)
        # The rest of operator server (core/server/): license keys, server/set, services,
        # misc parameters, admin aliases, domain restrictions, the billing connection.
        self.licenses = self.server.licenses
        self.server_setup = ServerSetup(self.accounts, self.properties, self.server)
        self.sessions.idle_timeout = self.server_setup.idle_seconds
        self.services = Services(db, self.properties)
        self.misc = Misc(db, self.properties)
        self.admin_aliases = AdminAliases(db, self.accounts)
        self.domain_restrictions = DomainRestrictions(db, self.properties)
        self.domains.on_name(self.domain_restrictions.check)
        self.billing = BillingConnection(self.properties)
        self.virtdirs = VirtDirs(db, self.domains, self.subdomains)
        self.log_rotation = LogRotation(db, self.domains, self.subscriptions)
        self.php_handlers = PhpHandlers(
            db, self.properties, self.domains, self.subscriptions, self.plans
        )
        self.locales = Locales(db, self.properties)
        # APS: packages, app filters, installed applications (core/aps/)
        self.aps_packages = Packages(db, self.properties)
        self.aps_filters = AppFilters(
            db, self.accounts, self.resellers, self.subscriptions, self.aps_packages
        )
        self.aps_installations = Installations(db, self.domains)
        self.branding = Branding(self.properties)
        # plan items of plans and subscriptions; traffic per site and day
        self.plan_items = PlanItems(db, self.domains, self.plans, self.subscriptions)
        self.traffic = Traffic(db, self.domains)
        # what an integration's tests steer (core/testing/): injected faults, snapshots
        self.faults = Faults(db)
        self.snapshots = Snapshots(db)
        db.change_hooks.append(self._group_committed)

    def _invalidate(self) -> None:
        # Accounts and Keys are built before the authenticator; they call this late.
        self.auth.written()

    def _keys_written(self) -> None:
        self.auth.written(passwords=False)

    def _group_committed(self, kinds: set[str]) -> None:
        # A write group's commit (store/group.py): what a request cached between a
        # write's own invalidation and that commit was read before it; forget it again.
        self.auth.written(passwords=kinds != {"key"})
        self.faults.invalidate()

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Panel:
        db = Database(url)
        if migrate:
            db.migrate()
        return cls(db)

    def bootstrap(self, admin_email: str | None = None) -> str | None:
        """Make sure the admin exists; when this call creates it, the store gets what a
        fresh Plesk has (core/server/stock.py: the admin's e-mail, `admin_email` or
        PANELKEY_ADMIN_EMAIL or admin@<hostname>; the stock plans; their events).
        Returns the generated password when this call created the admin without
        `PANELKEY_ADMIN_PASSWORD`, so it can be shown once."""
        self.ips.seed()
        if self.accounts.admin() is not None:
            return None
        given = os.environ.get("PANELKEY_ADMIN_PASSWORD")
        password = given or generate_password()
        created = self.accounts.ensure_admin(password)
        if created:
            # only the process that made the admin: concurrent first starts make one set
            stock.first_start(self, admin_email)
        return password if created and not given else None

    def server_guid(self) -> str:
        """A UUID made once per store and kept: every server on one store shares it."""
        return self.db.meta_value("server_guid", lambda: str(uuid.uuid4()))

    def watch(self) -> None:
        if self.auth.watcher is None:
            self.auth.watcher = self.db.watch_changes(self._changed)

    def _changed(self, accounts: bool) -> None:
        self.auth.invalidate(accounts)
        self.faults.invalidate()

    def close(self) -> None:
        if self.auth.watcher is not None:
            self.auth.watcher.close()
            self.auth.watcher = None
        self.auth.flush_usage()
        self.db.dispose()
