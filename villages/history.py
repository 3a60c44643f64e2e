"""What happened to a village's managers and its kelurahan's Pokja members, for the
one history component (kampungkb/history.py)."""

from django.utils.translation import gettext as _

from kampungkb.history import Related

from .models import Manager, PokjaMember


def village_related(village):
    """Manager appointments and endings of `village`, and the seats of its
    kelurahan's Pokja."""
    return [
        Related(
            Manager.history.filter(kampung_id=village.pk).select_related("person"),
            lambda record: _("Pengelola %(name)s") % {"name": record.person.name},
        ),
        Related(
            PokjaMember.history.filter(pokja__kelurahan=village.kelurahan_id).select_related(
                "person"
            ),
            lambda record: _("Anggota Pokja %(name)s") % {"name": record.person.name},
        ),
    ]
