"""Admin base class for audited models: the history is shown, never reverted or edited."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with revert switched off for real.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the revert button: the history form view still
    saves whatever is POSTed to it. Here that view is read-only whatever the setting says.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
