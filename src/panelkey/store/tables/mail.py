"""Mail: the service switch of a site, mail names, forwards and aliases."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import flag, number, ref, stamp, string, table, text

# Whether mail service is on for a site (mail/enable, mail/disable); no row: on.
mail_services = table(
    "mail_services",
    ref("domain_id", "domains.id", primary_key=True, autoincrement=False),
    flag("enabled", True),
    key=None,
)

# Mail names (name@site): a mailbox with its quota (-1 unlimited), forwarding, a password
# hash ('' when none was given). Aliases and forwarding addresses in their own tables.
mail_names = table(
    "mail_names",
    ref("domain_id", "domains.id"),
    string("name", 64),
    text("password_hash"),
    flag("mailbox", False),
    number("quota", -1, big=True),
    flag("forwarding", False),
    text("description"),
    stamp(),
    sa.UniqueConstraint("domain_id", "name", name="uq_mail_names_domain_name"),
)

mail_forwards = table(
    "mail_forwards",
    ref("mail_id", "mail_names.id", primary_key=True),
    string("address", 320, primary_key=True),
    key=None,
)

# An alias is another local part of the same site; unique among the site's names.
mail_aliases = table(
    "mail_aliases",
    ref("mail_id", "mail_names.id"),
    ref("domain_id", "domains.id"),
    string("alias", 64),
    sa.PrimaryKeyConstraint("domain_id", "alias", name="pk_mail_aliases"),
    sa.Index("ix_mail_aliases_mail", "mail_id"),
    key=None,
)
