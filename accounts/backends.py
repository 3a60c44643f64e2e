from django.contrib.auth.backends import ModelBackend

from .roles import user_with_role


class RoleModelBackend(ModelBackend):
    """Django's backend, loading the signed-in user of each request with their role
    and cities (`accounts.roles.user_with_role`) in the same query."""

    def get_user(self, user_id):
        user = user_with_role(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
