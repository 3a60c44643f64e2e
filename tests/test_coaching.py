"""Coaching: the year's plan, visits with needs carried forward, verification,
the coverage matrix and the monthly report."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from coaching import services
from coaching.models import CoachingPlan, CoachingVisit, Need, NeedUpdate
from coaching.services import Cell
from kampungkb.months import months_from
from villages.models import Agency, District, KampungKB

from .conftest import SIGNED_IN
from .factories import make_person, make_village

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2018, 4, 1)


def pontianak_kota():
    return District.objects.filter(code="61.71.05")


def test_plan_puts_each_active_village_once_in_each_month():
    first, second = make_village("61.71.05.1001"), make_village("61.71.05.1002")
    make_village("61.71.05.1003", status=KampungKB.Status.INACTIVE)
    make_village("61.71.03.1004")  # another kecamatan
    created, existing = services.plan_generate(districts=pontianak_kota(), first_month=APRIL)
    assert (created, existing) == (24, 0)
    for village in (first, second):
        months = sorted(village.coaching_plans.values_list("month", flat=True))
        assert months == months_from(APRIL)
    assert all(
        p.planned_date.month == p.month.month and p.planned_date.weekday() < 5
        for p in CoachingPlan.objects.all()
    )


def test_generating_the_plan_again_adds_nothing():
    make_village("61.71.05.1001")
    services.plan_generate(districts=pontianak_kota(), first_month=APRIL)
    assert services.plan_generate(districts=pontianak_kota(), first_month=APRIL) == (0, 12)
    assert CoachingPlan.objects.count() == 12


def visit_data(village, date="2018-04-10", **extra):
    """What the browser posts: the two empty new-need forms keep their default priority."""
    return {
        "kampung": village.pk,
        "date": date,
        "topics": "Penguatan Pokja",
        "new-TOTAL_FORMS": "2",
        "new-INITIAL_FORMS": "0",
        "new-0-priority": "sedang",
        "new-1-priority": "sedang",
        **extra,
    }


def test_a_need_raised_at_a_visit_is_carried_to_the_next_until_met(client, dinas):
    village = make_village()
    dinkes = Agency.objects.get(abbreviation="DINKES")
    client.force_login(dinas)
    create = reverse("coaching:visit_create", args=[village.pk])
    client.post(
        create,
        visit_data(
            village,
            **{
                "new-0-category": "sarana",
                "new-0-description": "Timbangan posyandu",
                "new-0-priority": "tinggi",
                "new-0-agency": dinkes.pk,
            },
        ),
    )
    need = Need.objects.get()
    assert (need.agency, need.status) == (dinkes, Need.Status.ASSIGNED)

    second_form = client.get(create)
    assert "Timbangan posyandu" in second_form.content.decode()
    client.post(
        create,
        visit_data(
            village,
            "2018-05-09",
            **{f"need-{need.pk}-status": "in_progress", f"need-{need.pk}-note": "Diusulkan Dinkes"},
        ),
    )
    need.refresh_from_db()
    assert need.status == Need.Status.IN_PROGRESS

    client.post(
        create,
        visit_data(
            village,
            "2018-06-12",
            **{f"need-{need.pk}-status": "met", f"need-{need.pk}-note": "Timbangan diterima"},
        ),
    )
    need.refresh_from_db()
    assert need.status == Need.Status.MET
    assert list(need.updates.values_list("status", flat=True)) == ["in_progress", "met"]
    assert "Timbangan posyandu" not in client.get(create).content.decode()


def test_a_visit_form_with_errors_keeps_the_input(client, dinas):
    village = make_village()
    client.force_login(dinas)
    response = client.post(
        reverse("coaching:visit_create", args=[village.pk]),
        visit_data(village, date="bukan tanggal", findings="Kader aktif 5"),
    )
    page = response.content.decode()
    assert "Masukkan tanggal yang valid" in page
    assert "Kader aktif 5" in page
    assert not CoachingVisit.objects.exists()


def test_a_visit_attaches_itself_to_the_month_plan(client, dinas):
    village = make_village()
    services.plan_generate(districts=pontianak_kota(), first_month=APRIL)
    client.force_login(dinas)
    client.post(reverse("coaching:visit_create", args=[village.pk]), visit_data(village))
    assert CoachingVisit.objects.get().plan == CoachingPlan.objects.get(month=APRIL)


def make_visit(village, date=datetime.date(2018, 4, 10), **fields):
    return CoachingVisit.objects.create(kampung=village, date=date, **fields)


def test_verification_locks_the_visit(client, dinas, village_sungaibangkong):
    visit = make_visit(village_sungaibangkong, findings="Asli")
    client.force_login(dinas)
    client.post(reverse("coaching:visit_submit", args=[visit.pk]))
    client.post(reverse("coaching:visit_verify", args=[visit.pk]))
    visit.refresh_from_db()
    assert (visit.status, visit.verified_by) == (CoachingVisit.Status.VERIFIED, dinas)
    response = client.post(
        reverse("coaching:visit_edit", args=[visit.pk]),
        visit_data(village_sungaibangkong, findings="Diubah"),
        follow=True,
    )
    assert "terkunci" in response.content.decode()
    visit.refresh_from_db()
    assert visit.findings == "Asli"


def test_reopening_needs_a_reason_and_unlocks(client, dinas, village_sungaibangkong):
    visit = make_visit(village_sungaibangkong, status=CoachingVisit.Status.VERIFIED)
    client.force_login(dinas)
    client.post(reverse("coaching:visit_reopen", args=[visit.pk]), {"reason": ""})
    visit.refresh_from_db()
    assert visit.status == CoachingVisit.Status.VERIFIED
    client.post(reverse("coaching:visit_reopen", args=[visit.pk]), {"reason": "Temuan salah ketik"})
    visit.refresh_from_db()
    assert visit.status == CoachingVisit.Status.DRAFT
    assert visit.history.first().history_change_reason == "Temuan salah ketik"


def test_only_dinas_verifies(client, camat, village_sungaibangkong):
    visit = make_visit(village_sungaibangkong, status=CoachingVisit.Status.SUBMITTED)
    client.force_login(camat)
    assert client.post(reverse("coaching:visit_verify", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert visit.status == CoachingVisit.Status.SUBMITTED


def test_a_draft_cannot_be_verified_without_submission(client, dinas, village_sungaibangkong):
    visit = make_visit(village_sungaibangkong)
    client.force_login(dinas)
    response = client.post(reverse("coaching:visit_verify", args=[visit.pk]), follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == CoachingVisit.Status.DRAFT


# -- matrix -------------------------------------------------------------------------------


def test_matrix_marks_a_planned_past_month_without_visit_as_missed():
    village = make_village()
    services.plan_generate(districts=pontianak_kota(), first_month=APRIL, months=4)
    make_visit(village, datetime.date(2018, 4, 10), status=CoachingVisit.Status.VERIFIED)
    make_visit(village, datetime.date(2018, 5, 10))
    today = datetime.date(2018, 7, 15)
    [row] = services.coverage_rows([village], months_from(APRIL), today)
    assert row.cells[:5] == [Cell.VERIFIED, Cell.DONE, Cell.MISSED, Cell.PLANNED, Cell.NONE]


def test_kecamatan_totals_count_plans_visited_plans_and_missed_ones():
    """Four months planned in two kecamatan, seen in July: a plan whose visit was made
    counts as visited, a past plan without one as missed; a visit that answers no plan
    counts for neither, and the months to come are planned only."""
    kota = make_village("61.71.05.1001")
    selatan = make_village("61.71.01.1002")
    services.plan_generate(districts=District.objects.filter(code__in=["61.71.05", "61.71.01"]),
                           first_month=APRIL, months=4)  # fmt: skip
    april_plan = kota.coaching_plans.get(month=APRIL)
    make_visit(kota, datetime.date(2018, 4, 9), plan=april_plan)
    make_visit(selatan, datetime.date(2018, 5, 9))  # no plan of May named
    months, july = months_from(APRIL), datetime.date(2018, 7, 2)
    districts = [kota.kelurahan.district, selatan.kelurahan.district]
    assert services.district_totals(districts, months, july) == [
        ("Pontianak Kota", 4, 1, 2),
        ("Pontianak Selatan", 4, 0, 3),
    ]
    [row] = services.coverage_rows([selatan], months, july)
    assert row.cells[:4] == [Cell.MISSED, Cell.DONE, Cell.MISSED, Cell.PLANNED]


def test_matrix_page_shows_states_in_words_too(client, dinas):
    village = make_village()
    services.plan_generate(districts=pontianak_kota(), first_month=APRIL, months=1)
    client.force_login(dinas)
    page = client.get(reverse("coaching:matrix"), {"mulai": "2018-04"}).content.decode()
    assert village.name in page
    assert '<span class="visually-hidden">Terlewat</span>' in page


@pytest.mark.parametrize("size", [3, 30])
def test_matrix_queries_do_not_grow(client, dinas, django_assert_max_num_queries, size):
    for _ in range(size):
        make_village("61.71.05.1002")
    services.plan_generate(districts=pontianak_kota(), first_month=APRIL)
    client.force_login(dinas)
    url = reverse("coaching:matrix") + "?mulai=2018-04"
    # what every signed-in page reads, the kota and kecamatan of the filter, the count
    # of the city's active villages, the page of them, their plans, their visits, and
    # the totals of their kecamatan
    with django_assert_max_num_queries(SIGNED_IN + 7):
        assert client.get(url).status_code == 200


def test_the_matrix_pages_follow_villages_leaving_and_joining_the_active(client, dinas):
    """The matrix numbers its pages from the city's figure, which a village set
    inactive or active again in any way retires: by `update()` and by a save."""
    villages = [make_village("61.71.05.1002", name=f"Kampung KB {n:02d}") for n in range(51)]
    client.force_login(dinas)

    def pages():
        page = client.get(reverse("coaching:matrix"), {"mulai": "2018-04"}).content.decode()
        return re.search(r"Halaman 1 dari (\d+)", page)[1] if "Halaman 1" in page else "1"

    assert pages() == "2"
    KampungKB.objects.filter(pk=villages[0].pk).update(status=KampungKB.Status.INACTIVE)
    assert pages() == "1"
    villages[0].refresh_from_db()
    villages[0].status = KampungKB.Status.ACTIVE
    villages[0].save()
    assert pages() == "2"


@pytest.mark.parametrize("needs", [1, 15])
def test_visit_form_queries_do_not_grow_with_open_needs(
    client, dinas, needs, django_assert_max_num_queries
):
    village = make_village()
    for n in range(needs):
        Need.objects.create(kampung=village, category="data", description=f"Kebutuhan {n}")
    client.force_login(dinas)
    # what every signed-in page reads, the village, open needs, team choices, agencies
    # (the visit's, once for every new need's row), and what the new visit starts
    # from: this month's plan and the last visit
    with django_assert_max_num_queries(SIGNED_IN + 7):
        response = client.get(reverse("coaching:visit_create", args=[village.pk]))
    assert response.content.decode().count("Kebutuhan ") >= needs


# -- report -------------------------------------------------------------------------------


def test_monthly_report_counts_match_the_data(client, dinas):
    first, second = make_village("61.71.05.1001"), make_village("61.71.05.1002")
    make_village("61.71.03.1004")  # another kecamatan, must not count
    services.plan_generate(
        districts=District.objects.filter(code__in=["61.71.05", "61.71.03"]),
        first_month=APRIL,
        months=1,
    )
    visit = make_visit(first, datetime.date(2018, 4, 10), findings="Rumah DataKu belum ada")
    Need.objects.create(kampung=first, raised_at=visit, category="sarana", description="Komputer")
    old = Need.objects.create(
        kampung=second, category="data", description="Data PUS", status=Need.Status.MET
    )
    NeedUpdate.objects.create(need=old, date=datetime.date(2018, 4, 20), status="met")
    report = services.monthly_report(district=pontianak_kota().get(), month=APRIL)
    assert (report.planned, len(report.visits), report.missed) == (2, 1, 1)
    assert [n.description for n in report.needs_opened] == ["Komputer"]
    assert [n.description for n in report.needs_met] == ["Data PUS"]

    client.force_login(dinas)
    url = reverse("coaching:report")
    params = {"kecamatan": "61.71.05", "mulai": "2018-04"}
    assert "Rumah DataKu belum ada" in client.get(url, params).content.decode()
    pdf = client.get(url, {**params, "format": "pdf"}).content
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Kunjungan: 1 dari 2 rencana" in text
    sheet = load_workbook(BytesIO(client.get(url, {**params, "format": "xlsx"}).content))
    assert sheet["Kebutuhan baru"]["C2"].value == "Komputer"


def test_agency_page_lists_the_needs_assigned_to_it(client, dinas):
    village = make_village()
    dinkes = Agency.objects.get(abbreviation="DINKES")
    Need.objects.create(kampung=village, category="sarana", description="Timbangan", agency=dinkes)
    client.force_login(dinas)
    assert "Timbangan" in client.get(dinkes.get_absolute_url()).content.decode()


def test_need_list_filters_overdue_by_agency(client, dinas):
    village = make_village()
    dinkes = Agency.objects.get(abbreviation="DINKES")
    Need.objects.create(
        kampung=village,
        category="sarana",
        description="Lewat",
        agency=dinkes,
        due_date=datetime.date(2020, 1, 1),
    )
    Need.objects.create(
        kampung=village,
        category="sarana",
        description="Belum",
        agency=dinkes,
        due_date=datetime.date(2999, 1, 1),
    )
    client.force_login(dinas)
    page = client.get(reverse("coaching:needs"), {"agency": dinkes.pk, "overdue": "1"})
    assert "Lewat" in page.content.decode() and "Belum" not in page.content.decode()


def test_need_list_narrows_to_the_chosen_kota(client, admin_user):
    for code, description in [("61.71.05.1001", "Timbangan"), ("35.75.01.1001", "Tensimeter")]:
        Need.objects.create(kampung=make_village(code), category="sarana", description=description)
    client.force_login(admin_user)
    page = client.get(reverse("coaching:needs"), {"kota": "35.75"}).content.decode()
    assert "Tensimeter" in page and "Timbangan" not in page


def test_dashboard_counts_visits_due_and_open_needs(client, dinas):
    village = make_village()
    today = datetime.date.today()
    services.plan_generate(districts=pontianak_kota(), first_month=today.replace(day=1), months=1)
    Need.objects.create(kampung=village, category="data", description="Data")
    client.force_login(dinas)
    response = client.get(reverse("overview:dashboard"))
    figures = response.context["figures"]
    assert (figures.visits_due, figures.open_needs) == (1, 1)


def test_lurah_sees_visits_and_open_needs_on_the_village_page(
    client, lurah_sungaibangkong, village_sungaibangkong
):
    make_visit(village_sungaibangkong, findings="x")
    Need.objects.create(kampung=village_sungaibangkong, category="data", description="Data PUS")
    client.force_login(lurah_sungaibangkong)
    page = client.get(village_sungaibangkong.get_absolute_url()).content.decode()
    assert "Data PUS" in page and "10 Apr 2018" in page
    assert reverse("coaching:visit_create", args=[village_sungaibangkong.pk]) not in page


def test_team_choices_are_the_city_staff(client, dinas):
    village = make_village()
    make_person(name="Musa")  # dinas staff: no kelurahan
    make_person(name="Warga", kelurahan=village.kelurahan)
    client.force_login(dinas)
    page = client.get(reverse("coaching:visit_create", args=[village.pk])).content.decode()
    assert "Musa" in page and "Warga" not in page


def test_visit_page_shows_its_history_to_dinas(client, dinas, village_sungaibangkong):
    visit = make_visit(village_sungaibangkong, status=CoachingVisit.Status.SUBMITTED)
    client.force_login(dinas)
    client.post(reverse("coaching:visit_verify", args=[visit.pk]))
    page = client.get(visit.get_absolute_url()).content.decode()
    history = page[page.index("Riwayat perubahan") :]
    assert "<del>Diajukan</del> → <ins>Terverifikasi</ins>" in history


def test_a_new_visit_starts_from_the_plan_and_the_last_visits_team(client, dinas):
    village = make_village()
    today = timezone.localdate()
    plan = CoachingPlan.objects.create(
        kampung=village, month=today.replace(day=1), planned_date=today.replace(day=1)
    )
    team = [make_person(name="Petugas Satu"), make_person(name="Petugas Dua")]
    earlier = CoachingVisit.objects.create(
        kampung=village, date=today - datetime.timedelta(days=40)
    )
    earlier.team.set(team)
    client.force_login(dinas)
    form = client.get(reverse("coaching:visit_create", args=[village.pk])).context["form"]
    assert form["date"].value() == plan.planned_date
    assert set(form["team"].value()) == {p.pk for p in team}


def test_a_first_visit_without_a_plan_starts_today_with_no_team(client, dinas):
    village = make_village()
    client.force_login(dinas)
    form = client.get(reverse("coaching:visit_create", args=[village.pk])).context["form"]
    assert form["date"].value() == timezone.localdate()
    assert not form["team"].value()
