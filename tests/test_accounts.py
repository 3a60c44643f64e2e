"""A user's role and cities are read where they are set, on each request
(`accounts.roles`): every change to the groups or the assigned cities, however it
is written, holds from the user's next request on."""

import datetime
import re
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Profile
from villages.models import City

from .conftest import make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


def village_status(client, village):
    return client.get(reverse("overview:village", args=[village.pk])).status_code


def dinas_group():
    return Group.objects.get(name="dinas")


def pontianak():
    return City.objects.get(code="61.71")


def rename_group(name, new_name):
    group = Group.objects.get(name=name)
    group.name = new_name
    group.save()


REVOKE_ROLE = {
    "user.groups.remove": lambda user: user.groups.remove(dinas_group()),
    "user.groups.clear": lambda user: user.groups.clear(),
    "user.groups.set": lambda user: user.groups.set([Group.objects.get(name="kelurahan")]),
    "group.user_set.remove": lambda user: dinas_group().user_set.remove(user),
    "group.user_set.clear": lambda user: dinas_group().user_set.clear(),
    "group renamed": lambda user: (
        Group.objects.filter(name="dinas")
        .get()
        .__class__.save(Group(pk=dinas_group().pk, name="dinas lama"))
    ),
    "group deleted": lambda user: dinas_group().delete(),
}


@pytest.mark.parametrize("revoke", REVOKE_ROLE.values(), ids=REVOKE_ROLE.keys())
def test_a_dinas_officer_taken_out_of_the_group_loses_the_role(
    client, dinas, village_sungaibangkong, revoke
):
    client.force_login(dinas)
    assert client.get(reverse("villages:edit", args=[village_sungaibangkong.pk])).status_code == 200
    revoke(dinas)
    assert client.get(reverse("villages:edit", args=[village_sungaibangkong.pk])).status_code in {
        403,
        404,
    }
    assert client.get(reverse("training:list")).status_code == 404  # no wide reader any more


GRANT_ROLE = {
    "user.groups.add": lambda user: user.groups.add(dinas_group()),
    "group.user_set.add": lambda user: dinas_group().user_set.add(user),
}


@pytest.mark.parametrize("grant", GRANT_ROLE.values(), ids=GRANT_ROLE.keys())
def test_a_user_put_in_the_group_gets_the_role(client, village_sungaibangkong, grant):
    user = make_user("baru", "kelurahan", cities=["61.71"])
    user.groups.clear()
    client.force_login(user)
    assert village_status(client, village_sungaibangkong) == 404
    grant(user)
    assert village_status(client, village_sungaibangkong) == 200


REVOKE_CITY = {
    "profile.cities.remove": lambda profile: profile.cities.remove(pontianak()),
    "profile.cities.clear": lambda profile: profile.cities.clear(),
    "profile.cities.set": lambda profile: profile.cities.set(City.objects.filter(code="35.75")),
    "city.profiles.remove": lambda profile: pontianak().profiles.remove(profile),
    "city.profiles.clear": lambda profile: pontianak().profiles.clear(),
}


@pytest.mark.parametrize("revoke", REVOKE_CITY.values(), ids=REVOKE_CITY.keys())
def test_a_city_taken_from_a_dinas_officer_is_out_of_reach(
    client, dinas, village_sungaibangkong, revoke
):
    client.force_login(dinas)
    assert village_status(client, village_sungaibangkong) == 200
    revoke(dinas.profile)
    assert village_status(client, village_sungaibangkong) == 404
    assert village_sungaibangkong.name not in client.get(reverse("villages:list")).content.decode()


GRANT_CITY = {
    "profile.cities.add": lambda profile: profile.cities.add(pontianak()),
    "city.profiles.add": lambda profile: pontianak().profiles.add(profile),
}


@pytest.mark.parametrize("grant", GRANT_CITY.values(), ids=GRANT_CITY.keys())
def test_a_city_given_to_a_dinas_officer_is_in_reach(
    client, dinas_pasuruan, village_sungaibangkong, grant
):
    client.force_login(dinas_pasuruan)
    assert village_status(client, village_sungaibangkong) == 404
    grant(dinas_pasuruan.profile)
    assert village_status(client, village_sungaibangkong) == 200


