"""The approved-products register page and its downloads. Thin: parse, call, respond."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinics.decorators import clinic_member_required
from clinics.kept import kept_page
from clinics.policy import Action
from core.downloads import attachment
from lifecycle.register import HEADERS, RegisterFilterForm, row_cells
from lifecycle.services import approved_register_page, export_approved_register
from lifecycle.status import Status

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@clinic_member_required(action=Action.VIEW)
def register(request):
    # The whole page is kept for the menu, the query and the day (clinics/kept.py); the
    # form (its supplier choices) and the rows are worked out only where it is not: a kept
    # page was made by this service for the same clinic, and the decorator above checks the
    # same action the service does.
    today = timezone.localdate()
    return kept_page(
        request,
        "approved-register",
        parts=[today],
        template="lifecycle/register.html",
        context=lambda: _register_context(request, today),
    )


def _register_context(request, today) -> dict:
    form = SimpleLazyObject(lambda: RegisterFilterForm(request.GET or None, clinic=request.clinic))
    page = SimpleLazyObject(
        lambda: approved_register_page(
            clinic=request.clinic,
            by=request.user,
            filters=form.filters(),
            today=today,
            number=request.GET.get("page"),
            per_page=PAGE_SIZE,
        )
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "cells": SimpleLazyObject(lambda: [(row, row_cells(row)) for row in page.object_list]),
        "headers": HEADERS,
        "statuses": list(Status),
        "today": today,
        "query": query.urlencode(),
        "extra_query": f"{query.urlencode()}&" if query else "",
    }


def _download(request, file_format, content_type):
    form = RegisterFilterForm(request.GET or None, clinic=request.clinic)
    data = export_approved_register(
        clinic=request.clinic,
        by=request.user,
        filters=form.filters(),
        today=timezone.localdate(),
        file_format=file_format,
    )
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    return attachment(
        data, filename=f"exocheck-approved-{stamp}.{file_format}", content_type=content_type
    )


@clinic_member_required(action=Action.EXPORT)
def register_csv(request):
    return _download(request, "csv", "text/csv; charset=utf-8")


@clinic_member_required(action=Action.EXPORT)
def register_xlsx(request):
    return _download(request, "xlsx", XLSX_TYPE)
