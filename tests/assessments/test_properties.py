"""Bad input, generated: whatever people type is kept verbatim, shown escaped, and never a 500
(ASVS 1.2.1, 2.2.1). Hypothesis explores arbitrary text, huge strings, odd Unicode, and markup
or SQL-looking strings; each example runs in its own transaction."""

import json
import operator
import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from clinics.models import Clinic, Membership, Role, User
from core.textareas import normalise_newlines
from products.models import ExosomeProduct
from suppliers.models import Supplier
from tests.paths import REPO_ROOT

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "{{ 7*7 }} {% debug %}",
    "'; DROP TABLE suppliers_supplier; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM clinics_user;--",
    "%s %d %(x)s {0} ${x}",
    "\u202eevil\u202c reversed",
    "Z̷̢͉a̸͙l̶̗g̴̞o̵̯",
    "👩🏽‍⚕️ clinic 🧪",
    "零件供应商 مورد ספק",
    "\ufeffBOM and zero\u200bwidth",
    "line one\nline two\r\nline three",
    "&amp; &lt; already escaped &gt;",
]

# Django refuses NUL characters in form input with a field error; everything else is fair game.
any_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
inputs = st.one_of(
    any_text,
    st.sampled_from(NASTY),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), any_text),
    # Huge: a short piece repeated, so Hypothesis need not invent every character.
    st.builds(operator.mul, st.sampled_from(NASTY) | any_text, st.integers(500, 3000)),
)
name_like = st.one_of(
    any_text,
    st.sampled_from(NASTY),
    st.builds(operator.mul, st.sampled_from(NASTY) | any_text, st.integers(5, 60)),
)

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SUPPLIER_FIELDS = {
    "legal_name": "Supplier Ltd",
    "trading_name": "",
    "company_number": "",
    "country": "United Kingdom",
    "website": "",
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "notes": "",
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def page_text(body: str) -> str:
    """The text a browser shows: markup read as markup, entities decoded."""
    parser = _Text()
    parser.feed(body)
    parser.close()
    return "".join(parser.parts)


def kept(value: str) -> str:
    """What a Django CharField keeps: the value without surrounding whitespace."""
    return value.strip()


def kept_text(value: str) -> str:
    """What a text area keeps: its newlines as one character each, as the browser counts
    them (core/textareas.py), then the value without surrounding whitespace."""
    return kept(normalise_newlines(value))


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clinic = Clinic.objects.create(name="Property Clinic", slug="property")
        cls.user = User.objects.create(username="prop-clinician")
        Membership.objects.create(user=cls.user, clinic=cls.clinic, role=Role.CLINICIAN)
        cls.supplier = Supplier.objects.create(clinic=cls.clinic, legal_name="Anchor Supplier")

    def signed_in(self):
        # Hypothesis gives each example a fresh client and transaction.
        self.client.force_login(self.user)
        return self.client

    def assert_escaped_in(self, value: str, body: str):
        self.assertIn(escape(value), body)
        if "<" in value:
            # Read as the characters typed, never as markup...
            self.assertIn(value, page_text(body))
            # ...and never sent raw, unless the page's own tags contain it anyway (a bare "<"
            # or "<a" is in every page: Hypothesis found legal_name="<").
            if value not in self.site_markup():
                self.assertNotIn(value, body)

    def site_markup(self) -> str:
        """The anchor supplier's page: the tags every page of the site is made of."""
        if not hasattr(type(self), "_site_markup"):
            page = self.signed_in().get(self.supplier.get_absolute_url())
            type(self)._site_markup = page.content.decode()
        return type(self)._site_markup

    @EXAMPLES
    @given(legal_name=name_like, notes=inputs, contact=name_like)
    def test_supplier_form_keeps_text_verbatim_and_shows_it_escaped(
        self, legal_name, notes, contact
    ):
        data = {**SUPPLIER_FIELDS, "legal_name": legal_name, "notes": notes}
        data["contact_name"] = contact
        response = self.signed_in().post(reverse("suppliers:create"), data)
        self.assertIn(response.status_code, (200, 302))
        if response.status_code == 200:
            # Refused: a per-field error, and what was typed is still in the form.
            self.assertTrue(response.context["form"].errors)
            return
        supplier = Supplier.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
        self.assertEqual(supplier.legal_name, kept(legal_name))
        self.assertEqual(supplier.notes, kept_text(notes))
        self.assertEqual(supplier.contact_name, kept(contact))
        page = self.client.get(supplier.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        body = page.content.decode()
        self.assert_escaped_in(supplier.legal_name, body)
        if supplier.notes:
            self.assertIn(linebreaksbr(supplier.notes, autoescape=True), body)

    @EXAMPLES
    @given(legal_name=name_like)
    def test_refused_supplier_input_is_given_back_unchanged(self, legal_name):
        # An invalid website forces a refusal; the name typed must come back intact.
        data = {**SUPPLIER_FIELDS, "legal_name": legal_name, "website": "not a url"}
        response = self.signed_in().post(reverse("suppliers:create"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("website", response.context["form"].errors)
        if legal_name:
            # Exactly what was sent, unstripped, so nothing typed is lost.
            self.assertIn(f'value="{escape(legal_name)}"', response.content.decode())

    @EXAMPLES
    @given(name=name_like, brand=name_like, inci=inputs, claims=inputs, statement=inputs)
    def test_product_form_keeps_text_verbatim_and_never_fails(
        self, name, brand, inci, claims, statement
    ):
        data = {
            "supplier": self.supplier.pk,
            "name": name,
            "brand": brand,
            "form": "serum",
            "marketed_as": "cosmetic",
            "supplier_source_statement": statement,
            "inci": inci,
            "claims": claims,
        }
        response = self.signed_in().post(reverse("products:create"), data)
        self.assertIn(response.status_code, (200, 302))
        if response.status_code == 200:
            self.assertTrue(response.context["form"].errors)
            return
        product = ExosomeProduct.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
        self.assertEqual(
            (product.name, product.brand, product.inci, product.claims),
            (kept(name), kept(brand), kept_text(inci), kept_text(claims)),
        )
        self.assertEqual(product.supplier_source_statement, kept_text(statement))
        page = self.client.get(product.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assert_escaped_in(str(product), page.content.decode())

    @EXAMPLES
    @given(term=inputs, page_number=any_text)
    def test_search_and_paging_never_fail(self, term, page_number):
        self.signed_in()
        for url in (
            reverse("suppliers:list"),
            reverse("products:list"),
            reverse("assessments:list"),
        ):
            response = self.client.get(url, {"q": term, "page": page_number})
            self.assertEqual(response.status_code, 200)
            if "<" in term:
                self.assertNotIn(term.strip()[:200], response.content.decode())


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), inputs
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "jurisdiction",
    "as_of",
    "source_category",
    "cell_status",
    "route",
    "marketed_as",
    "lot",
    "inci",
    "claims",
    "evidence",
]
# Keys without control characters: a key with a line break is the known bug pinned below.
plain_keys = st.text(st.characters(blacklist_categories=("Cs", "Cc")))
product_json = st.dictionaries(st.sampled_from(FIELDS) | plain_keys, json_values, max_size=8)


def assess(text: str):
    stdout = StringIO()
    call_command("assess_product", "-", stdin=StringIO(text), stdout=stdout)
    return stdout.getvalue()


class AssessProductCommandTests(TestCase):
    def check_outcome(self, text: str):
        try:
            out = assess(text)
        except CommandError as error:
            # Invalid input: exit status 2 and one line that says what is wrong.
            self.assertEqual(error.returncode, 2)
            self.assertEqual(len(str(error).splitlines()), 1)
            return None
        result = json.loads(out)
        self.assertIn(
            result["verdict"],
            {"not-permitted", "insufficient-information", "conditional", "acceptable"},
        )
        return result

    @EXAMPLES
    @given(data=product_json)
    def test_any_json_object_gives_a_verdict_or_one_clear_error(self, data):
        self.check_outcome(json.dumps(data))

    @EXAMPLES
    @given(text=inputs)
    def test_any_text_gives_a_verdict_or_one_clear_error(self, text):
        self.check_outcome(text)

    @EXAMPLES
    @given(lot=inputs, inci=st.lists(inputs, max_size=5), claims=st.lists(inputs, max_size=5))
    def test_free_text_fields_on_a_valid_product_never_break_it(self, lot, inci, claims):
        data = {
            "jurisdiction": "UK",
            "source_category": "plant",
            "cell_status": "cell-free",
            "route": "topical-intact-skin",
            "marketed_as": "cosmetic",
            "lot": lot,
            "inci": inci,
            "claims": claims,
        }
        self.check_outcome(json.dumps(data))


def test_unknown_field_with_a_line_break_is_reported_on_one_line():
    with pytest.raises(CommandError) as raised:
        assess(json.dumps({"bad\rkey": None}))
    assert len(str(raised.value).splitlines()) == 1


ROOT = REPO_ROOT
UNESCAPING = re.compile(r"\|\s*safe\b|mark_safe\(|SafeString\(|\{%\s*autoescape\s+off")
# Plain-text email bodies: never rendered as HTML, so autoescaping would only garble them.
PLAIN_TEXT_ALLOWED = {
    "templates/clinics/members/invitation_email.txt",
    "templates/registration/password_reset_email.txt",
}


def test_no_template_or_code_switches_escaping_off_for_user_data():
    offenders = []
    for folder in ("templates", "clinics", "suppliers", "products", "assessments", "exports"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".html", ".txt", ".py"} or "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            if relative in PLAIN_TEXT_ALLOWED:
                continue
            if UNESCAPING.search(path.read_text(encoding="utf-8", errors="replace")):
                offenders.append(relative)
    assert not offenders, f"Escaping switched off in: {offenders}"
