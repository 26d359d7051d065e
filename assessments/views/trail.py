"""The assessment's full technical trail on a page of its own: every stored change, field by
field, of the assessment, its evidence documents and their "checked" marks, newest first.

The assessment's page tells the same history in sentences and links here. A record's trail
only grows (every save adds a row), so keeping it off that page keeps the page's size and
cost the same however long the record has lived (docs/performance.md, tenth round)."""

from django.shortcuts import get_object_or_404, render

from assessments.history import checks_history
from assessments.models import Assessment, EvidenceItem
from clinics.decorators import clinic_member_required
from core.history import HistoryEntry, history_entries, merged

ENTRIES_PER_PAGE = 50
# Deeper pages read every newer entry first; no trail is near this long.
LAST_PAGE = 200


@clinic_member_required
def assessment_trail(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.for_clinic(request.clinic).with_related(), pk=pk
    )
    number = _page_number(request.GET.get("page"))
    entries, older = trail_page(assessment, number)
    return render(
        request,
        "assessments/trail.html",
        {
            "assessment": assessment,
            "history_records": entries,
            "number": number,
            "newer_page": number - 1 if number > 1 else None,
            "older_page": number + 1 if older and number < LAST_PAGE else None,
        },
    )


def trail_page(assessment: Assessment, number: int) -> tuple[list[HistoryEntry], bool]:
    """Page `number` (1 is the newest) of the assessment's trail, and whether older entries
    follow it. Three audit tables are merged, so a page is cut from the newest
    `number` × ENTRIES_PER_PAGE entries of all three."""
    upto = number * ENTRIES_PER_PAGE
    entries = merged(*_trail_sources(assessment, limit=upto + 1), limit=upto + 1)
    return entries[upto - ENTRIES_PER_PAGE : upto], len(entries) > upto


def _trail_sources(assessment: Assessment, *, limit: int) -> list[list[HistoryEntry]]:
    return [
        history_entries(assessment.history.all(), limit=limit),
        history_entries(
            EvidenceItem.history.filter(assessment_id=assessment.pk),
            limit=limit,
            subject_field="evidence_type",
            hide=("assessment",),
        ),
        history_entries(checks_history(assessment), limit=limit, subject_field="evidence_item"),
    ]


def _page_number(value: str | None) -> int:
    """The page asked for; junk or out-of-range numbers give the nearest page."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), LAST_PAGE)
