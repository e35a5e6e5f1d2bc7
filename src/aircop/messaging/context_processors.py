def unread_alerts(request):
    """The number in the navigation bar: alerts my units have not acknowledged yet."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from aircop.messaging.selectors import unread_count

    return {"unread_alerts": unread_count(user)}
