"""The one MetaData every family's tables join."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
