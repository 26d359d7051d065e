"""The register's services: keyword-only, `by` checked against the role matrix."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from clinics.models import Clinic, User
from clinics.policy import Action
from clinics.services import require_action
from lifecycle.register import RegisterRow, register_csv, register_rows, register_xlsx

WRITERS = {"csv": register_csv, "xlsx": register_xlsx}


def approved_register(
    *, clinic: Clinic, by: User, filters: Mapping[str, Any], today: date
) -> list[RegisterRow]:
    require_action(clinic=clinic, by=by, action=Action.VIEW)
    return register_rows(clinic, dict(filters), today=today)


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
