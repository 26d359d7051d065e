"""A database error that reaches a user shows ExoCheck's own error page with a reference id,
and the same id is in the log with the traceback (core.errors.server_error)."""

import logging
import re

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from assessments.models import AssessmentQuerySet
from assessments.services import signoff
from core.errors import server_error
from tests.factories import log_in
from tests.reporting import make_assessment, sign_off_data

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"data-error-reference>([0-9a-f]{8})<")


def crashing_client(user) -> Client:
    return log_in(Client(raise_request_exception=False), user)


def logged_references(caplog) -> list[tuple[str, logging.LogRecord]]:
    return [
        (record.getMessage(), record)
        for record in caplog.records
        if record.name == "exocheck.errors"
    ]


def reference_in(response) -> str:
    found = REFERENCE.search(response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


def test_a_locked_database_during_sign_off_shows_the_error_page_with_a_logged_reference(
    clinic, plant_product, clinician, manager, evidence_types, monkeypatch, caplog
):
    submitted = make_assessment(clinic=clinic, product=plant_product, user=clinician)

    def locked(assessment):
        raise OperationalError("database is locked")

    monkeypatch.setattr(signoff, "_locked", locked)
    with caplog.at_level(logging.ERROR, logger="exocheck.errors"):
        response = crashing_client(manager).post(
            reverse("assessments:sign_off", args=[submitted.pk]),
            sign_off_data(manager, statement=""),
        )

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "database is locked" not in body and "Traceback" not in body
    reference = reference_in(response)
    assert response["X-Error-Reference"] == reference
    [(message, record)] = logged_references(caplog)
    assert reference in message
    assert record.exc_info and record.exc_info[0] is OperationalError
    assert "database is locked" in caplog.text  # the traceback is logged, not shown


def test_a_database_error_on_a_page_shows_the_error_page(manager, monkeypatch, caplog):
    def broken(self, clinic):
        raise OperationalError("database is locked")

    monkeypatch.setattr(AssessmentQuerySet, "for_clinic", broken)
    with caplog.at_level(logging.ERROR, logger="exocheck.errors"):
        response = crashing_client(manager).get(reverse("dashboard"))

    assert response.status_code == 500
    reference = reference_in(response)
    assert [message for message, _ in logged_references(caplog)] == [
        f"Server error {reference} on GET /"
    ]


def test_each_error_gets_its_own_reference(manager, monkeypatch, caplog):
    def broken(self, clinic):
        raise OperationalError("database is locked")

    monkeypatch.setattr(AssessmentQuerySet, "for_clinic", broken)
    client = crashing_client(manager)

    first, second = (reference_in(client.get(reverse("dashboard"))) for _ in range(2))

    assert first != second


def test_the_error_page_needs_neither_the_database_nor_the_user(django_assert_num_queries, caplog):
    class Unusable:
        def __getattr__(self, name):
            raise AssertionError(f"the error page touched request.user.{name}")

    request = RequestFactory().get("/anything/")
    request.user = Unusable()
    with django_assert_num_queries(0):
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            response = server_error(request)

    assert response.status_code == 500
    assert reference_in(response) in caplog.text