def change_in_admin(admin_client, user, *, group, **area):
    """Save `user` in the admin's user form with one `group` and the `area` given
    (profile fields: cities, districts, kelurahan, as pk lists)."""
    profile_fields = {f"profile-0-{field}": pks for field, pks in area.items()}
    return admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "is_active": "on",
            "groups": [Group.objects.get(name=group).pk],
            "date_joined_0": "2024-01-01",
            "date_joined_1": "08:00:00",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": user.profile.pk,
            "profile-0-user": user.pk,
            **profile_fields,
        },
    )


def test_the_admin_changing_groups_and_cities_takes_effect(
    client, admin_client, dinas, village_sungaibangkong
):
    client.force_login(dinas)
    assert village_status(client, village_sungaibangkong) == 200
    pasuruan = City.objects.get(code="35.75")
    response = change_in_admin(admin_client, dinas, group="dinas", cities=[pasuruan.pk])
    assert response.status_code == 302
    assert village_status(client, village_sungaibangkong) == 404

    kelurahan = [village_sungaibangkong.kelurahan_id]
    response = change_in_admin(admin_client, dinas, group="kelurahan", kelurahan=kelurahan)
    assert response.status_code == 302
    assert client.get(reverse("training:list")).status_code == 404  # now a kelurahan officer
    assert village_status(client, village_sungaibangkong) == 200


def test_groups_and_cities_written_straight_into_their_tables_take_effect_at_once(
    client, dinas, dinas_pasuruan, village_sungaibangkong
):
    client.force_login(dinas_pasuruan)
    assert village_status(client, village_sungaibangkong) == 404
    Profile.cities.through.objects.create(profile=dinas_pasuruan.profile, city=pontianak())
    assert village_status(client, village_sungaibangkong) == 200
    User.groups.through.objects.filter(user=dinas_pasuruan).delete()  # no role left
    assert village_status(client, village_sungaibangkong) == 404
    assert client.get(reverse("training:list")).status_code == 404


CITY_NAMES = [
    'Kota "Satu", <b>&amp;</b>',
    "Kota \\ Dua \u00e9\u2013\U0001f600",
    "=SUM(A1)",
    "x" * 100,  # the longest a name may be
]


def test_the_kota_filter_names_the_cities_read_with_the_user_as_they_are_written(client):
    """The cities come with the user, as JSON built by the database: quotes,
    backslashes, markup and the longest names come back whole, escaped once on the
    page, in the order of their codes, renamed from the next request on."""
    cities = [City.objects.create(code=f"99.{90 + i}", name=n) for i, n in enumerate(CITY_NAMES)]
    client.force_login(make_user("dinas.banyak", "dinas", cities=[c.code for c in cities]))
    page = client.get(reverse("villages:list")).content.decode()
    kota = page[page.index('id="kota"') : page.index("</select>", page.index('id="kota"'))]
    names = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', kota)
    assert names == [("", "Semua")] + [(c.code, escape(c.name)) for c in cities]
    City.objects.filter(pk=cities[0].pk).update(name="Kota Baru")
    assert "Kota Baru</option>" in client.get(reverse("villages:list")).content.decode()


def test_a_user_without_a_profile_has_their_role_but_no_area(client, dinas, village_sungaibangkong):
    Profile.objects.filter(user=dinas).delete()
    client.force_login(dinas)
    assert client.get(reverse("training:list")).status_code == 200  # dinas by group
    assert village_status(client, village_sungaibangkong) == 404  # but no city


def test_the_first_role_group_decides_for_a_user_in_several(client, camat, village_sungaibangkong):
    client.force_login(camat)
    assert client.get(reverse("villages:edit", args=[village_sungaibangkong.pk])).status_code == 403
    camat.groups.add(dinas_group())
    camat.profile.cities.add(pontianak())
    assert client.get(reverse("villages:edit", args=[village_sungaibangkong.pk])).status_code == 200


