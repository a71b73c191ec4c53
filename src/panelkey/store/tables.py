"""The schema, as SQLAlchemy Core tables. Migrations create it; code queries it.

Timestamps are ISO 8601 UTC strings (`2026-11-22T14:03:11Z`): they sort, compare and
print the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("login", sa.String(60), nullable=False),
    sa.Column("login_key", sa.String(60), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    sa.Column("company", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("phone", sa.Text, nullable=False, server_default=""),
    sa.Column("fax", sa.Text, nullable=False, server_default=""),
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("city", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.Text, nullable=False, server_default=""),
    sa.Column("pcode", sa.Text, nullable=False, server_default=""),
    sa.Column("country", sa.Text, nullable=False, server_default=""),
    sa.Column("locale", sa.Text, nullable=False, server_default="en-US"),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("external_id", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.Integer, nullable=False, server_default="0"),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=True),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_accounts_owner", "owner_id"),  # 0014: reads by owner stay flat
    sa.Index("ix_accounts_external_id", "external_id"),
    sqlite_autoincrement=True,
)

secret_keys = sa.Table(
    "secret_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("addresses", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Column("last_used", sa.String(20), nullable=True),
    sa.Column("last_used_ip", sa.String(45), nullable=True),
    # panelkey's additions (docs/keys.md); empty for a plain key made the Plesk way.
    sa.Column("expires", sa.String(20), nullable=True),
    sa.Column("scope", sa.Text, nullable=False, server_default=""),
    sa.Column("rate", sa.String(16), nullable=False, server_default=""),
    sa.Column("requests", sa.Integer, nullable=False, server_default="0"),
    sa.Column("refusals", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_secret_keys_owner", "owner_id"),  # 0014
    sqlite_autoincrement=True,
)

domains = sa.Table(
    "domains",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(253), nullable=False, unique=True),
    sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("hosting_type", sa.String(32), nullable=False, server_default="virtual"),
    sa.Column("base_domain_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("www_root", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    sa.Column("ip_address", sa.Text, nullable=False, server_default=""),
    sa.Column("ftp_login", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_domains_owner", "owner_id"),  # 0014: reads by owner and webspace stay flat
    sa.Index("ix_domains_base", "base_domain_id"),
    sqlite_autoincrement=True,
)

dns_records = sa.Table(
    "dns_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("opt", sa.Text, nullable=False, server_default=""),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    # The template record this one was made from (no foreign key: it outlives its
    # source, so that sync-with-template can remove it), and whether a user changed it.
    sa.Column("template_id", sa.Integer, nullable=True),
    sa.Column("modified", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_dns_records_domain", "domain_id"),
    sqlite_autoincrement=True,
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("face", sa.String(8), nullable=False),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("actor", sa.Text, nullable=False, server_default=""),
    sa.Column("source_ip", sa.String(45), nullable=False, server_default=""),
    sa.Column("key_id", sa.Integer, nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    # Refusals this entry stands for: repeats within one interval are counted here.
    sa.Column("count", sa.Integer, nullable=False, server_default="1"),
    sa.Index("ix_audit_at", "at"),
    sqlite_autoincrement=True,
)

# One row per write that can change who may authenticate; servers watch it to drop caches.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sqlite_autoincrement=True,
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Plesk's action log: one row per create, change and delete, whichever face did it.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(20), nullable=False),
    sa.Column("obj_class", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("obj_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("obj_name", sa.Text, nullable=False, server_default=""),
    sa.Column("actor", sa.String(60), nullable=False, server_default=""),
    sa.Column("old_values", sa.Text, nullable=False, server_default="{}"),
    sa.Column("new_values", sa.Text, nullable=False, server_default="{}"),
    sa.Index("ix_events_class", "obj_class"),
    sqlite_autoincrement=True,
)

# ---- dns ----

# The server-wide DNS template: hosts and values hold <domain> and <ip> placeholders.
dns_template = sa.Table(
    "dns_template",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("opt", sa.Text, nullable=False, server_default=""),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    sqlite_autoincrement=True,
)

# One row per zone (domain): its status and SOA values. A domain without a row has
# an enabled zone with the template's SOA values.
dns_zones = sa.Table(
    "dns_zones",
    metadata,
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domains.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("status", sa.String(16), nullable=False, server_default="enabled"),
    sa.Column("ttl", sa.Integer, nullable=False, server_default="86400"),
    sa.Column("refresh", sa.Integer, nullable=False, server_default="10800"),
    sa.Column("retry", sa.Integer, nullable=False, server_default="3600"),
    sa.Column("expire", sa.Integer, nullable=False, server_default="604800"),
    sa.Column("minimum", sa.Integer, nullable=False, server_default="10800"),
    sa.Column("serial", sa.BigInteger, nullable=False, server_default="1"),
)

# ---- plans and subscriptions (service plans, add-ons, reseller plans) ----

# kind: "service" (service-plan), "addon" (service-plan-addon), "reseller" (reseller-plan).
plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("guid", sa.String(36), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("external_id", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("kind", "owner_id", "name", name="uq_plans_kind_owner_name"),
    sqlite_autoincrement=True,
)

# One row per setting a plan sets (block as in core/settings.py, canonical text value).
plan_settings = sa.Table(
    "plan_settings",
    metadata,
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("block", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The plans a subscription (a webspace) is on: one "service" plan, any "addon" plans.
subscription_plans = sa.Table(
    "subscription_plans",
    metadata,
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="RESTRICT"), primary_key=True
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Index("ix_subscription_plans_plan", "plan_id"),
)

# Settings set on a domain itself (a subscription's own limits, a site's prefs, ...).
domain_settings = sa.Table(
    "domain_settings",
    metadata,
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("block", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# ---- IP pool, sessions, custom buttons (accounts family) ----

# The server's addresses (Plesk's IP pool): the host's own at first start, then ip/add.
ip_addresses = sa.Table(
    "ip_addresses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("address", sa.String(45), nullable=False, unique=True),
    sa.Column("netmask", sa.String(45), nullable=False),
    sa.Column("interface", sa.String(64), nullable=False, server_default=""),
    sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
    sa.Column("public_address", sa.String(45), nullable=False, server_default=""),
    sa.Column("certificate_name", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# Which reseller has which address in its pool, shared or exclusive.
ip_pool = sa.Table(
    "ip_pool",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "ip_id", sa.Integer, sa.ForeignKey("ip_addresses.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(16), nullable=False, server_default="shared"),
    sa.UniqueConstraint("account_id", "ip_id", name="uq_ip_pool_account_ip"),
    sqlite_autoincrement=True,
)

# Panel sessions (server/create_session, REST POST /server/session): only a digest of
# the secret part of a session id is kept; `handle` is its public first part.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("handle", sa.String(32), nullable=False, unique=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column(
        "account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("ip", sa.String(45), nullable=False, server_default=""),
    sa.Column("source_server", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Column("last_active", sa.String(20), nullable=False),
    # 0015: the whole id, encrypted with the server's session key (kept outside the store)
    sa.Column("sealed", sa.Text, nullable=True),
    sqlite_autoincrement=True,
)

# ui/create-custombutton: buttons kept as given, owned by an account.
custom_buttons = sa.Table(
    "custom_buttons",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "owner_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# ---- extensions ----
# Installed extensions (the catalogue itself is core/extensions.py).
extensions = sa.Table(
    "extensions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("installed", sa.String(20), nullable=False),
)

# A reseller's reseller plan, and its own limits and permissions (name -> value, JSON)
# over the plan's.
reseller_settings = sa.Table(
    "reseller_settings",
    metadata,
    sa.Column(
        "account_id",
        sa.Integer,
        sa.ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("limits", sa.Text, nullable=False, server_default="{}"),
    sa.Column("permissions", sa.Text, nullable=False, server_default="{}"),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="SET NULL"), nullable=True),
)

# -- tier 2, part one: subdomains, site aliases, FTP users, protected directories --

# A subdomain of a site: `name` its own label(s), `ascii_name` the full name (unique
# with every domain's and alias's, checked in core). `properties` JSON name -> value.
subdomains = sa.Table(
    "subdomains",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "webspace_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(253), nullable=False),
    sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
    sa.Column("properties", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_subdomains_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# Another name of a site (Plesk's domain alias), with what it serves.
site_aliases = sa.Table(
    "site_aliases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(253), nullable=False, unique=True),
    sa.Column("ascii_name", sa.String(253), nullable=False, unique=True),
    sa.Column("status", sa.Integer, nullable=False, server_default="0"),
    sa.Column("web", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("mail", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tomcat", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("seo_redirect", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("manage_dns", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_site_aliases_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# Additional FTP accounts of a subscription: logins are unique server-wide; only a
# digest of the password is kept. `home` is relative to the subscription's root.
ftp_users = sa.Table(
    "ftp_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(60), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("home", sa.Text, nullable=False, server_default="/"),
    sa.Column("quota", sa.BigInteger, nullable=False, server_default="-1"),
    sa.Column("can_read", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("can_write", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.String(20), nullable=False),
    sa.Index("ix_ftp_users_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# Password-protected directories of a site, and the users who may enter them.
protected_dirs = sa.Table(
    "protected_dirs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(1024), nullable=False),
    sa.Column("header", sa.Text, nullable=False, server_default=""),
    sa.Column("ssl", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("nonssl", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("cgi", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("domain_id", "name", name="uq_protected_dirs_domain_name"),
    sqlite_autoincrement=True,
)

protected_dir_users = sa.Table(
    "protected_dir_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "dir_id",
        sa.Integer,
        sa.ForeignKey("protected_dirs.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("login", sa.String(60), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("dir_id", "login", name="uq_protected_dir_users_dir_login"),
    sqlite_autoincrement=True,
)

# -- tier 2, part two: mail names, database servers, databases, certificates --

# Whether mail service is on for a site (mail/enable, mail/disable); no row: on.
mail_services = sa.Table(
    "mail_services",
    metadata,
    sa.Column(
        "domain_id",
        sa.Integer,
        sa.ForeignKey("domains.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
)

# Mail names (name@site): a mailbox with its quota (-1 unlimited), forwarding, a password
# hash ('' when none was given). Aliases and forwarding addresses in their own tables.
mail_names = sa.Table(
    "mail_names",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False, server_default=""),
    sa.Column("mailbox", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("quota", sa.BigInteger, nullable=False, server_default="-1"),
    sa.Column("forwarding", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("domain_id", "name", name="uq_mail_names_domain_name"),
    sqlite_autoincrement=True,
)

mail_forwards = sa.Table(
    "mail_forwards",
    metadata,
    sa.Column(
        "mail_id", sa.Integer, sa.ForeignKey("mail_names.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("address", sa.String(320), primary_key=True),
)

# An alias is another local part of the same site; unique among the site's names.
mail_aliases = sa.Table(
    "mail_aliases",
    metadata,
    sa.Column(
        "mail_id", sa.Integer, sa.ForeignKey("mail_names.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("alias", sa.String(64), nullable=False),
    sa.PrimaryKeyConstraint("domain_id", "alias", name="pk_mail_aliases"),
    sa.Index("ix_mail_aliases_mail", "mail_id"),
)

# Database servers: a local MySQL and a local PostgreSQL made by migration 0012.
db_servers = sa.Table(
    "db_servers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("host", sa.String(253), nullable=False),
    sa.Column("port", sa.Integer, nullable=False),
    sa.Column("admin_login", sa.String(64), nullable=False, server_default=""),
    sa.Column("is_local", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.String(20), nullable=False),
    sqlite_autoincrement=True,
)

# Databases of a subscription (a webspace), on a server; names unique per server.
databases = sa.Table(
    "databases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("default_user_id", sa.Integer, nullable=True),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("server_id", "name", name="uq_databases_server_name"),
    sa.Index("ix_databases_domain", "domain_id"),
    sqlite_autoincrement=True,
)

# Database users: a password hash only; logins unique per server.
db_users = sa.Table(
    "db_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "database_id",
        sa.Integer,
        sa.ForeignKey("databases.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("server_id", sa.Integer, sa.ForeignKey("db_servers.id"), nullable=False),
    sa.Column("login", sa.String(64), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("server_id", "login", name="uq_db_users_server_login"),
    sa.Index("ix_db_users_database", "database_id"),
    sqlite_autoincrement=True,
)

# Certificates in a repository: a subscription's (`repository` "domain:<id>", with
# domain_id) or the server pool ("admin", domain_id NULL). The private key is kept, as
# Plesk keeps it; it is never logged, put in an event or echoed by a listing.
certificates = sa.Table(
    "certificates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("repository", sa.String(32), nullable=False),
    sa.Column(
        "domain_id", sa.Integer, sa.ForeignKey("domains.id", ondelete="CASCADE"), nullable=True
    ),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("csr", sa.Text, nullable=False, server_default=""),
    sa.Column("private_key", sa.Text, nullable=False, server_default=""),
    sa.Column("certificate", sa.Text, nullable=False, server_default=""),
    sa.Column("ca_certificate", sa.Text, nullable=False, server_default=""),
    sa.Column("created", sa.String(20), nullable=False),
    sa.UniqueConstraint("repository", "name", name="uq_certificates_repository_name"),
    sqlite_autoincrement=True,
)

# 0015: settings of an object that panelkey keeps only to answer back (core/properties.py).
# `kind` names the object's family (`mail_name`, `db_user`, ...); rows go with the object.
properties = sa.Table(
    "properties",
    metadata,
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column("object_id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False, server_default=""),
)
