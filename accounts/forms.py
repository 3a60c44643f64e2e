from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class BoundedUsername:
    """Django's sign-in form sets the username's `max_length` for the browser only:
    a longer name would still be tried, and the lockout (django-axes) records every
    name tried in a column of 255 characters. Here it is refused before it is tried."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


# Django's Indonesian "Masukkan nama pengguna %(username)s …" says "nama pengguna"
# twice once the field's own name is put in: the app says it once.
class LoginForm(BoundedUsername, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."),
    }


class AdminLoginForm(BoundedUsername, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah, atau akun ini bukan akun staf. "
            "Huruf besar dan kecil dibedakan."
        ),
    }
