from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import with_role_and_area


class RoleModelBackend(ModelBackend):
    """Django's backend, loading the signed-in user of each request with their groups
    and their profile's cities (`accounts.roles.with_role_and_area`)."""

    def get_user(self, user_id):
        users = with_role_and_area(get_user_model()._default_manager)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
