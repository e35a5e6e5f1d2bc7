import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from aircop.core import visibility
from aircop.network.models import Membership, Unit


def test_model_without_policy_cannot_be_read(user_named):
    with pytest.raises(visibility.NoVisibilityPolicy):
        visibility.visible_to(ContentType, user_named("officer-lfw"))


def test_anonymous_and_inactive_users_see_nothing(user_named):
    assert not visibility.visible_to(Unit, AnonymousUser()).exists()
    user = user_named("officer-lfw")
    user.is_active = False
    assert not visibility.visible_to(Membership, user).exists()


def test_get_visible_or_404_hides_existence(user_named):
    officer = user_named("officer-lfw")
    other = Membership.objects.get(user__username="officer-acc")
    with pytest.raises(Http404):
        visibility.get_visible_or_404(Membership, officer, pk=other.pk)
    own = Membership.objects.get(user=officer)
    assert visibility.get_visible_or_404(Membership, officer, pk=own.pk) == own


def test_every_protected_model_has_a_policy():
    names = {m.__name__ for m in visibility.registered_models()}
    assert {"User", "ApiToken", "Membership", "Unit", "AuditEntry"} <= names
    assert {"Alert", "Recipient", "Outcome", "Message", "Attachment", "ForwardRequest", "Event"} <= names
