"""Pages kept whole (clinics.kept.kept_page): the dashboard, the assessment's page, the
assessments, suppliers and products lists, the review queue, the approved-products register
and the exports page are served from one cache read, with each session's own CSRF token in
their forms; a page with a message waiting is rendered afresh; a fragment's expiry bounds the
page that holds it. Committed writes (transaction=True): nothing is kept inside a
transaction."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clinics.kept import CSRF_STAND_IN, changes_at, kept, without_indentation
from tests.factories import AssessmentFactory, ProductFactory, log_in
from tests.reporting import make_finalised

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("restored_reference_data"),
]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def signed(clinic, clinician, manager):
    product = ProductFactory(clinic=clinic, name="Whole Serum")
    return make_finalised(clinic=clinic, product=product, user=clinician, manager=manager)


@pytest.mark.parametrize(
    "page",
    [
        "dashboard",
        "assessment",
        "lifecycle:register",
        "assessments:list",
        "assessments:review_queue",
        "exports:register",
        "suppliers:list",
        "products:list",
    ],
)
def test_a_kept_page_renders_no_template_and_runs_the_menus_queries_only(
    manager_client, signed, page
):
    url = signed.get_absolute_url() if page == "assessment" else reverse(page)
    first = manager_client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = manager_client.get(url)
    assert second.status_code == 200 and first.templates and not second.templates
    # The session, the user, the authenticator, and the membership with the navbar's counts
    # and the stamp read along (clinics/middleware.py): the four a bare page runs too.
    assert len(again) == 4
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_each_session_gets_its_own_token_in_a_kept_page_and_it_works(manager, signed):
    url = signed.get_absolute_url()
    first = log_in(Client(enforce_csrf_checks=True), manager)
    second = log_in(Client(enforce_csrf_checks=True), manager)
    first_tokens = set(TOKEN.findall(first.get(url).content.decode()))
    kept_page = second.get(url)
    second_tokens = set(TOKEN.findall(kept_page.content.decode()))
    assert not kept_page.templates  # served from what the first session's request kept
    assert CSRF_STAND_IN not in kept_page.content.decode()
    assert second_tokens and not second_tokens & first_tokens
    response = second.post(
        reverse("assessments:new_version", args=[signed.pk]),
        {"csrfmiddlewaretoken": second_tokens.pop()},
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(previous_version=signed).exists()


def test_a_message_waiting_is_shown_once_and_never_kept(manager_client, clinic, clinician):
    draft = AssessmentFactory(product=ProductFactory(clinic=clinic), created_by=clinician)
    url = draft.get_absolute_url()
    manager_client.get(url)  # the page is kept
    request = RequestFactory().get(url)
    cookie = CookieStorage(request)._encode([Message(constants.SUCCESS, "Draft saved here.")])
    manager_client.cookies[CookieStorage.cookie_name] = cookie
    with_message = manager_client.get(url)
    assert "Draft saved here." in with_message.content.decode() and with_message.templates
    after = manager_client.get(url)
    assert "Draft saved here." not in after.content.decode() and not after.templates


def test_the_dashboard_is_kept_for_the_minute(manager_client, signed):
    url = reverse("dashboard")
    with time_machine.travel("2026-12-01 09:00:05Z", tick=False):
        manager_client.get(url)
        assert not manager_client.get(url).templates
    with time_machine.travel("2026-12-01 09:01:05Z", tick=False):
        assert manager_client.get(url).templates


def test_a_kept_fragments_expiry_bounds_the_value_holding_it(clinic, stamp):
    """The fragment is read from the cache the second time: its expiry still reaches the
    enclosing value being worked out, which is then kept no longer."""
    outer_calls: list = []

    def fragment():
        changes_at(timezone.now() + timedelta(seconds=60))
        return "fragment"

    def inner():
        return kept("inner", clinic_id=clinic.pk, stamp=stamp, work=fragment)

    def outer(name):
        def work():
            outer_calls.append(name)
            return inner()

        return kept(name, clinic_id=clinic.pk, stamp=stamp, work=work)

    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        inner()  # the fragment alone is kept first, until 09:01
        outer("outer")  # worked out around the kept fragment
    with time_machine.travel("2026-12-01 09:00:59Z", tick=False):
        outer("outer")
    with time_machine.travel("2026-12-01 09:01:01Z", tick=False):
        outer("outer")
    assert outer_calls == ["outer", "outer"]


def test_a_kept_page_drops_the_templates_indentation_but_no_content():
    html = (
        "<main>\n    <p>\n      Two  spaces stay\n    </p>\n    \n    <pre>\n  kept\n    </pre>\n"
        '  <textarea name="a">\n    typed\n  </textarea>\n</main>'
    )
    assert without_indentation(html) == (
        "<main>\n<p>\n      Two  spaces stay\n</p>\n<pre>\n  kept\n    </pre>\n"
        '<textarea name="a">\n    typed\n  </textarea>\n</main>'
    )


def test_the_kept_assessment_page_is_a_third_smaller_and_reads_the_same(manager_client, signed):
    from clinics import kept as kept_module

    url = signed.get_absolute_url()
    served = manager_client.get(url).content.decode()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(kept_module, "without_indentation", lambda html: html)
        patched.setattr(kept_module, "keeping_possible", lambda: False)
        as_rendered = manager_client.get(url).content.decode()

    def words(html):
        return re.sub(r"\s+", " ", TOKEN.sub("", re.sub(r'nonce="[^"]*"', "", html)))

    assert len(served) < 0.8 * len(as_rendered)
    assert words(served) == words(as_rendered)
