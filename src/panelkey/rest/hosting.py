"""Databases, database users and database servers (FTP users: `rest/ftp.py`).

Not served yet: these operations are in the documents with Plesk's shapes (so that
clients generated from them start and find their names), but they need the tier-2 core
(`core/databases.py`), which is not merged. Until it is, each answers 404 with a
message saying so; nothing is pretended.
"""

from __future__ import annotations

from panelkey.rest.errors import ApiError
from panelkey.rest.handlers import Answer, Call

NOT_SERVED = "{} are not served by this panelkey yet"


def _databases(c: Call) -> Answer:
    raise ApiError(404, NOT_SERVED.format("Databases"))


list_databases = create_database = delete_database = _databases
list_db_users = create_db_user = update_db_user = delete_db_user = list_db_servers = _databases
