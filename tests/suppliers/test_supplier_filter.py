"""suppliers.forms.SupplierFilterField: the register's and the exports page's supplier filter.

Its options are plain (pk, name) pairs (Supplier.display_name, the one naming rule), its
choice is checked against the clinic's own suppliers, and the option list costs one query
whatever the number of suppliers.
"""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exports.register import RegisterFilterForm as ExportsFilterForm
from lifecycle.register import RegisterFilterForm
from suppliers.forms import SupplierFilterField
from tests.factories import ClinicFactory, SupplierFactory

pytestmark = pytest.mark.django_db


class Filter(forms.Form):
    supplier = SupplierFilterField()

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].limit_to(clinic)


def test_options_are_the_clinics_suppliers_by_legal_name_named_as_everywhere_else():
    clinic, other = ClinicFactory(), ClinicFactory()
    zeta = SupplierFactory(clinic=clinic, legal_name="Zeta Labs Ltd", trading_name="")
    alpha = SupplierFactory(clinic=clinic, legal_name="Alpha Ltd", trading_name="GlowCo")
    SupplierFactory(clinic=other, legal_name="Beta Elsewhere Ltd")

    options = Filter(clinic=clinic).fields["supplier"].widget.choices

    assert options == [("", "Any supplier"), (alpha.pk, str(alpha)), (zeta.pk, str(zeta))]
    assert str(alpha) == "GlowCo (Alpha Ltd)"


def test_a_chosen_supplier_is_selected_and_filtered_on():
    clinic = ClinicFactory()
    supplier = SupplierFactory(clinic=clinic, legal_name='Acme <Labs> & "Sons"')
    form = Filter({"supplier": str(supplier.pk)}, clinic=clinic)

    assert form.is_valid()
    assert form.cleaned_data["supplier"] == supplier
    html = str(form["supplier"])
    assert f'value="{supplier.pk}" selected>Acme &lt;Labs&gt; &amp; &quot;Sons&quot;<' in html
    assert html.count(" selected") == 1


@pytest.mark.parametrize("form_class", [RegisterFilterForm, ExportsFilterForm, Filter])
def test_another_clinics_supplier_is_refused_and_not_offered(form_class):
    clinic, other = ClinicFactory(), ClinicFactory()
    theirs = SupplierFactory(clinic=other)
    form = form_class({"supplier": str(theirs.pk)}, clinic=clinic)

    assert not form.is_valid()
    assert "supplier" in form.errors
    assert f'value="{theirs.pk}"' not in str(form["supplier"])


@pytest.mark.parametrize("count", [2, 60])
def test_the_options_cost_one_query_at_any_number_of_suppliers(count):
    clinic = ClinicFactory()
    SupplierFactory.create_batch(count, clinic=clinic)
    with CaptureQueriesContext(connection) as queries:
        html = str(Filter(clinic=clinic)["supplier"])
    assert len(queries) == 1
    assert html.count("<option") == count + 1
