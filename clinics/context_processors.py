from clinics.policy import allowed_actions


def current_clinic(request):
    membership = getattr(request, "membership", None)
    return {
        "current_clinic": getattr(request, "clinic", None),
        "current_membership": membership,
        "perms_for": allowed_actions(membership),
    }
