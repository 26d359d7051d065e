"""Helpers for the API tests: tokens made through the real service, and a client that sends
one the way an integrating system does (Authorization: Bearer …)."""

import json

from django.test import Client

from api.tokens import create_token


def token_for(user, clinic, *, scope="write", name="Stock system", **kwargs) -> str:
    """A live token of `user` in `clinic`, as its plain text (the one time it is shown)."""
    return create_token(clinic=clinic, by=user, name=name, scope=scope, **kwargs).plain


class ApiClient:
    """Django's test client with a bearer token on every request; JSON bodies by default."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path, data=None, *, multipart=False, raw=None):
        if multipart:
            return self.client.post(path, data, headers=self.headers)
        body = raw if raw is not None else json.dumps(data or {})
        return self.client.post(path, body, content_type="application/json", headers=self.headers)

    def patch(self, path, data):
        return self.client.patch(
            path, json.dumps(data), content_type="application/json", headers=self.headers
        )


def api_as(user, clinic, **kwargs) -> ApiClient:
    return ApiClient(token_for(user, clinic, **kwargs))


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """An RFC 9457 problem with `status` (and naming `field` among its errors)."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["type"].startswith("urn:exocheck:problem:")
    if field is not None:
        assert field in [error["field"] for error in body.get("errors", [])], body
    return body
