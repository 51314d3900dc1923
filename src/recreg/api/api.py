"""The JSON API at /api/v1/: the register for programs, with the pages' access rules."""

from __future__ import annotations

import functools

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from recreg.api.errors import install_error_handlers
from recreg.api.findings import router as findings_router
from recreg.api.grades import router as grades_router
from recreg.api.imports import router as imports_router
from recreg.api.inspections import router as inspections_router
from recreg.api.progress import router as progress_router
from recreg.api.responses import router as responses_router

DESCRIPTION = """
The recommendations register as JSON: inspections, their findings, and each organisation's
response (its progress on a finding).

**Who you are.** Send an API token as `Authorization: Bearer <token>` (an administrator makes
one with `recreg token create --user EMAIL`), or call from a signed-in browser session (changes
then need the `X-CSRFToken` header). With neither you are the public and see the public register
only. A wrong or revoked token gets 401, never the public view.

**What you may see** is what the register's pages show you: a record you may not see gets 404,
the same as one that does not exist.

**Errors** are JSON: `{"detail": "...", "errors": [{"field": "deadline", "message": "..."}]}`.
400: a body that is not JSON; 401: no credentials (or bad ones); 403: signed in without the
right; 404: not found; 409: a change refused because of the record's state (a response saved by
someone else since you read its `version`, a step its state does not allow now); 422: a value
that is not valid, named by its field (`field` is the API's name for it, or null when the
problem is with the request as a whole). Imports name each problem by `row` too.

**Progress** (each response's timeline and every step the progress pages offer) takes
`expected_version`, the response's `version` as you last read it: if someone has saved the
response since, nothing is saved and the answer is 409. Evidence files go as
multipart/form-data (`files`), with the other fields as form fields.

**Lists** are pages: `{"count", "page", "page_size", "results"}`, with `page_size` at most 100.
""".strip()


class RegisterAPI(NinjaAPI):
    """NinjaAPI whose every answer is JSON: also a wrong method (405) and an unknown path under
    the API (404), which Django would otherwise answer with an HTML page."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._json_not_allowed(pattern.callback)
        urls.append(re_path(r"^.*$", csrf_exempt(self._json_not_found)))
        return urls

    def _json_not_allowed(self, view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = self.create_response(
                    request,
                    {"detail": f"Method not allowed: use {allowed}", "errors": []},
                    status=405,
                )
                response["Allow"] = allowed
            return response

        return wrapped

    def _json_not_found(self, request, *args, **kwargs):
        return self.create_response(request, {"detail": "Not found", "errors": []}, status=404)


api = RegisterAPI(
    title="Recommendations Register API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # The interactive docs page loads its script from a CDN; the register fetches nothing from
    # elsewhere at run time, so only the OpenAPI document is served.
    docs_url=None,
)
install_error_handlers(api)
api.add_router("", inspections_router)
api.add_router("", findings_router)
api.add_router("", responses_router)
api.add_router("", progress_router)
api.add_router("", grades_router)
api.add_router("", imports_router)
