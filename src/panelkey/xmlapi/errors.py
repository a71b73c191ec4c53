"""The XML face's one table: core error class -> Plesk ``errcode``, most specific first.

The ``errtext`` is the error's own message; the table only fixes the code, so that
an error class the core adds later still answers with its nearest ancestor's code.
"""

from __future__ import annotations

from panelkey.core.errors import (
    AccountDisabled,
    AlreadyExists,
    AuthenticationFailed,
    AuthenticationMissing,
    InvalidValue,
    KeyValidationFailed,
    LimitReached,
    MalformedRequest,
    NotFound,
    OwnerNotFound,
    PanelkeyError,
    PermissionDenied,
    ProtocolVersionUnsupported,
    RateLimited,
)

ERRCODES: tuple[tuple[type[Exception], int], ...] = (
    (KeyValidationFailed, 11003),
    (RateLimited, 11004),
    (AuthenticationMissing, 1029),
    (AuthenticationFailed, 1001),
    (ProtocolVersionUnsupported, 1005),
    (PermissionDenied, 1006),
    (AlreadyExists, 1007),
    (AccountDisabled, 1011),
    (NotFound, 1013),
    (MalformedRequest, 1014),
    (OwnerNotFound, 1015),
    (InvalidValue, 1019),
    (LimitReached, 1024),
    (PanelkeyError, 1023),
)

INTERNAL_ERROR = (1023, "Internal error")


def describe(exc: BaseException) -> tuple[int, str]:
    """(errcode, errtext) of an exception; anything unexpected is 1023, text withheld."""
    for cls, code in ERRCODES:
        if isinstance(exc, cls):
            return code, exc.message if isinstance(exc, PanelkeyError) else str(exc)
    return INTERNAL_ERROR
