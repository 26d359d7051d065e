"""Malformed input gets a 400 page, a form error or exit status 2, never a server error
(issue 11, finding 7): NUL characters in query strings and forms, over-long usernames at
log-in, and oversized or deeply nested JSON for `manage.py assess_product`. Every test runs
on SQLite and on PostgreSQL (which cannot store NUL and enforces column lengths)."""

import io
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from django.urls import reverse

from assessments.facts import FactsInputError, parse_json
from assessments.facts.json_input import MAX_INPUT_BYTES, MAX_NESTING
from core.listing import search_term
from suppliers.models import Supplier
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Every list page and the parameters it reads (search, filters, paging).
LIST_PARAMETERS = [
    ("suppliers:list", ["q", "page"]),
    ("products:list", ["q", "source", "page"]),
    ("assessments:list", ["q", "status", "verdict", "page"]),
    ("exports:register", ["supplier", "verdict", "status", "date_from", "date_to", "page"]),
    ("notifications:list", ["page"]),
]
LIST_CASES = [(name, param) for name, params in LIST_PARAMETERS for param in params]


def assert_refused_page(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert "Request not understood" in body
    assert "a character ExoCheck cannot read" in body
    assert 'class="navbar-brand' in body  # the app's own page, with its navigation


@pytest.mark.parametrize(("name", "param"), LIST_CASES)
def test_a_nul_in_a_list_pages_search_or_filter_is_a_400_page(manager_client, name, param):
    response = manager_client.get(reverse(name), {param: "Verdant\x00"})
    assert_refused_page(response)


@pytest.mark.parametrize(("name", "param"), LIST_CASES)
def test_the_same_search_or_filter_without_the_nul_still_works(manager_client, name, param):
    assert manager_client.get(reverse(name), {param: "Verdant"}).status_code == 200


def test_a_nul_in_a_parameter_name_or_the_path_is_a_400_page(manager_client):
    assert_refused_page(manager_client.get(reverse("suppliers:list") + "?q%00=x"))
    assert_refused_page(manager_client.get("/suppliers/%00/"))


def test_a_nul_in_the_admins_search_is_a_400_page(staff_client):
    assert staff_client.get("/admin/suppliers/supplier/", {"q": "a\x00"}).status_code == 400


def test_anonymous_visitors_get_the_same_page(client):
    assert_refused_page(client.get(reverse("login"), {"next": "/\x00"}))


def test_search_term_never_returns_a_nul():
    request = RequestFactory().get("/", {"q": " Ver\x00dant "})
    assert search_term(request) == "Verdant"


def test_a_nul_in_a_posted_field_is_a_field_error_and_the_rest_is_kept(clinician_client):
    response = clinician_client.post(
        reverse("suppliers:create"),
        {"legal_name": "Verdant\x00 Ltd", "country": "GB", "website": "https://v.example"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert "https://v.example" in response.content.decode()
    assert not Supplier.objects.exists()


def test_too_many_fields_get_the_400_page(client):
    response = client.get(reverse("login") + "?" + "&".join(f"f{i}=1" for i in range(1200)))
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


# --- Log-in: django-axes records the username in a 255-character column ----------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_username_over_255_characters_gets_the_forms_usual_error(db, path):
    client = Client()
    response = client.post(path, {"username": "u" * 300, "password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "u" * 255


def test_the_app_log_in_says_the_usual_thing(db):
    response = Client().post(reverse("login"), {"username": "u" * 300, "password": PASSWORD})
    assert "That username and password do not match an active account" in (
        response.content.decode()
    )


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_username_or_password_is_a_form_error(clinician, field):
    data = {"username": "clinician", "password": PASSWORD, field: "clinic\x00ian"}
    response = Client().post(reverse("login"), data)
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_over_long_usernames_are_still_locked_out(db, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "u" * 300, "password": "wrong-password-1"})
    response = client.post(reverse("login"), {"username": "u" * 300, "password": "x"})
    assert response.status_code == 429


# --- manage.py assess_product: size and depth limits -----------------------------------------


class CountingStdin(io.TextIOWrapper):
    """Standard input over `data`, counting the bytes the command reads from it."""

    def __init__(self, data: bytes):
        self.raw_bytes = io.BytesIO(data)
        super().__init__(self.raw_bytes, encoding="utf-8")

    @property
    def bytes_read(self) -> int:
        return self.raw_bytes.tell()


def refusal(*args, **options) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("assess_product", *args, stdout=StringIO(), **options)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_38_mb_file_is_refused_naming_the_limit_without_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(38 * 1024 * 1024)  # sparse: no time spent writing it
    message = refusal(str(path))
    assert message.startswith("input: larger than 1,000,000 bytes (1 MB)")


def test_a_38_mb_stream_is_refused_after_reading_one_byte_past_the_limit():
    stdin = CountingStdin(b'{"inci": "' + b"a" * (38 * 1024 * 1024) + b'"}')
    message = refusal("-", stdin=stdin)
    assert f"{MAX_INPUT_BYTES:,} bytes" in message
    assert stdin.bytes_read <= MAX_INPUT_BYTES + 1


def test_input_at_the_limit_is_read(tmp_path):
    path = tmp_path / "padded.json"
    text = '{"lot": "L1"}'
    path.write_text(text + " " * (MAX_INPUT_BYTES - len(text)))
    call_command("assess_product", str(path), stdout=StringIO())


def test_100000_nested_brackets_are_refused_in_one_line():
    message = refusal("-", stdin=StringIO("[" * 100_000))
    assert message.startswith(f"input: nested more than {MAX_NESTING} levels deep")


def test_nesting_within_the_recursion_limit_is_refused_too():
    deep = '{"evidence": ' + "[" * 50 + "]" * 50 + "}"
    assert "nested more than" in refusal("-", stdin=StringIO(deep))


def test_a_huge_value_is_quoted_back_cut_short():
    message = refusal("-", stdin=StringIO('{"jurisdiction": "' + "Z" * 500_000 + '"}'))
    assert message.startswith("jurisdiction: unknown value 'ZZZ")
    assert len(message) < 300


def test_invalid_utf8_on_standard_input_is_refused_in_one_line():
    stdin = io.TextIOWrapper(io.BytesIO(b'\xff\xfe{"lot": 1}'), encoding="utf-8")
    assert refusal("-", stdin=stdin).startswith("input: cannot read '-'")


@pytest.mark.parametrize(
    "text", ["x" * (MAX_INPUT_BYTES + 1), "é" * (MAX_INPUT_BYTES // 2 + 1), "[" * 100_000]
)
def test_parse_json_itself_refuses_oversized_or_deep_input(text):
    """The same limits for any other caller of the JSON bridge (an API, a script)."""
    with pytest.raises(FactsInputError) as raised:
        parse_json(text)
    assert raised.value.field == "input"


# --- The admin's autocomplete fields ----------------------------------------------------------


@pytest.mark.parametrize("value", [":", str(2**63), "²"])
def test_an_admin_autocomplete_field_with_a_non_id_is_a_form_error(staff_client, value):
    response = staff_client.post("/admin/clinics/membership/add/", {"clinic": value, "user": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["clinic"]
