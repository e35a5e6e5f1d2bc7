def open_hits(request):
    """The number next to "Hits" in the navigation bar: open hits in my units' review queues.
    One COUNT query, and only for the roles that review hits (the others have no link)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from aircop.screening.selectors_hits import open_count
    from aircop.screening.services_hits import REVIEW_ROLES

    if user.role not in REVIEW_ROLES:
        return {}
    return {"open_hits": open_count(user)}