@pytest.mark.parametrize(
    "name", ["training:detail", "training:participants", "training:attendance"]
)
def test_an_event_of_another_city_is_not_found(client, dinas_pasuruan, name):
    event = make_event("61.71")
    client.force_login(dinas_pasuruan)
    assert client.get(reverse(name, args=[event.pk])).status_code == 404
    dinas_pasuruan.profile.cities.add(pontianak())
    assert client.get(reverse(name, args=[event.pk])).status_code == 200


def test_a_village_of_another_city_cannot_be_changed(
    client, dinas_pasuruan, village_sungaibangkong
):
    client.force_login(dinas_pasuruan)
    url = reverse("villages:edit", args=[village_sungaibangkong.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Diubah"}).status_code == 404


# Django's own database sessions, with its checks of the user against the session.


def sign_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "kata-sandi-uji-123"}
    )
    assert response.status_code == 302, response.content.decode()


def dashboard_status(client):
    return client.get(reverse("overview:dashboard")).status_code


def test_a_page_reads_the_session_and_the_user_with_their_role_and_area_once(
    client, dinas, django_assert_num_queries
):
    sign_in(client, dinas)
    # the session; the user with their profile; their groups. The layout asks for the
    # role several times, and reads nothing more.
    with django_assert_num_queries(3):
        assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_the_probes_answer_without_reading_the_session(client, dinas, django_assert_num_queries):
    sign_in(client, dinas)
    with django_assert_num_queries(0):
        assert client.get(reverse("alive")).status_code == 200


@pytest.mark.parametrize("seconds, status", [(-1, 302), (60, 200)])
def test_a_session_lives_until_its_expiry(client, dinas, seconds, status):
    sign_in(client, dinas)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=seconds))
    assert dashboard_status(client) == status


def test_signing_out_deletes_the_session(client, dinas):
    sign_in(client, dinas)
    client.post(reverse("accounts:logout"))
    assert not Session.objects.exists()
    assert dashboard_status(client) == 302


def test_a_copied_session_cookie_is_useless_after_signing_out(client, dinas):
    sign_in(client, dinas)
    copied = Client()
    copied.cookies = SimpleCookie(client.cookies)
    assert dashboard_status(copied) == 200
    client.post(reverse("accounts:logout"))
    assert dashboard_status(copied) == 302


CHANGED_ELSEWHERE = {
    "password changed": lambda user: (user.set_password("kata-sandi-baru-456"), user.save()),
    "deactivated": lambda user: User.objects.filter(pk=user.pk).update(is_active=False),
}


@pytest.mark.parametrize("change", CHANGED_ELSEWHERE.values(), ids=CHANGED_ELSEWHERE.keys())
def test_a_user_changed_elsewhere_is_signed_out_at_the_next_request(client, dinas, change):
    sign_in(client, dinas)
    assert dashboard_status(client) == 200
    change(User.objects.get(pk=dinas.pk))
    assert dashboard_status(client) == 302


def test_each_request_reads_the_user_afresh(client, dinas):
    sign_in(client, dinas)
    client.get(reverse("overview:dashboard"))
    User.objects.filter(pk=dinas.pk).update(first_name="Rina")
    assert "Rina" in client.get(reverse("overview:dashboard")).content.decode()


def test_users_signed_in_by_turns_each_see_themselves(client, dinas, dinas_pasuruan):
    """Requests served one after another by one worker thread."""
    other_client = Client()
    sign_in(client, dinas)
    sign_in(other_client, dinas_pasuruan)
    for _ in range(2):
        assert "dinas.pontianak" in client.get(reverse("overview:dashboard")).content.decode()
        assert "dinas.pasuruan" in other_client.get(reverse("overview:dashboard")).content.decode()
    assert dashboard_status(Client()) == 302


def test_a_deleted_user_is_signed_out(client, dinas):
    sign_in(client, dinas)
    dinas.delete()
    assert dashboard_status(client) == 302


def test_clearsessions_removes_expired_sessions_and_keeps_live_ones(client, dinas):
    sign_in(client, dinas)
    expired = Client()
    sign_in(expired, dinas)
    Session.objects.filter(session_key=expired.cookies[settings.SESSION_COOKIE_NAME].value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("clearsessions")
    assert Session.objects.count() == 1
    assert dashboard_status(client) == 200
    assert dashboard_status(expired) == 302
