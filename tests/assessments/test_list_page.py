"""The assessments list: its filters hold across its pages."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.factories import AssessmentFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_the_next_page_keeps_the_status_and_verdict_filters(clinic, clinician_client, settings):
    settings.PAGINATE_BY = 2
    product = ProductFactory(clinic=clinic)
    AssessmentFactory.create_batch(3, product=product, verdict="acceptable")
    AssessmentFactory(product=product, submitted=True, verdict="acceptable")

    url = reverse("assessments:list")
    html = clinician_client.get(url, {"status": "draft", "verdict": "acceptable"}).content.decode()

    assert "Page 1 of 2" in html
    assert "?status=draft&amp;verdict=acceptable&amp;page=2" in html
    second = clinician_client.get(url, {"status": "draft", "verdict": "acceptable", "page": 2})
    assert len(second.context["page"].object_list) == 1
    assert Assessment.objects.filter(status="draft").count() == 3
