"""Who is asking, and the yes-or-no answers of verification."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    @property
    def is_admin(self) -> bool:
        return self.type == AccountType.ADMIN.value


class Reason(StrEnum):
    """Why a credential was refused: for the audit log and the server log, never the wire."""

    UNKNOWN_KEY = "unknown key"
    ADDRESS_NOT_ALLOWED = "address not allowed"
    OWNER_DISABLED = "owner disabled"
    UNKNOWN_LOGIN = "unknown login"
    WRONG_PASSWORD = "wrong password"  # noqa: S105 - a reason, not a password
    ACCOUNT_DISABLED = "account disabled"


@dataclass(frozen=True, slots=True)
class Verified:
    identity: Identity
    key_id: int | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Reason
    key_id: int | None = None


Verdict = Verified | Refused
