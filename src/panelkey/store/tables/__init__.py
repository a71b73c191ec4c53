"""The schema, as SQLAlchemy Core tables, one module per family (the same cut as core/).
Migrations create it; code queries it as `tables.<name>`; a test holds it to the
migrations on SQLite and PostgreSQL (tests/functional/store/test_tables_match_migrations.py).

Timestamps are ISO 8601 UTC strings (`2026-11-22T14:03:11Z`): they sort, compare and
print the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from panelkey.store.tables.access import (
    access_limits as access_limits,
)
from panelkey.store.tables.access import (
    audit as audit,
)
from panelkey.store.tables.access import (
    changes as changes,
)
from panelkey.store.tables.access import (
    familiar_sources as familiar_sources,
)
from panelkey.store.tables.access import (
    secret_keys as secret_keys,
)
from panelkey.store.tables.access import (
    sessions as sessions,
)
from panelkey.store.tables.accounts import (
    accounts as accounts,
)
from panelkey.store.tables.accounts import (
    reseller_settings as reseller_settings,
)
from panelkey.store.tables.aps import (
    aps_downloads as aps_downloads,
)
from panelkey.store.tables.aps import (
    aps_filter_items as aps_filter_items,
)
from panelkey.store.tables.aps import (
    aps_filters as aps_filters,
)
from panelkey.store.tables.aps import (
    aps_installations as aps_installations,
)
from panelkey.store.tables.aps import (
    aps_packages as aps_packages,
)
from panelkey.store.tables.base import metadata as metadata
from panelkey.store.tables.certificates import (
    certificates as certificates,
)
from panelkey.store.tables.content import (
    ftp_users as ftp_users,
)
from panelkey.store.tables.content import (
    protected_dir_users as protected_dir_users,
)
from panelkey.store.tables.content import (
    protected_dirs as protected_dirs,
)
from panelkey.store.tables.content import (
    site_aliases as site_aliases,
)
from panelkey.store.tables.content import (
    subdomains as subdomains,
)
from panelkey.store.tables.content_more import (
    virtdirs as virtdirs,
)
from panelkey.store.tables.databases import (
    databases as databases,
)
from panelkey.store.tables.databases import (
    db_servers as db_servers,
)
from panelkey.store.tables.databases import (
    db_users as db_users,
)
from panelkey.store.tables.dns import (
    dns_master_servers as dns_master_servers,
)
from panelkey.store.tables.dns import (
    dns_records as dns_records,
)
from panelkey.store.tables.dns import (
    dns_template as dns_template,
)
from panelkey.store.tables.dns import (
    dns_zones as dns_zones,
)
from panelkey.store.tables.domains import (
    domain_settings as domain_settings,
)
from panelkey.store.tables.domains import (
    domains as domains,
)
from panelkey.store.tables.domains import (
    ip_addresses as ip_addresses,
)
from panelkey.store.tables.domains import (
    ip_pool as ip_pool,
)
from panelkey.store.tables.mail import (
    mail_aliases as mail_aliases,
)
from panelkey.store.tables.mail import (
    mail_forwards as mail_forwards,
)
from panelkey.store.tables.mail import (
    mail_names as mail_names,
)
from panelkey.store.tables.mail import (
    mail_services as mail_services,
)
from panelkey.store.tables.plans import (
    plan_settings as plan_settings,
)
from panelkey.store.tables.plans import (
    plans as plans,
)
from panelkey.store.tables.plans import (
    subscription_plans as subscription_plans,
)
from panelkey.store.tables.server import (
    admin_aliases as admin_aliases,
)
from panelkey.store.tables.server import (
    custom_buttons as custom_buttons,
)
from panelkey.store.tables.server import (
    domain_restrictions as domain_restrictions,
)
from panelkey.store.tables.server import (
    events as events,
)
from panelkey.store.tables.server import (
    extensions as extensions,
)
from panelkey.store.tables.server import (
    license_keys as license_keys,
)
from panelkey.store.tables.server import (
    meta as meta,
)
from panelkey.store.tables.server import (
    properties as properties,
)
from panelkey.store.tables.testing import (
    faults as faults,
)
from panelkey.store.tables.testing import (
    snapshots as snapshots,
)
