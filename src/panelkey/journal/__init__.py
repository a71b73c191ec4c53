"""The request journal: the last N API requests of this server, secrets redacted.

Each entry: time, face, source address, the credential used (a key id or a login, never
a secret), the operations (XML `operator/operation`s, or REST method and path), the
outcome (HTTP status, Plesk errcode), the refusal reason when verification said no,
the duration, and both bodies with every password and key value replaced by `***`.

Entries live in `journal.db`, a SQLite file of their own in the data folder, so that
`panelkey journal` and the web console can read what every worker of this server
wrote; it is diagnostics, not the store: written without fsync, in batches, off the
event loop, and trimmed to the newest N.

Five parts: `redact` (secrets out of bodies), `describe` (what an entry says), `store`
(the file), `access` (the access log, written in batches off the request's path too),
`middleware` (the ASGI side).
"""

from __future__ import annotations

from panelkey.journal.access import AccessLog as AccessLog
from panelkey.journal.access import LogFormatter as LogFormatter
from panelkey.journal.access import access_line as access_line
from panelkey.journal.describe import describe as describe
from panelkey.journal.describe import entry_of as entry_of
from panelkey.journal.describe import xml_operations as xml_operations
from panelkey.journal.middleware import JournalMiddleware as JournalMiddleware
from panelkey.journal.redact import REDACTED as REDACTED
from panelkey.journal.redact import redact as redact
from panelkey.journal.redact import redact_json as redact_json
from panelkey.journal.redact import redact_path as redact_path
from panelkey.journal.redact import redact_xml as redact_xml
from panelkey.journal.store import Entry as Entry
from panelkey.journal.store import Journal as Journal
