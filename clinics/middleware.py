from collections.abc import Callable
from functools import cache as once

from django.conf import settings
from django.db.models import Case, Expression, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string

from clinics.models import Clinic, Membership
from core.prepared import PreparedQuery, concrete_columns

ACTIVE_CLINIC_SESSION_KEY = "active_clinic_id"


@once
def _read_along() -> Callable[..., dict[str, Expression]]:
    """Columns every signed-in page needs next, read in the membership's own query
    (settings.MEMBERSHIP_READ_ALONG): the navbar's counts and the clinic's stamp, which
    its app defines, since this bottom layer cannot import it. One round trip fewer on every
    page (docs/performance.md, tenth round)."""
    read_along: Callable[..., dict[str, Expression]] = import_string(settings.MEMBERSHIP_READ_ALONG)
    return read_along


def _along_columns() -> dict[str, Expression]:
    """The read-along columns of a membership row: its clinic's and its user's."""
    return _read_along()(clinic=OuterRef("clinic_id"), user=OuterRef("user_id"))


@once
def _along_names() -> tuple[str, ...]:
    return tuple(_along_columns())


def _membership_query(*, user_id: int, chosen_clinic_id: int) -> QuerySet:
    """The user's membership in the chosen clinic, else their first: one row, with its
    clinic and the columns read along with it."""
    chosen_first = Case(When(clinic_id=chosen_clinic_id, then=Value(0)), default=Value(1))
    along = {f"{ALONG_PREFIX}{name}": column for name, column in _along_columns().items()}
    return (
        Membership.objects.filter(user_id=user_id)
        .annotate(**along)
        .order_by(chosen_first, "created_at", "pk")
        .values_list(*MEMBERSHIP_COLUMNS, *(f"clinic__{name}" for name in CLINIC_COLUMNS), *along)[
            :1
        ]
    )


MEMBERSHIP_COLUMNS = concrete_columns(Membership)
CLINIC_COLUMNS = concrete_columns(Clinic)
ALONG_PREFIX = "read_along_"
# Read on every signed-in request: built by the ORM once, then only run (core/prepared.py).
MEMBERSHIP = PreparedQuery(_membership_query, ids=("user_id", "chosen_clinic_id"))


def active_membership(user, chosen_clinic_id: int | None) -> Membership | None:
    """The user's membership in the clinic chosen in the session, else their first (by when
    it was made), with its clinic; None for a user of no clinic.

    `membership.read_along` holds the columns read along with it (settings.
    MEMBERSHIP_READ_ALONG), as they were when the request began."""
    row = MEMBERSHIP.first_row(user_id=user.pk, chosen_clinic_id=chosen_clinic_id or 0)
    if row is None:
        return None
    split = len(MEMBERSHIP_COLUMNS)
    clinic_end = split + len(CLINIC_COLUMNS)
    membership = Membership.from_db("default", MEMBERSHIP_COLUMNS, row[:split])
    membership.clinic = Clinic.from_db("default", CLINIC_COLUMNS, row[split:clinic_end])
    membership.read_along = dict(zip(_along_names(), row[clinic_end:], strict=True))
    return membership


class CurrentClinicMiddleware:
    """Attach the signed-in user's clinic membership as request.membership / request.clinic.

    A user normally belongs to one clinic; with several, the one chosen in the session
    (or the first) is active. Views never trust a clinic id from the URL or the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.clinic = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.session.get(ACTIVE_CLINIC_SESSION_KEY)
            membership = active_membership(user, chosen if isinstance(chosen, int) else None)
            if membership is not None:
                # The signed-in user itself (django-otp's `is_verified()` included), so a
                # service given `request.membership` checks the session's second factor.
                membership.user = user
                request.membership = membership
                request.clinic = membership.clinic
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Slide the inactivity timeout without writing the session on every request.

    SESSION_SAVE_EVERY_REQUEST costs a database write per page (measured in
    docs/performance.md); refreshing at most once a minute keeps the idle limit exact to a
    minute at a fraction of the cost. Must sit inside SessionMiddleware.
    """

    TOUCH_KEY = "_idle_touched_at"
    TOUCH_INTERVAL_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(timezone.now().timestamp())
            if now - session.get(self.TOUCH_KEY, 0) >= self.TOUCH_INTERVAL_SECONDS:
                session[self.TOUCH_KEY] = now
        return response


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user are never stored by the browser or a proxy (ASVS 14.3.2).

    Clinic records must not stay in a shared workstation's disk cache or come back with the
    Back button after log-out. A response that set its own Cache-Control keeps it; static
    files (served by WhiteNoise before this runs, or under STATIC_URL) are left cacheable.
    Must sit after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _signed_in(request)
        response = self.get_response(request)
        if (
            (signed_in or _signed_in(request))
            and not response.has_header("Cache-Control")
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
