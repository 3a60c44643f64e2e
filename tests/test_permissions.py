"""Who gets what: every URL of the project × every role.

The URL list comes from the resolver, so a new URL without a rule here fails
`test_every_url_has_a_rule`. Objects live in Sungaibangkong (Pontianak Kota):
inside the dinas officer's, the camat's and lurah Sungaibangkong's scope, outside
lurah Karangketug's.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "admin", "dinas", "camat", "lurah_sb", "lurah_kk"]


def expect(admin, dinas, camat, lurah_sb, lurah_kk, anonymous=302):
    return dict(zip(ROLES, [anonymous, admin, dinas, camat, lurah_sb, lurah_kk], strict=True))


EVERYONE = expect(200, 200, 200, 200, 200)
EDITORS = expect(200, 200, 403, 403, 403)
WIDE_READERS = expect(200, 200, 200, 404, 404)
VILLAGE_READ = expect(200, 200, 200, 200, 404)
VILLAGE_CHANGE = expect(200, 200, 403, 403, 404)
VILLAGE_POST = expect(302, 302, 403, 403, 404)
DINAS_ONLY_OBJECT = expect(200, 200, 404, 404, 404)
POKJA_CHANGE = EVENT_CHANGE = expect(200, 200, 403, 404, 404)
EVENT_POST = expect(302, 302, 403, 404, 404)
PUBLIC = expect(200, 200, 200, 200, 200, anonymous=200)

#: url name -> (kwargs from the world, method, expected status per role)
RULES = {
    # A kelurahan officer with one village lands on its page; with none, on the dashboard.
    "overview:dashboard": (None, "get", expect(200, 200, 200, 302, 200)),
    "health": (None, "get", PUBLIC),
    "alive": (None, "get", PUBLIC),
    "set_language": (None, "post", expect(302, 302, 302, 302, 302, anonymous=302)),
    "accounts:login": (None, "get", expect(302, 302, 302, 302, 302, anonymous=200)),
    "accounts:logout": (None, "post", expect(302, 302, 302, 302, 302)),
    "accounts:password_change": (None, "get", EVERYONE),
    "accounts:password_change_done": (None, "get", EVERYONE),
    "accounts:calendar": (None, "get", EVERYONE),
    "overview:calendar_feed": (
        "calendar_token",
        "get",
        expect(404, 404, 404, 404, 404, anonymous=404),
    ),
    "villages:list": (None, "get", EVERYONE),
    "villages:export": (None, "get", EVERYONE),
    "villages:levels": (None, "get", EVERYONE),
    "villages:portal_export": (None, "get", EVERYONE),
    "villages:village_portal_export": ("village", "get", VILLAGE_READ),
    "villages:create": (None, "get", EDITORS),
    "overview:village": ("village", "get", VILLAGE_READ),
    "villages:edit": ("village", "get", VILLAGE_CHANGE),
    "villages:history": ("village", "get", VILLAGE_CHANGE),
    "villages:override": ("village", "get", VILLAGE_CHANGE),
    "villages:snapshot_create": ("village", "get", VILLAGE_CHANGE),
    "villages:snapshot_edit": ("snapshot", "get", VILLAGE_CHANGE),
    "villages:manager_create": ("village", "get", VILLAGE_CHANGE),
    "villages:manager_edit": ("manager", "get", VILLAGE_CHANGE),
    "villages:activity_list": ("village", "get", VILLAGE_READ),
    "villages:activity_create": ("village", "get", VILLAGE_CHANGE),
    "villages:activity": ("activity", "get", VILLAGE_READ),
    "villages:activity_edit": ("activity", "get", VILLAGE_CHANGE),
    "villages:activity_delete": ("activity", "post", VILLAGE_POST),
    "villages:activity_photo": ("photo", "get", VILLAGE_READ),
    "villages:person_list": (None, "get", EDITORS),
    "villages:person_search": (None, "get", EDITORS),
    "villages:person_create": (None, "get", EDITORS),
    "overview:person": ("person", "get", DINAS_ONLY_OBJECT),
    "villages:person_edit": ("person", "get", DINAS_ONLY_OBJECT),
    "villages:pokja_list": (None, "get", WIDE_READERS),
    "villages:pokja": ("pokja", "get", WIDE_READERS),
    "villages:pokja_member_create": ("pokja", "get", POKJA_CHANGE),
    "villages:pokja_member_edit": ("pokja_member", "get", POKJA_CHANGE),
    "villages:agency_list": (None, "get", WIDE_READERS),
    "overview:agency": ("agency", "get", WIDE_READERS),
    "villages:month_sheet": (None, "get", WIDE_READERS),
    "villages:profile_copy": (None, "post", expect(302, 302, 403, 403, 403)),
    "villages:profile_export": (None, "get", EDITORS),
    "villages:person_export": (None, "get", EDITORS),
    "villages:import": ("import_kind", "get", EDITORS),
    "training:list": (None, "get", WIDE_READERS),
    "training:create": (None, "get", EDITORS),
    "training:verify": (None, "get", PUBLIC),
    "training:detail": ("event", "get", WIDE_READERS),
    "training:participants": ("event", "get", WIDE_READERS),
    "training:participants_xlsx": ("event", "get", WIDE_READERS),
    "training:summary": ("event", "get", WIDE_READERS),
    "training:cards_pdf": ("event", "get", WIDE_READERS),
    "training:calendar": ("event", "get", WIDE_READERS),
    "training:certificates_pdf": ("event", "get", WIDE_READERS),
    "training:attendance_pdf": ("event", "get", WIDE_READERS),
    "training:edit": ("event", "get", EVENT_CHANGE),
    "training:event_activities": ("event", "get", EVENT_CHANGE),
    "training:event_activity": ("event_village", "get", EVENT_CHANGE),
    "training:history": ("event", "get", EVENT_CHANGE),
    "training:next_phase": ("event", "get", EVENT_CHANGE),
    "training:register": ("event", "get", EVENT_CHANGE),
    "training:register_search": ("event", "get", EVENT_CHANGE),
    "training:register_bulk": ("event", "get", EVENT_CHANGE),
    "training:attendance": ("event", "get", EVENT_CHANGE),
    "training:checkin": ("event", "get", EVENT_CHANGE),
    "training:attendance_roster": ("event", "get", EVENT_CHANGE),
    # an empty body is no list of marks: 400 for those who may send one
    "training:attendance_receive": ("event", "post", expect(400, 400, 403, 404, 404)),
    "training:offline_worker": (None, "get", EVERYONE),
    "training:substitute": ("registration", "get", EVENT_CHANGE),
    "training:cancel": ("registration", "post", EVENT_POST),
    "training:certificates_issue": ("event", "post", EVENT_POST),
    "coaching:matrix": (None, "get", WIDE_READERS),
    "coaching:plan": (None, "get", WIDE_READERS),
    "coaching:report": (None, "get", WIDE_READERS),
    "coaching:needs": (None, "get", WIDE_READERS),
    "coaching:need_edit": ("need", "get", VILLAGE_CHANGE),
    "coaching:visit_create": ("village_pk", "get", VILLAGE_CHANGE),
    "coaching:visit": ("visit", "get", VILLAGE_READ),
    "coaching:visit_edit": ("visit", "get", VILLAGE_CHANGE),
    "coaching:visit_activity": ("visit", "get", VILLAGE_CHANGE),
    "coaching:visit_submit": ("visit", "post", VILLAGE_POST),
    "coaching:visit_verify": ("visit", "post", VILLAGE_POST),
    "coaching:visit_reopen": ("visit", "post", VILLAGE_POST),
}
#: Django's own admin guards itself (staff only); it is tested by Django.
SKIPPED_NAMESPACES = {"admin"}


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in SKIPPED_NAMESPACES:
                yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule():
    assert sorted(set(_names()) - set(RULES)) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_url_answers_role_as_expected(client, users, world, name, role):
    kwargs_key, method, expected = RULES[name]
    if users[role]:
        client.force_login(users[role])
    url = reverse(name, kwargs=world[kwargs_key] if kwargs_key else None)
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
    if response.status_code == 302 and role == "anonymous" and name != "set_language":
        assert response.url.startswith(reverse("accounts:login"))
