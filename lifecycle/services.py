"""The register's services: keyword-only, `by` checked against the role matrix; a write is
one transaction and audited (the settings' history says who changed what, and why)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from django.core.paginator import Page
from django.db import transaction

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from core.saving import apply_fields, save_audited
from lifecycle.models import LifecycleSettings
from lifecycle.register import (
    RegisterRow,
    register_csv,
    register_page,
    register_rows,
    register_xlsx,
)

WRITERS = {"csv": register_csv, "xlsx": register_xlsx}


def approved_register(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], today: date
) -> list[RegisterRow]:
    require_action(clinic=clinic, by=by, action=Action.VIEW)
    return register_rows(clinic, dict(filters), today=today)


def approved_register_page(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], today: date, number: Any, per_page: int
) -> Page[RegisterRow]:
    """Page `number` of the register (junk or out-of-range numbers give the nearest page)."""
    require_action(clinic=clinic, by=by, action=Action.VIEW)
    return register_page(clinic, dict(filters), today=today, number=number, per_page=per_page)


def export_approved_register(
    *,
    clinic: Clinic,
    by: User,
    filters: Mapping[str, Any],
    today: date,
    file_format: Literal["csv", "xlsx"],
) -> bytes:
    require_action(
        clinic=clinic,
        by=by,
        action=Action.EXPORT,
        refusal="Only a practice manager can export this clinic's records.",
    )
    data: bytes = WRITERS[file_format](register_rows(clinic, dict(filters), today=today))
    return data


SETTINGS_REFUSAL = "Only a practice manager or a clinic admin can change the clinic's settings."


@transaction.atomic
def set_reassessment_interval(*, clinic: Clinic, by: User, months: int) -> LifecycleSettings:
    """Set how many months a signed approval lasts at most (1 to 60; the model validates).
    Every approval's "valid until" follows at once: it is worked out, never stored."""
    require_action(clinic=clinic, by=by, action=Action.MANAGE_SETTINGS, refusal=SETTINGS_REFUSAL)
    # Locked when it exists; a first save racing another is reported by save_audited.
    current = LifecycleSettings.objects.select_for_update().filter(
        clinic=clinic
    ).first() or LifecycleSettings(clinic=clinic)
    fields = {"reassessment_interval_months": months}
    changed = apply_fields(current, fields, tuple(fields))
    if changed or current.pk is None:
        save_audited(
            current,
            by=by,
            reason=f"Re-assessment interval set to {months} months",
            conflict="The settings were changed at the same time: please try again.",
        )
    return current
