"""The REST face's one error shape, `{"code": <status>, "message": "<text>"}`, and the one
table from core errors to HTTP statuses (most specific class first)."""

from __future__ import annotations

import sqlalchemy as sa

from panelkey.core import errors as core

# Plesk answers 400 for every "your request cannot be done" (even a taken login), 404 for
# an unknown object and 403 for a right the caller lacks; the spec lists no 409 or 422.
STATUS_OF: tuple[tuple[type[BaseException], int], ...] = (
    (core.RateLimited, 429),
    (core.NotFound, 404),
    (core.PermissionDenied, 403),
    (core.AuthenticationFailed, 401),
    (core.AuthenticationMissing, 401),
    (core.KeyValidationFailed, 401),
    (core.AccountDisabled, 401),
    (core.AlreadyExists, 400),
    (core.OwnerNotFound, 400),
    (core.InvalidValue, 400),
    (core.MalformedRequest, 400),
    (core.PanelkeyError, 400),
    # A value the store itself rejects is still the client's value: never a 500.
    (sa.exc.DataError, 400),
    (sa.exc.IntegrityError, 400),
)

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class ApiError(Exception):
    """An answer other than success, raised anywhere below the app and sent as is."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def from_exception(exc: BaseException) -> ApiError | None:
    """The ApiError for a known failure, or None for a real bug (the app answers 500)."""
    if isinstance(exc, ApiError):
        return exc
    for cls, status in STATUS_OF:
        if isinstance(exc, cls):
            if isinstance(exc, core.RateLimited):
                return ApiError(status, exc.message, {"Retry-After": str(exc.retry_after)})
            if isinstance(exc, core.PanelkeyError):
                return ApiError(status, exc.message)
            return ApiError(status, "The request holds a value the store cannot accept")
    return None


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} does not exist")


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)
