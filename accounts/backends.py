from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import with_group_role


class ModelBackendWithRole(ModelBackend):
    """Django's ModelBackend, loading the signed-in user together with their role:
    one query on every request instead of two."""

    def get_user(self, user_id):
        users = with_group_role(get_user_model()._default_manager)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
