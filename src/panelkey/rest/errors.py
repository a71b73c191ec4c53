"""The REST face's one error shape, `{"code": <status>, "message": "<text>"}`, and the one
table from core errors to HTTP statuses (most specific class first)."""

from __future__ import annotations

import json

from panelkey.core import errors as core
from panelkey.store.outage import StoreUnavailable

# Plesk answers 400 for every "your request cannot be done" (even a taken login: the
# core's AlreadyExists, OwnerNotFound, InvalidValue and MalformedRequest alike), 404 for
# an unknown object and 403 for a right the caller lacks; the spec lists no 409 or 422.
_UNAUTHENTICATED = (
    core.AuthenticationFailed,
    core.AuthenticationMissing,
    core.KeyValidationFailed,
    core.AccountDisabled,
)
_Classes = type[core.PanelkeyError] | tuple[type[core.PanelkeyError], ...]
STATUS_OF: tuple[tuple[_Classes, int], ...] = (
    (StoreUnavailable, 503),  # the store is out, not the request wrong: try again
    (core.RateLimited, 429),
    (core.NotFound, 404),
    (core.PermissionDenied, 403),
    (_UNAUTHENTICATED, 401),
    (core.PanelkeyError, 400),
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
    503: "Service Unavailable",
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
    if not isinstance(exc, core.PanelkeyError):
        return None
    status = next(status for cls, status in STATUS_OF if isinstance(exc, cls))
    if isinstance(exc, core.RateLimited | StoreUnavailable):
        return ApiError(status, exc.message, {"Retry-After": str(exc.retry_after)})
    return ApiError(status, exc.message)


def error_body(status: int, message: str) -> bytes:
    return json.dumps({"code": status, "message": message}, separators=(",", ":")).encode()


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} does not exist")


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)
