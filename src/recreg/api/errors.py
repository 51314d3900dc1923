"""Every error the API gives is JSON: `{"detail": "...", "errors": [{"field", "message"}]}`.

Request validation (by ninja and pydantic) and the services' own validation come out the same
way, with the service's field names turned back into the API's.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from recreg.core.errors import RETRY_AFTER_SECONDS
from recreg.progress.services import StaleResponse

logger = logging.getLogger("recreg.api")

# Names the services use that the API calls something else.
API_FIELD_NAMES = {
    "deadline_text": "deadline",
    "deadline_kind": "deadline",
    "deadline_months": "deadline",
    "deadline_date": "deadline",
    NON_FIELD_ERRORS: None,
}
# Where ninja says a value came from; not part of the field's name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The name of the body parameter in every operation that takes one.
BODY_PARAM = "payload"
NO_CREDENTIALS = "Sign in, or send an API token as ‘Authorization: Bearer <token>’, to do this"


class FieldError(Schema):
    field: str | None = Field(
        description="The API field (or query parameter) at fault; null when the problem is "
        "with the request as a whole."
    )
    message: str


class ErrorOut(Schema):
    """An error: `detail` says what went wrong; `errors` is present for validation errors."""

    detail: str
    errors: list[FieldError] = Field(default_factory=list)


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, errors=()
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail, "errors": list(errors)}
    return api.create_response(request, body, status=status)


def api_field(name: str | None) -> str | None:
    """The API's name for a service's field name."""
    if name is None:
        return None
    return API_FIELD_NAMES.get(name, name)


def _loc_field(loc) -> str | None:
    parts = list(loc or ())
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] == BODY_PARAM:
        parts = parts[1:]
    # A list item or a nested value is reported against the top-level field it belongs to.
    for part in parts:
        if isinstance(part, str):
            return part
    return None


def _message(err: dict) -> str:
    msg = str(err.get("msg") or "Not a valid value")
    # Pydantic prefixes messages raised by validators; the reader does not need to know.
    return msg.removeprefix("Value error, ")


def validation_errors_from_ninja(exc: NinjaValidationError) -> list[dict]:
    return [
        {"field": api_field(_loc_field(err.get("loc"))), "message": _message(err)}
        for err in exc.errors
    ]


def validation_errors_from_django(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": api_field(field), "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


class RequestInvalid(Exception):
    """Raised by the endpoints for a value that is well-formed but names nothing (an unknown
    slug, an inspection the reader cannot see): reported as a 422 against the field."""

    def __init__(self, errors: dict[str, list[str]] | list[dict]):
        if isinstance(errors, dict):
            errors = [
                {"field": field, "message": message}
                for field, messages in errors.items()
                for message in messages
            ]
        self.errors = errors
        super().__init__(errors)


class Conflict(Exception):
    """Raised by the endpoints for a step the record's state does not allow now (a closed
    response, a proposal already decided): 409, saying why."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


class RowsInvalid(Exception):
    """Raised by the import endpoints when rows are wrong: 422 with every problem by row and
    column (`{"row", "field", "message"}`), nothing imported."""

    def __init__(self, detail: str, errors: list[dict]):
        self.detail = detail
        self.errors = errors
        super().__init__(detail)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error the API can give a JSON body of one shape."""

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request, exc: NinjaValidationError):
        return error_response(
            api, request, 422, "The request is not valid", validation_errors_from_ninja(exc)
        )

    @api.exception_handler(RequestInvalid)
    def value_invalid(request, exc: RequestInvalid):
        return error_response(api, request, 422, "The request is not valid", exc.errors)

    @api.exception_handler(DjangoValidationError)
    def service_invalid(request, exc: DjangoValidationError):
        return error_response(
            api, request, 422, "The request is not valid", validation_errors_from_django(exc)
        )

    @api.exception_handler(StaleResponse)
    def stale(request, exc: StaleResponse):
        # Someone saved the record since the client read its version: nothing was written.
        return error_response(
            api,
            request,
            409,
            " ".join(exc.messages),
            [{"field": "expected_version", "message": " ".join(exc.messages)}],
        )

    @api.exception_handler(RowsInvalid)
    def rows_invalid(request, exc: RowsInvalid):
        return error_response(api, request, 422, exc.detail, exc.errors)

    @api.exception_handler(Conflict)
    def conflict(request, exc: Conflict):
        return error_response(api, request, 409, exc.detail)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        # Ninja's own (no credentials at all) says only "Unauthorized".
        detail = exc.message if exc.message != "Unauthorized" else NO_CREDENTIALS
        response = error_response(api, request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(
                api,
                request,
                400,
                "The request body is not valid JSON",
                [{"field": None, "message": "Send a JSON object"}],
            )
        return error_response(api, request, exc.status_code, exc.message)

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request, exc: MultiPartParserError):
        # A body that claims to be a form but cannot be read as one is the client's mistake.
        return error_response(
            api,
            request,
            400,
            "The request body is not valid multipart form data",
            [{"field": None, "message": str(exc)}],
        )

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        # The same words whether the record does not exist or the reader may not see it.
        return error_response(api, request, 404, "Not found")

    @api.exception_handler(PermissionError)
    def forbidden(request, exc: PermissionError):
        return error_response(api, request, 403, str(exc) or "You may not do that")

    @api.exception_handler(PermissionDenied)
    def denied(request, exc: PermissionDenied):
        return error_response(api, request, 403, str(exc) or "You may not do that")

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request, exc: Exception):
        # The database is down or unreachable: say so and when to retry, not "a bug".
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exc)
        response = error_response(
            api, request, 503, "The register cannot reach its database: try again shortly"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "Something went wrong on the server")
