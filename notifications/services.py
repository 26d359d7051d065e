"""Telling people about an assessment's review: an in-app notification and an email.

The assessment services call these right after their own transaction commits:

- `notify_submitted` — every practice manager of the clinic (but the submitter) is asked to
  review it;
- `notify_returned` — the author is told it came back, with the manager's comment;
- `notify_signed_off` — the author is told it was signed off.

Nobody is told about their own action, and only active members of the assessment's clinic
are ever told anything (someone who has left the clinic gets neither a notification nor an
email). The notifications are written in one transaction and each email is sent only once
that transaction commits (`transaction.on_commit`): a rolled-back write sends nothing. An
email that cannot be sent is logged and never undoes the notification or the action.

The assessment is taken duck-typed (clinic, created_by, product, document_id,
review_comment, pk, get_absolute_url()) so that this app never imports `assessments`
(the import contracts in pyproject.toml: assessments -> notifications -> clinics -> core).
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models, transaction

from clinics.models import Role
from notifications.models import Notification

logger = logging.getLogger("exocheck.notifications")

TITLE_MAX_CHARS = Notification._meta.get_field("title").max_length
URL_MAX_CHARS = Notification._meta.get_field("url").max_length


def absolute_link(path: str) -> str:
    """A link for an email: SITE_URL + path when SITE_URL is set, else the path alone (never
    the request's Host header)."""
    site_url = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{site_url}{path}" if site_url and path else path


def notify(
    *,
    clinic,
    recipients: Iterable | models.QuerySet,
    kind: str = Notification.Kind.GENERAL,
    title: str,
    body: str = "",
    url: str = "",
    exclude=None,
) -> list[Notification]:
    """One notification per recipient who is an active member of `clinic` (`exclude`, a user,
    is left out), and an email to each who has an address once the transaction commits."""
    users = _members_among(clinic, recipients, exclude=exclude)
    title = " ".join(title.split())[:TITLE_MAX_CHARS]
    url = url[:URL_MAX_CHARS]
    if not users:
        return []
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(clinic=clinic, recipient=user, kind=kind, title=title, body=body, url=url)
            for user in users
        )
        for notification in notifications:
            user = notification.recipient
            if user.email:
                transaction.on_commit(
                    partial(
                        _send_email,
                        user_id=user.pk,
                        to=user.email,
                        subject=f"{title} · ExoCheck",
                        message=_email_text(user, clinic, title=title, body=body, url=url),
                    )
                )
    return notifications


def notify_submitted(*, assessment, by) -> list[Notification]:
    """Ask every practice manager of the assessment's clinic, except `by`, to review it."""
    managers = get_user_model().objects.filter(
        memberships__clinic=assessment.clinic, memberships__role=Role.PRACTICE_MANAGER
    )
    return notify(
        clinic=assessment.clinic,
        recipients=managers,
        exclude=by,
        kind=Notification.Kind.SUBMITTED,
        title=f"{assessment.product} was submitted for review",
        body=(
            f"{_name(by)} submitted {assessment.document_id} ({assessment.product}) for review. "
            "Open it to sign it off or return it with a comment."
        ),
        url=assessment.get_absolute_url(),
    )


def notify_returned(*, assessment, by) -> list[Notification]:
    """Tell the author that `by` returned the assessment, with the manager's comment."""
    comment = (assessment.review_comment or "").strip()
    return notify(
        clinic=assessment.clinic,
        recipients=[assessment.created_by],
        exclude=by,
        kind=Notification.Kind.RETURNED,
        title=f"{assessment.product} was returned to you",
        body=(
            f"{_name(by)} returned {assessment.document_id} ({assessment.product}) "
            f"with this comment:\n\n{comment}\n\n"
            "Resume the assessment, make the changes and submit it again."
        ),
        url=assessment.get_absolute_url(),
    )


def notify_signed_off(*, assessment, by) -> list[Notification]:
    """Tell the author that `by` signed the assessment off."""
    return notify(
        clinic=assessment.clinic,
        recipients=[assessment.created_by],
        exclude=by,
        kind=Notification.Kind.SIGNED_OFF,
        title=f"{assessment.product} was signed off",
        body=(
            f"{_name(by)} signed off {assessment.document_id} ({assessment.product}). "
            "The signed PDF report is on the assessment's page."
        ),
        url=assessment.get_absolute_url(),
    )


def _members_among(clinic, recipients, *, exclude=None) -> list:
    """The recipients who are active members of `clinic`, each once, in one query."""
    if isinstance(recipients, models.QuerySet):
        wanted = recipients.values("pk")
    else:
        wanted = [user.pk for user in recipients if user is not None]
    users = get_user_model().objects.filter(
        pk__in=wanted, is_active=True, memberships__clinic=clinic
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users.distinct().order_by("pk"))


def _name(user) -> str:
    return str(user) if user is not None else "Someone"


def _email_text(user, clinic, *, title: str, body: str, url: str) -> str:
    lines = [f"Hello {_name(user)},", "", title, "", body]
    if url:
        lines += ["", f"Open it in ExoCheck: {absolute_link(url)}"]
    lines += [
        "",
        "—",
        f"ExoCheck, for {clinic}. You receive this because you are a member of {clinic}.",
    ]
    return "\n".join(lines) + "\n"


def _send_email(*, user_id: int, to: str, subject: str, message: str) -> None:
    """Runs after the commit: a mail server that is down is logged, never raised (the
    notification is already saved and the action that caused it is done)."""
    try:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    except Exception:
        logger.exception("Notification email to user %s could not be sent", user_id)
