from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .sessions import user_loaded_with_session


class ProfileModelBackend(ModelBackend):
    """Django's backend, taking the signed-in user of each request with the profile,
    whose role and cities `accounts.roles` then reads without a query: as the session
    brought them (`accounts.sessions`), else in a query of their own."""

    def get_user(self, user_id):
        user = user_loaded_with_session(user_id)
        if user is None:
            User = get_user_model()
            try:
                user = User._default_manager.select_related("profile").get(pk=user_id)
            except User.DoesNotExist:
                return None
        return user if self.user_can_authenticate(user) else None
