"""Who is asking, and the yes-or-no answers of verification."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from panelkey.core.access.keypolicy import Rate, Scope
from panelkey.core.errors import PermissionDenied


class AccountType(StrEnum):
    ADMIN = "admin"
    RESELLER = "reseller"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Identity:
    """An authenticated account, as the faces and the rights checks see it."""

    account_id: int
    login: str
    type: str
    owner_id: int | None = None
    # Set when a key authenticated the request: its id and panelkey's limits on it.
    key_id: int | None = None
    scope: Scope | None = None
    rate: Rate | None = None

    @property
    def is_admin(self) -> bool:
        return self.type == AccountType.ADMIN.value


def require_admin(actor: Identity, message: str | None = None) -> None:
    """Raises PermissionDenied (with `message`, else its own) unless `actor` is the admin."""
    if not actor.is_admin:
        raise PermissionDenied(message)


class Reason(StrEnum):
    """Why a credential was refused: for the audit log and the server log, never the wire."""

    UNKNOWN_KEY = "unknown key"
    ADDRESS_NOT_ALLOWED = "address not allowed"
    OWNER_DISABLED = "owner disabled"
    UNKNOWN_LOGIN = "unknown login"
    WRONG_PASSWORD = "wrong password"  # noqa: S105 - a reason, not a password
    ACCOUNT_DISABLED = "account disabled"
    EXPIRED = "expired"
    LOCKED_OUT = "locked out"  # too many wrong passwords from this source or for this login


@dataclass(frozen=True, slots=True)
class Verified:
    identity: Identity
    key_id: int | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Reason
    key_id: int | None = None


Verdict = Verified | Refused


# What verification decided for the request being served, for the request journal: the
# server sets a fresh dict per request, verification fills in `credential` (a key id or
# a login, never a secret) and a refusal's `reason`, the faces the client's `source`
# address and the XML `operation`s. Worker threads share the dict.
request_note: ContextVar[dict[str, str] | None] = ContextVar("panelkey_request_note", default=None)


def note(name: str, value: str) -> None:
    """Add a fact to the current request's note, when something is listening (one name
    and value: this runs several times a request, and keywords cost a dict each)."""
    current = request_note.get()
    if current is not None:
        current[name] = value


def operation_label(names: Iterable[str]) -> str:
    """`operator/operation, ...` for the journal: each name once, the first eight shown."""
    unique = list(dict.fromkeys(names))
    if len(unique) == 1:
        return unique[0]
    shown = ", ".join(unique[:8])
    return shown + (f" (+{len(unique) - 8} more)" if len(unique) > 8 else "") or "-"
