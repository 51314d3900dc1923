"""Whatever arrives, the API answers in JSON and never with a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from recreg.findings.models import Finding
from tests.api.conftest import API


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


WRITES = [
    ("post", "/findings"),
    ("patch", "/findings/{finding}"),
    ("post", "/inspections"),
    ("patch", "/inspections/{inspection}"),
]
MALFORMED = ["{", "{'text': 'single quotes'}", "not json", '{"text": "x",}', "[" * 5000]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_json_is_400(world, api_as, method, path, raw):
    client = api_as("inspector")
    path = path.format(finding=world.published_a.pk, inspection=world.inspection_a.pk)
    before = Finding.objects.count()
    body = assert_json_error(getattr(client, method)(path, raw=raw), 400)
    assert body["errors"][0]["field"] is None
    assert Finding.objects.count() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_422(world, api_as, method, path, raw):
    client = api_as("inspector")
    path = path.format(finding=world.published_a.pk, inspection=world.inspection_a.pk)
    assert_json_error(getattr(client, method)(path, raw=raw), 422)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_an_empty_body(world, api_as, method, path):
    client = api_as("inspector")
    path = path.format(finding=world.published_a.pk, inspection=world.inspection_a.pk)
    response = getattr(client, method)(path, raw="")
    if method == "post":
        assert_json_error(response, 422)  # the required fields are missing
    else:
        assert response.status_code in (200, 422)


def test_a_body_that_is_not_utf8_is_400(world, api_as):
    client = api_as("inspector")
    response = client.client.post(
        f"{API}/findings",
        b'{"text": "\xff\xfe"}',
        content_type="application/json",
        headers=client.headers,
    )
    assert_json_error(response, 400)


def test_a_form_body_is_400(world, api_as):
    client = api_as("inspector")
    response = client.client.post(
        f"{API}/findings", {"text": "x", "kind": "recommendation"}, headers=client.headers
    )
    assert_json_error(response, 400)


@pytest.mark.parametrize("kind", ["findings", "inspections", "responses"])
@pytest.mark.parametrize("pk", ["-1", "0", "99999999999999999999999999", "987654"])
def test_an_id_that_names_nothing_is_404(world, api_as, kind, pk):
    for persona in ("anonymous", "inspector"):
        assert_json_error(api_as(persona).get(f"/{kind}/{pk}"), 404)


@pytest.mark.parametrize("kind", ["findings", "inspections", "responses"])
@pytest.mark.parametrize("pk", ["abc", "1.5", "1e3", "%00"])
def test_an_id_that_is_not_a_number_is_422(world, api_as, kind, pk):
    body = assert_json_error(api_as("anonymous").get(f"/{kind}/{pk}"), 422)
    assert body["errors"][0]["field"] == f"{kind[:-1]}_id"


@pytest.mark.parametrize("kind", ["findings", "inspections"])
def test_patching_an_id_that_names_nothing_is_404(world, api_as, kind):
    for pk in ("-5", "987654", "99999999999999999999999999"):
        assert_json_error(api_as("inspector").patch(f"/{kind}/{pk}", {}), 404)


@pytest.mark.parametrize("path", ["/findings", "/inspections", "/responses"])
@pytest.mark.parametrize(
    "params",
    [
        {"page_size": "1000000"},
        {"page_size": "-1"},
        {"page_size": "ten"},
        {"page": "99999999999999999999"},
        {"page": "1.5"},
    ],
)
def test_silly_pages_are_422(world, api_as, path, params):
    body = assert_json_error(api_as("anonymous").get(path, params), 422)
    assert body["errors"][0]["field"] in params


@pytest.mark.parametrize("path", ["/findings", "/inspections", "/responses"])
def test_the_last_page_and_beyond(world, api_as, path):
    body = api_as("inspector").get(path, {"page": "1000000", "page_size": "100"}).json()
    assert body["results"] == [] and body["count"] > 0


def test_an_unknown_path_is_a_json_404(world, api_as):
    assert_json_error(api_as("anonymous").get("/nothing/here"), 404)
    assert_json_error(api_as("anonymous").get("/findings/1/extra"), 404)


def test_a_wrong_method_is_a_json_405(world, api_as):
    client = api_as("inspector")
    response = client.client.delete(
        f"{API}/findings/{world.published_a.pk}", headers=client.headers
    )
    body = assert_json_error(response, 405)
    assert "PATCH" in response["Allow"] and "GET" in response["Allow"]
    assert "PATCH" in body["detail"]
    assert Finding.objects.filter(pk=world.published_a.pk).exists()


@pytest.mark.parametrize(
    "header", ["Bearer " + "x" * 10000, "Bearer \u00e9\u00e8", "Bearer a b c", "bearer"]
)
def test_odd_authorization_headers_are_401(world, header):
    response = Client().get(f"{API}/findings", headers={"Authorization": header})
    assert_json_error(response, 401)
