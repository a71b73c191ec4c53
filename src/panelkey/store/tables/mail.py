"""Mail: the service switch of a site, mail names, forwards and aliases."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.store.tables.base import metadata

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
