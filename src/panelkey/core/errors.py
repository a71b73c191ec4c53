"""The core's errors, each carrying the Plesk code every face reports.

    PanelkeyError (1023 operation failed)
    ├── AuthenticationFailed (1001)
    ├── ProtocolVersionUnsupported (1005)
    ├── PermissionDenied (1006)
    ├── AlreadyExists (1007)
    ├── AccountDisabled (1011)
    ├── NotFound (1013)
    ├── MalformedRequest (1014)
    ├── OwnerNotFound (1015)
    ├── InvalidValue (1019)
    ├── LimitReached (1024; also panelkey's packet budgets)
    ├── AuthenticationMissing (1029)
    ├── KeyValidationFailed (11003)
    └── RateLimited (11004, panelkey's: a key past its rate; carries the wait)

Core errors know nothing of HTTP or XML: each face maps them in one table.
"""

from __future__ import annotations


class PanelkeyError(Exception):
    """Each class names its code and default message, `class X(PanelkeyError, code=...,
    message=...)`; a subclass of one keeps them unless it names its own."""

    code = 1023
    default_message = "Operation failed"

    def __init_subclass__(cls, *, code: int | None = None, message: str | None = None) -> None:
        cls.code = cls.code if code is None else code
        cls.default_message = message or cls.default_message

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class AuthenticationFailed(
    PanelkeyError, code=1001, message="Authentication failed - wrong password."
): ...


class ProtocolVersionUnsupported(
    PanelkeyError, code=1005, message="Protocol version is not supported"
): ...


class PermissionDenied(PanelkeyError, code=1006, message="Permission denied."): ...


class AlreadyExists(PanelkeyError, code=1007, message="Object already exists"): ...


class AccountDisabled(PanelkeyError, code=1011, message="Account is disabled"): ...


class NotFound(PanelkeyError, code=1013, message="Object does not exist"): ...


class MalformedRequest(PanelkeyError, code=1014, message="Request is invalid"): ...


class OwnerNotFound(PanelkeyError, code=1015, message="Owner not found"): ...


class InvalidValue(PanelkeyError, code=1019, message="Invalid value"): ...


class LimitReached(PanelkeyError, code=1024, message="Limit reached"):
    """A limit reached: Plesk's for objects, and panelkey's budgets on one packet
    (operations, passwords, answer size; docs/configuration.md)."""


class AuthenticationMissing(
    PanelkeyError, code=1029, message="Authentication method is not specified"
): ...


class KeyValidationFailed(PanelkeyError, code=11003, message="Secret key validation failed"): ...


class RateLimited(PanelkeyError, code=11004, message="Rate limit of the key exceeded"):
    """A key used past its rate limit (docs/keys.md). Not a Plesk code: Plesk has no
    limits; 11004 sits beside 11003, the other refusal of a key."""

    def __init__(self, message: str | None = None, *, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        super().__init__(message)
