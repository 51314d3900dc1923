"""Request bodies read by the endpoint itself, after its access checks.

Ninja validates a declared body before the endpoint runs, so a reader who may not act would
learn from a 422 what the body should have been before being told 403 or 404. The progress,
grade and import endpoints read their body here instead, once they know who may act: as JSON,
or as multipart/form-data where files come along (evidence, a spreadsheet).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from recreg.api.errors import BODY_PARAM

MULTIPART = "multipart/form-data"
JSON = "application/json"


def is_multipart(request: HttpRequest) -> bool:
    """Whether the request was sent as a form with files."""
    return (request.content_type or "").lower() == MULTIPART


def _form_data(request: HttpRequest, schema: type[Schema]) -> dict[str, Any]:
    """A form's fields as the schema wants them: lists for list fields, and blank as absent so
    a blank optional field takes its default."""
    data: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        if name not in request.POST:
            continue
        values = request.POST.getlist(name)
        if "list" in str(field.annotation).lower():
            data[name] = values
        elif values[-1] != "":
            data[name] = values[-1]
    return data


def json_data(request: HttpRequest) -> Any:
    """The JSON body, or 400 if it is not JSON."""
    if not request.body:
        return {}
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "Cannot parse request body") from None


def read_body(request: HttpRequest, schema: type[Schema]):
    """The body as the schema, from JSON or a multipart form; 422 naming each field at fault."""
    data = _form_data(request, schema) if is_multipart(request) else json_data(request)
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        errors = [
            {**err, "loc": ("body", BODY_PARAM, *err.get("loc", ()))}
            for err in exc.errors(include_url=False)
        ]
        raise NinjaValidationError(errors) from None


def uploaded_files(request: HttpRequest, name: str = "files") -> list:
    """The files sent under this name in a multipart form (none for a JSON body)."""
    return request.FILES.getlist(name) if is_multipart(request) else []


def _resolve(node: Any, defs: dict) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _resolve(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _resolve(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, defs) for item in node]
    return node


def _inline(schema: type[Schema]) -> dict:
    """The schema with its nested models written in place: a `$ref` inside an operation would
    be read against the whole document, where pydantic's `$defs` are not."""
    document = schema.model_json_schema()
    defs = document.pop("$defs", {})
    return _resolve(document, defs)


def request_body(
    schema: type[Schema], *, files: str | None = None, json_too: bool = True, about: str = ""
) -> dict:
    """The OpenAPI requestBody of an endpoint that reads its own body: JSON, and a multipart
    form (with a list of files under `files`, if given) carrying the same fields."""
    content: dict[str, Any] = {}
    if json_too:
        content[JSON] = {"schema": _inline(schema)}
    if files:
        form = _inline(schema)
        form.setdefault("properties", {})[files] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": about or "Files to upload.",
        }
        content[MULTIPART] = {"schema": form}
    return {"requestBody": {"required": True, "content": content}}
