"""What happened to a village's managers, its kelurahan's Pokja members and its
regions, for the one history component (kampungkb/history.py)."""

from django.utils.translation import gettext as _

from kampungkb.history import Related

from .models import Manager, PokjaMember


def village_related(village):
    """Manager appointments and endings of `village`, the seats of its kelurahan's
    Pokja, and Kemendagri's renames of its kelurahan, kecamatan and city."""
    kelurahan = village.kelurahan
    return [
        *(
            Related(
                type(region).history.filter(id=region.pk, history_type="~"),
                lambda record: f"{record.instance_type._meta.verbose_name} {record.name}",
            )
            for region in (kelurahan, kelurahan.district, kelurahan.district.city)
        ),
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
