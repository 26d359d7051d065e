"""Schemathesis against the API's own live schema, in-process through Django's WSGI app,
authenticated with a real write token: no 500s, and every response (status, content type,
headers, body) as the schema says. Kept to a CI budget: a few examples per operation,
derandomised so a failure reproduces.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.api.support import token_for
from tests.reporting import make_assessment

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(clinic, clinician, plant_product, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    make_assessment(clinic=clinic, product=plant_product, user=clinician)
    # Called through the bare WSGI app, Django would close the test's database connection
    # at the end of each request (and roll back its transaction on PostgreSQL); Django's own
    # test client holds the same signal off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {token_for(clinician, clinic)}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
