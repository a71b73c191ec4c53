"""The server's services as server/get `services_state` shows them, started, stopped
and restarted by server/srv_man, and what `reboot` and `clean-mail-queue` do to them.

panelkey runs none of these services: their state is kept (kind `service`, one property
per stopped service) and every later read shows it. A reboot starts them all again, as a
host coming up does; the mail queue is always empty, since panelkey relays no mail.
"""

from __future__ import annotations

from panelkey.core import events
from panelkey.core.errors import NotFound
from panelkey.core.identity import Identity, require_admin
from panelkey.core.server.properties import Properties
from panelkey.core.server.settings import SERVICES_STATE
from panelkey.store.database import Database

KIND, OBJECT = "service", 0
RUNNING, STOPPED = "running", "stopped"
OPERATIONS = {"start": RUNNING, "restart": RUNNING, "stop": STOPPED}
SERVICE_NOT_FOUND = "Service does not exist"
EVENT_CLASS = "service"


class Services:
    def __init__(self, db: Database, properties: Properties) -> None:
        self._db = db
        self._properties = properties

    def states(self) -> list[tuple[str, str, str]]:
        """(id, title, state) of every service, in Plesk's order."""
        stopped = self._properties.get(KIND, OBJECT)
        return [(i, t, stopped.get(i, RUNNING)) for i, t in SERVICES_STATE]

    def manage(self, actor: Identity, service_id: str, operation: str) -> str:
        """Start, stop or restart a service: its state afterwards. Raises
        PermissionDenied (not the admin), NotFound (no such service or operation)."""
        require_admin(actor)
        known = dict((i, t) for i, t, _ in self.states())
        if service_id not in known or operation not in OPERATIONS:
            raise NotFound(SERVICE_NOT_FOUND)
        state = OPERATIONS[operation]
        self._write(actor, {service_id: state})
        return state

    def reboot(self, actor: Identity) -> None:
        """What a reboot leaves: every service running. Raises PermissionDenied."""
        require_admin(actor)
        self._write(actor, {i: RUNNING for i, _, _ in self.states()})

    def clean_mail_queue(self, actor: Identity) -> int:
        """Empty the mail queue: the number of messages removed (always 0: panelkey
        relays no mail, so none waits). Raises PermissionDenied."""
        require_admin(actor)
        return 0

    def _write(self, actor: Identity, states: dict[str, str]) -> None:
        before = self._properties.get(KIND, OBJECT)
        changed = {i: s for i, s in states.items() if before.get(i, RUNNING) != s}
        if not changed:
            return
        with self._db.begin() as conn:
            self._properties.set(KIND, OBJECT, changed, conn)
            for service_id, state in changed.items():
                events.record(
                    conn,
                    EVENT_CLASS,
                    events.UPDATE,
                    obj_name=service_id,
                    actor=actor,
                    old={"state": before.get(service_id, RUNNING)},
                    new={"state": state},
                )
