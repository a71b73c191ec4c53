"""A password spray's hashes queue behind the owner's (issue 24): password checks take
turns at hashing, one at a time per worker, a login's familiar sources first, so the
admin's login from its usual address is checked next, however many guesses wait."""

from __future__ import annotations

import asyncio

from panelkey.core.identity import Verified
from panelkey.core.panel import Panel
from tests.conftest import ADMIN_PASSWORD

OWNER = "192.0.2.10"
GUESSES = 6


def test_the_owners_familiar_login_is_hashed_before_the_waiting_guesses(panel: Panel) -> None:
    auth = panel.auth
    auth.lockout_delay = 0
    first = asyncio.run(auth.password_verdict("admin", ADMIN_PASSWORD, OWNER, "rest"))
    assert isinstance(first, Verified)  # OWNER is familiar from now on
    auth.invalidate()  # no verified password cached: the owner's login must hash too
    answered: list[str] = []

    async def attempt(name: str, password: str, address: str) -> None:
        verdict = await auth.password_verdict("admin", password, address, "rest")
        answered.append(name if isinstance(verdict, Verified) else f"{name} refused")

    async def spray() -> None:
        # All begun in one turn of the loop, the owner last: the first guess hashes, the
        # others wait their turn, and so does the owner.
        guesses = [attempt(f"guess {n}", f"guess-{n}", f"198.51.100.{n}") for n in range(GUESSES)]
        await asyncio.gather(*guesses, attempt("owner", ADMIN_PASSWORD, OWNER))

    asyncio.run(spray())
    assert len(answered) == GUESSES + 1
    # At most the guess already hashing when the owner came is answered first.
    assert answered.index("owner") <= 1, answered
    assert all(a.endswith("refused") for a in answered if a != "owner")
