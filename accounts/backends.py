from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import with_role


class RoleModelBackend(ModelBackend):
    """Django's backend, loading the signed-in user of each request with their role
    and cities (`accounts.roles.with_role`) in the same query."""

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = with_role(User._default_manager.all()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
