"""Faults injected on purpose (core/testing/faults.py), as the REST face answers them:
the rule's status with the face's one error body, its errtext as the message."""

from __future__ import annotations

import asyncio

from panelkey.core.identity import Identity
from panelkey.core.testing.faults import Faults, Interrupt, rest_operation
from panelkey.rest.errors import REASONS, ApiError
from panelkey.rest.resources import FACE


async def before(faults: Faults, method: str, template: str, path: str, who: Identity) -> None:
    """Before a route's handler runs: nothing when no rule fires or one only delays;
    else raises ApiError (the rule's status, 400 when it gives only a text) or
    Interrupt (a drop). `template` is the route's path (`/clients/{id}`), `path` the
    called one (`/clients/7`): a rule may name either."""
    names = (rest_operation(method, path), rest_operation(method, template))
    rule = await asyncio.to_thread(faults.take, FACE, names, who)
    if rule is None:
        return
    if rule.delay:
        await asyncio.sleep(rule.delay)
    if rule.disconnect:
        raise Interrupt(rule)
    if rule.http_status is None and not rule.errtext:
        return
    status = rule.http_status or 400
    raise ApiError(status, rule.errtext or REASONS.get(status, "Injected fault"))
