"""What the portal's services refuse, in words for the person refused."""

from django.core.exceptions import ValidationError


class RequestClosed(ValidationError):
    """The request was withdrawn, has expired or was already submitted."""

    def __init__(self, supplier_request):
        if supplier_request.is_revoked:
            why = "The clinic has withdrawn this request."
        elif supplier_request.is_submitted:
            why = (
                "These answers were submitted already: the clinic will send a new request if "
                "it needs more."
            )
        else:
            why = "This request has expired."
        super().__init__(why, code="closed")
