"""The signed-in member's notifications in the current clinic: the list, opening one (which
marks it read and goes to what it is about) and marking them all read. Changes are POSTs."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clinics.decorators import clinic_member_required
from core.listing import paginate
from notifications.models import Notification


def _own(request):
    """Only the user's own notifications, only in the current clinic: anything else is a 404."""
    return Notification.objects.for_clinic(request.clinic).for_user(request.user)


@clinic_member_required
def notification_list(request):
    notifications = _own(request)
    # Whether to offer "Mark all as read" comes from the navbar's count (nav_counts.unread).
    return render(request, "notifications/list.html", {"page": paginate(request, notifications)})


@clinic_member_required
@require_POST
def open_notification(request, pk):
    notification = get_object_or_404(_own(request), pk=pk)
    _own(request).filter(pk=notification.pk).mark_read()
    # Only a path inside the app: a stored URL never sends anyone to another site.
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@clinic_member_required
@require_POST
def mark_all_read(request):
    changed = _own(request).mark_read()
    if changed:
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications:list")
