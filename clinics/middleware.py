from clinics.models import Membership

ACTIVE_CLINIC_SESSION_KEY = "active_clinic_id"


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
            memberships = Membership.objects.filter(user=user).select_related("clinic")
            chosen = request.session.get(ACTIVE_CLINIC_SESSION_KEY)
            membership = None
            if chosen:
                membership = memberships.filter(clinic_id=chosen).first()
            if membership is None:
                membership = memberships.order_by("created_at", "pk").first()
            if membership is not None:
                request.membership = membership
                request.clinic = membership.clinic
        return self.get_response(request)
