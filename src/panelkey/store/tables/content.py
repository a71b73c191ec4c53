"""What lives in a site: subdomains, site aliases, FTP users, protected directories."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

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
