"""What lives in a site: subdomains, site aliases, FTP users, protected directories."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, number, ref, stamp, string, table, text

# A subdomain of a site: `name` its own label(s), `ascii_name` the full name (unique
# with every domain's and alias's, checked in core). `properties` JSON name -> value.
subdomains = table(
    "subdomains",
    ref("domain_id", "domains.id"),
    ref("webspace_id", "domains.id"),
    string("name", 253),
    string("ascii_name", 253, unique=True),
    text("properties", "{}"),
    stamp(),
    sa.Index("ix_subdomains_domain", "domain_id"),
)

# Another name of a site (Plesk's domain alias), with what it serves.
site_aliases = table(
    "site_aliases",
    ref("domain_id", "domains.id"),
    string("name", 253, unique=True),
    string("ascii_name", 253, unique=True),
    number("status", 0),
    flag("web", True),
    flag("mail", False),
    flag("tomcat", False),
    flag("seo_redirect", True),
    flag("manage_dns", True),
    stamp(),
    sa.Index("ix_site_aliases_domain", "domain_id"),
)

# Additional FTP accounts of a subscription: logins are unique server-wide; only a
# digest of the password is kept. `home` is relative to the subscription's root.
ftp_users = table(
    "ftp_users",
    ref("domain_id", "domains.id"),
    string("name", 60, unique=True),
    text("password_hash", None),
    text("home", "/"),
    number("quota", -1, big=True),
    flag("can_read", True),
    flag("can_write", False),
    stamp(),
    sa.Index("ix_ftp_users_domain", "domain_id"),
)

# Password-protected directories of a site, and the users who may enter them.
protected_dirs = table(
    "protected_dirs",
    ref("domain_id", "domains.id"),
    string("name", 1024),
    text("header"),
    flag("ssl", True),
    flag("nonssl", True),
    flag("cgi", False),
    stamp(),
    sa.UniqueConstraint("domain_id", "name", name="uq_protected_dirs_domain_name"),
)

protected_dir_users = table(
    "protected_dir_users",
    ref("dir_id", "protected_dirs.id"),
    string("login", 60),
    text("password_hash", None),
    stamp(),
    sa.UniqueConstraint("dir_id", "login", name="uq_protected_dir_users_dir_login"),
)
