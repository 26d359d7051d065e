"""The audit trail as people read it: who, when (UK time) and what changed, field by field.

simple-history stores a full copy of the row on every save; this module turns those copies
into a display list by diffing each one against the copy before it. It only reads: the
trail is never edited from the app (see clinics/history_guard.py).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

UK_TIME = ZoneInfo("Europe/London")
DEFAULT_LIMIT = 50
# Long text is shortened in the list; the full value stays in the stored record.
MAX_VALUE_CHARS = 300
EMPTY = "—"

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    subject: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def history_for(obj, *, limit: int = DEFAULT_LIMIT) -> list[HistoryEntry]:
    """Newest-first history of one audited object."""
    return history_entries(obj.history.all(), limit=limit)


@dataclass(frozen=True)
class HistoryLine:
    """One event of a readable summary: a sentence saying who did what, and when (UK time).
    Apps write the sentences (e.g. assessments/history.py); includes/history.html shows them
    above the full trail, which stays one click away."""

    when: datetime
    text: str


Entry = TypeVar("Entry", HistoryEntry, HistoryLine)


def local_time(value: datetime) -> datetime:
    """A stored time as the clinic reads it (UK time)."""
    return timezone.localtime(value, UK_TIME)


def record_pairs(history_queryset, *, limit: int = DEFAULT_LIMIT) -> list[tuple]:
    """Newest-first (record, the same object's record before it, or None) pairs: what
    changed in each record is the difference between the two."""
    historical_model = history_queryset.model
    pk_attname = historical_model.instance_type._meta.pk.attname
    # One extra row: for a single object it is the predecessor of the oldest row shown.
    records = list(
        history_queryset.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    pairs = []
    for index, record in enumerate(records[:limit]):
        object_id = getattr(record, pk_attname)
        previous = next(
            (older for older in records[index + 1 :] if getattr(older, pk_attname) == object_id),
            None,
        )
        if previous is None and record.history_type == "~":
            previous = record.prev_record
        pairs.append((record, previous))
    return pairs


def history_entries(
    history_queryset,
    *,
    limit: int = DEFAULT_LIMIT,
    subject_field: str = "",
    hide: tuple[str, ...] = (),
) -> list[HistoryEntry]:
    """Newest-first entries for any slice of a historical model (e.g. one clinic's members).

    `subject_field` names a foreign key that says which object a row is about when the list
    mixes several objects (e.g. "user" for memberships). `hide` leaves out fields that never
    change and would only cost a query, such as the parent an evidence item belongs to.
    """
    historical_model = history_queryset.model
    pairs = record_pairs(history_queryset, limit=limit)
    hidden = {"clinic", *hide}
    related = _related_objects(historical_model, [r for p in pairs for r in p if r], hidden)
    return [_entry(record, previous, related, subject_field, hidden) for record, previous in pairs]


def merged(*entry_lists: list[Entry], limit: int = DEFAULT_LIMIT) -> list[Entry]:
    """Several objects' entries (or summary lines) as one newest-first list (e.g. an
    assessment and its evidence)."""
    entries = [entry for entries in entry_lists for entry in entries]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]


def _tracked_fields(historical_model, hidden=frozenset({"clinic"})) -> list[models.Field]:
    """The fields a person edits, in the model's own order (ids and timestamps left out)."""
    return [
        f
        for f in historical_model.tracked_fields
        if f.editable and not f.primary_key and f.name not in hidden
    ]


def _entry(record, previous, related, subject_field, hidden) -> HistoryEntry:
    fields = _tracked_fields(type(record), hidden)
    subject = ""
    if subject_field:
        subject = _display(record, record.instance_type._meta.get_field(subject_field), related)
    if record.history_type == "-":
        changes = []
    elif previous is None:
        # The first record: every value it started with is the "change".
        changed = [f for f in fields if _raw(record, f) not in (None, "")]
        changes = [FieldChange(_label(f), EMPTY, _display(record, f, related)) for f in changed]
    else:
        delta = record.diff_against(previous, included_fields=[f.name for f in fields])
        names = set(delta.changed_fields)
        changes = [
            FieldChange(_label(f), _display(previous, f, related), _display(record, f, related))
            for f in fields
            if f.name in names
        ]
    user = record.history_user
    return HistoryEntry(
        when=local_time(record.history_date),
        who=str(user) if user is not None else "System",
        action=ACTIONS.get(record.history_type, record.history_type),
        subject=subject,
        reason=record.history_change_reason or "",
        changes=changes,
    )


def _related_objects(historical_model, records, hidden) -> dict:
    """{(model, pk): str} for every foreign key value shown, one query per related model."""
    wanted: dict[type, set] = {}
    for f in _tracked_fields(historical_model, hidden):
        if f.is_relation and f.many_to_one:
            values = {_raw(r, f) for r in records} - {None}
            if values:
                wanted.setdefault(f.related_model, set()).update(values)
    found = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            found[(model, obj.pk)] = str(obj)
    return found


def _raw(record, f):
    return getattr(record, f.attname)


def _label(f) -> str:
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


# How an app wants one of its fields shown in a history trail, by "app_label.model.field"
# (e.g. assessments registers its stored findings: the rule ids say what changed). Apps
# register in their AppConfig.ready(); core knows no app.
VALUE_FORMATTERS: dict[str, Callable[[object], str]] = {}


def register_value_formatter(field_key: str, formatter: Callable[[object], str]) -> None:
    VALUE_FORMATTERS[field_key] = formatter


def _field_key(f) -> str:
    model = f.model._meta
    # Historical models mirror their model's fields under the model's own name.
    name = model.model_name.removeprefix("historical")
    return f"{model.app_label}.{name}.{f.name}"


def _display(record, f, related) -> str:
    value = _raw(record, f)
    if value is None or value == "":
        return EMPTY
    if f.is_relation and f.many_to_one:
        text = related.get((f.related_model, value), f"(removed record #{value})")
    elif f.choices:
        text = str(dict(f.flatchoices).get(value, value))
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, datetime):
        text = date_format(timezone.localtime(value, UK_TIME), "j M Y, H:i T")
    elif isinstance(value, date):
        text = date_format(value, "j M Y")
    elif (formatter := VALUE_FORMATTERS.get(_field_key(f))) is not None:
        text = formatter(value)
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text
