from django.contrib.auth.backends import ModelBackend


class LockoutAwareBackend(ModelBackend):
    """Django's model backend, refusing accounts locked after repeated failed sign-ins."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "locked_at", None) is None
