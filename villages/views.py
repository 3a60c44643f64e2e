from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import (
    can_edit,
    require_wide_reader,
    sees_full_nik,
    whole_cities,
)
from coaching.access import needs_visible_to
from coaching.models import Need
from kampungkb.downloads import download
from kampungkb.forms import save_or_render
from kampungkb.history import history_page, history_rows
from kampungkb.months import add_months, month_asked, months_from
from kampungkb.paging import filter_query, keyset_paginate, paginate
from training.history import person_related
from training.models import Registration

from . import excel, portal, services, share
from .access import (
    get_activity_for_user,
    get_agency_for_user,
    get_person_for_user,
    get_photo_for_user,
    get_pokja_for_user,
    get_village_for_user,
    get_village_page_for_user,
    persons_visible_to,
    pokja_visible_to,
    require_editor,
    villages_visible_to,
)
from .figures import city_level_counts, city_person_count
from .forms import (
    ActivityForm,
    ImportForm,
    LevelOverrideForm,
    ManagerForm,
    PersonForm,
    PhotoFormSet,
    PokjaMemberForm,
    SnapshotForm,
    VillageForm,
)
from .history import village_related
from .models import Agency, KampungKB, Level, PokjaMember
from .regions import RegionFilter


def _status(request):
    status = request.GET.get("status")
    return status if status in KampungKB.Status.values else None


def _filtered_villages(request, regions):
    villages = regions.apply(villages_visible_to(request.user))
    params = request.GET
    if status := _status(request):
        villages = villages.filter(status=status)
    if params.get("q"):
        villages = villages.filter(
            Q(name__icontains=params["q"]) | Q(kelurahan__name__icontains=params["q"])
        )
    return villages


def _by_level(villages, level):
    if level not in Level.values:
        return villages
    return villages.with_level().filter(effective_level=level)


def _level_counts(request, regions, villages):
    cities = regions.whole_cities()
    if cities is None or request.GET.get("q"):
        return villages.level_counts()
    return city_level_counts(cities, status=_status(request))


def village_list(request):
    regions = RegionFilter(request)
    villages = _filtered_villages(request, regions)
    level_counts = _level_counts(request, regions, villages)
    level = request.GET.get("level")
    # The counts per level already tell how many rows there are.
    count = sum(n for lvl, n in level_counts if level not in Level.values or lvl == level)
    villages = _by_level(villages, level).list_rows()
    context = {
        **keyset_paginate(request, villages, count=count),
        "params": request.GET,
        "filters": filter_query(request),
        "level_counts": level_counts,
        "regions": regions,
        "levels": Level.choices,
        "statuses": KampungKB.Status.choices,
    }
    return render(request, "villages/list.html", context)


def village_levels(request):
    """How many villages of one kecamatan stood at each level, month by month."""
    regions = RegionFilter(
        request, with_kelurahan=False, city_required=True, district_required=True
    )
    villages = regions.apply(villages_visible_to(request.user))
    months = months_from(_first_of_twelve(request))
    counts = services.levels_by_month(villages, months)
    total = villages.count()
    chart = {
        "labels": [f"{month:%m/%Y}" for month in months],
        "datasets": [
            {"label": str(level.label), "data": [counts[month][level] for month in months]}
            for level in Level
        ],
        "suggestedMax": total,
        "counts": True,  # whole villages: no 0.5 on the axis
    }
    context = {
        "regions": regions,
        "rows": [
            (month, [counts[month][level] for level in Level], total - counts[month].total())
            for month in months
        ],
        "levels": list(Level),
        "total": total,
        "chart": chart,
        "start": months[0],
    }
    return render(request, "villages/levels.html", context)


def _first_of_twelve(request):
    """?mulai=YYYY-MM, else the month that makes this month the twelfth."""
    return month_asked(request.GET, add_months(timezone.localdate(), -11))


def village_export(request):
    villages = _filtered_villages(request, RegionFilter(request))
    villages = _by_level(villages, request.GET.get("level"))
    return download(excel.stream_village_export(villages), "kampung-kb.xlsx")


def portal_export(request):
    """The villages of the list's filters in the portal's layout (`portal.py`), for
    one city at most: the first of the user's where none is chosen."""
    regions = RegionFilter(request, city_required=True)
    villages = _by_level(_filtered_villages(request, regions), request.GET.get("level"))
    workbook = portal.portal_workbook(villages, month_asked(request.GET, None, name="bulan"))
    area = regions.kelurahan_chosen or regions.district or regions.city
    return download(workbook, f"portal-{slugify(area.name) if area else 'kampung-kb'}.xlsx")


def village_portal_export(request, pk):
    village = get_village_for_user(request.user, pk)
    villages = KampungKB.objects.filter(pk=village.pk)
    workbook = portal.portal_workbook(villages, month_asked(request.GET, None, name="bulan"))
    return download(workbook, f"portal-{slugify(village.name) or village.pk}.xlsx")


def _trend(snapshots):
    ordered = sorted(snapshots, key=lambda s: s.month)
    return {
        "labels": [f"{s.month:%m/%Y}" for s in ordered],
        "datasets": [
            {"label": "CPR", "data": [s.cpr for s in ordered]},
            {"label": _("Pangsa MKJP"), "data": [s.mkjp_share for s in ordered]},
            {"label": "Unmet need", "data": [s.unmet_need for s in ordered]},
        ],
    }


#: The activities a village page lists; the rest are on the activity list.
LATEST_ACTIVITIES = 10


def village_detail(request, pk):
    village = get_village_page_for_user(request.user, pk)
    return _village_page(request, village)


def _village_page(request, village, *, refused_override=None):
    """The village page; around a refused override form, with its errors and input."""
    context = _detail_context(request, village, refused_override)
    return render(request, "villages/detail.html", context)


def _detail_context(request, village, override_form=None):
    snapshots = list(village.snapshots.order_by("-month"))
    managers = sorted(village.managers.select_related("person"), key=lambda m: m.sort_key)
    pokja = list(
        PokjaMember.objects.filter(pokja__kelurahan=village.kelurahan_id).select_related(
            "person", "agency"
        )
    )
    assessment = services.assess_village(village, snapshots[0] if snapshots else None)
    visits = list(village.visits.order_by("-date")[:12])
    activities = list(village.activities.for_list()[: LATEST_ACTIVITIES + 1])
    open_needs = list(Need.objects.open().filter(kampung=village).select_related("agency"))
    return {
        "village": village,
        "managers": managers,
        "pokja_members": [member for member in pokja if member.term_end is None],
        "snapshots": snapshots,
        "assessment": assessment,
        "trend": _trend(snapshots),
        "override_form": override_form
        or LevelOverrideForm(
            initial={"level": village.level_override, "reason": village.override_reason}
        ),
        "history": history_rows(village.history.all()) if can_edit(request.user) else [],
        "trainings": _trainings(village, {person.person_id for person in [*managers, *pokja]}),
        "visits": visits,
        "activities": activities[:LATEST_ACTIVITIES],
        "more_activities": len(activities) > LATEST_ACTIVITIES,
        "open_needs": open_needs,
        "summary": share.village_summary(
            village, assessment, visits[0] if visits else None, open_needs
        ),
    }


def _trainings(village, people, limit=20):
    """The latest events the village itself or `people` (the ids of its managers and of
    its kelurahan's Pokja members, past and present) took part in, with how many
    people each. The ids are written out, so that the planner reads two indexes
    (`kampung`, `person`) rather than every registration of a national instance."""
    rows = (
        Registration.objects.exclude(status=Registration.Status.CANCELLED)
        .filter(Q(kampung=village) | Q(person__in=people))
        .values_list("event_id", "event__title")
        .order_by()
    )
    counts = Counter(rows)
    latest = sorted(counts, reverse=True)[:limit]
    return [{"event_id": e, "event__title": t, "people": counts[e, t]} for e, t in latest]


def village_create(request):
    require_editor(request.user)
    form = VillageForm(request.POST or None, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={"title": _("Kampung KB baru"), "back": reverse("villages:list")},
        success_message=_("Kampung KB disimpan."),
    )


def village_edit(request, pk):
    village = get_village_for_user(request.user, pk, for_change=True)
    form = VillageForm(request.POST or None, instance=village, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Ubah %(name)s") % {"name": village},
            "back": village.get_absolute_url(),
        },
        success_message=_("Perubahan disimpan."),
    )


@require_POST
def village_override(request, pk):
    village = get_village_for_user(request.user, pk, for_change=True)
    form = LevelOverrideForm(request.POST)
    if form.is_valid():
        services.village_override_level(
            village=village,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Klasifikasi diperbarui."))
        return redirect(village)
    village = get_village_page_for_user(request.user, pk)
    return _village_page(request, village, refused_override=form)


def snapshot_form(request, pk, snapshot_pk=None):
    village = get_village_for_user(request.user, pk, for_change=True)
    snapshot = get_object_or_404(village.snapshots, pk=snapshot_pk) if snapshot_pk else None
    form = SnapshotForm(request.POST or None, instance=snapshot, kampung=village)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Profil bulanan %(name)s") % {"name": village},
            "back": village.get_absolute_url(),
        },
        success_message=_("Profil bulanan disimpan."),
        then=village,
    )


def manager_form(request, pk, manager_pk=None):
    village = get_village_for_user(request.user, pk, for_change=True)
    manager = get_object_or_404(village.managers, pk=manager_pk) if manager_pk else None
    form = ManagerForm(request.POST or None, instance=manager, user=request.user, kampung=village)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Pengelola %(name)s") % {"name": village},
            "back": village.get_absolute_url(),
        },
        success_message=_("Pengelola disimpan."),
        then=village,
    )


# -- activities ---------------------------------------------------------------------


def activity_list(request, pk):
    village = get_village_for_user(request.user, pk)
    activities = village.activities.for_list().prefetch_related("agencies")
    context = {**paginate(request, activities), "village": village}
    return render(request, "villages/activity_list.html", context)


def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    context = {
        "activity": activity,
        "village": activity.kampung,
        "agencies": activity.agencies.all(),
        "photos": activity.photos.all(),
    }
    return render(request, "villages/activity.html", context)


def activity_create(request, pk):
    village = get_village_for_user(request.user, pk, for_change=True)
    return activity_editor(request, village, back=village.get_absolute_url())


def activity_edit(request, pk):
    activity = get_activity_for_user(request.user, pk, for_change=True)
    return activity_editor(
        request, activity.kampung, activity=activity, back=activity.get_absolute_url()
    )


def activity_editor(request, village, *, back, activity=None, initial=None, recorded_from=None):
    """The activity form and its photos, saved together or not at all. It also
    records an activity from a coaching visit or a training: `initial` is what they
    already hold, `recorded_from(activity)` links them to it in the same transaction."""
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ActivityForm(*data, instance=activity, initial=initial, kampung=village)
    photos = PhotoFormSet(*data, instance=form.instance, prefix="foto")
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
                photos.instance = saved
                photos.save()
                if recorded_from:
                    recorded_from(saved)
        except ValidationError as error:
            _drop_new_photo_files(photos)
            form.add_error(None, error)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect(saved)
    title = _("Kegiatan %(name)s") % {"name": village}
    context = {"form": form, "photos": photos, "title": title, "village": village, "back": back}
    return render(request, "villages/activity_form.html", context)


def _drop_new_photo_files(photos):
    """The files of photos whose rows were rolled back: no row names them any more."""
    for photo in getattr(photos, "new_objects", []):
        photo.image.storage.delete(photo.image.name)


@require_POST
def activity_delete(request, pk):
    activity = get_activity_for_user(request.user, pk, for_change=True)
    village = activity.kampung
    activity.delete()  # with its agencies and photos, in one transaction
    messages.success(request, _("Kegiatan %(title)s dihapus.") % {"title": activity.title})
    return redirect(village)


def activity_photo(request, pk):
    """A photo, sent only to those who may see its village: no URL serves the folder."""
    photo = get_photo_for_user(request.user, pk)
    try:
        file = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(file, content_type=photo.content_type)


# -- people -------------------------------------------------------------------------


def person_list(request):
    require_editor(request.user)
    people = persons_visible_to(request.user).select_related("kelurahan")
    q = request.GET.get("q", "")
    if q:
        people = people.filter(name__icontains=q)
        count = people.count()
    else:
        count = city_person_count(whole_cities(request.user))
    return render(
        request,
        "villages/person_list.html",
        {**keyset_paginate(request, people, count=count), "q": q},
    )


def person_search(request):
    """htmx: the <option>s for a person select, by name."""
    require_editor(request.user)
    q = request.GET.get("q", "").strip()
    people = persons_visible_to(request.user).filter(name__icontains=q).order_by("name")[:20]
    return render(request, "villages/_person_options.html", {"people": people if q else []})


def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)

    context = {
        "person": person,
        "manager_roles": person.manager_roles.select_related("kampung"),
        "pokja_seats": person.pokja_seats.select_related(
            "pokja__city", "pokja__district", "pokja__kelurahan", "agency"
        ),
        "trainings": Registration.objects.filter(Q(person=person) | Q(substitute=person))
        .select_related("event", "person", "substitute")
        .order_by("-event_id"),
        "history": history_rows(person.history.all(), *person_related(person)),
        "show_nik": sees_full_nik(request.user),
    }
    return render(request, "villages/person_detail.html", context)


def village_history(request, pk):
    village = get_village_for_user(request.user, pk, for_change=True)
    return history_page(request, village, *village_related(village))


def person_create(request):
    require_editor(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={"title": _("Orang baru"), "back": reverse("villages:person_list")},
        success_message=_("Data orang disimpan."),
    )


def person_edit(request, pk):
    person = get_person_for_user(request.user, pk, for_change=True)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={"title": _("Ubah %(name)s") % {"name": person}, "back": person.get_absolute_url()},
        success_message=_("Perubahan disimpan."),
    )


# -- Pokja and agencies -----------------------------------------------------------------


def pokja_list(request):
    require_wide_reader(request.user)
    pokja = pokja_visible_to(request.user).select_related("city", "district", "kelurahan")
    pokja = pokja.annotate(
        member_count=Count("members", filter=Q(members__term_end__isnull=True)),
        agency_count=Count(
            "members__agency", filter=Q(members__term_end__isnull=True), distinct=True
        ),
    )
    return render(request, "villages/pokja_list.html", {"pokja_list": pokja})


def pokja_detail(request, pk):
    pokja = get_pokja_for_user(request.user, pk)
    members = pokja.members.filter(term_end__isnull=True).select_related("person", "agency")
    seated = {m.agency_id for m in members}
    return render(
        request,
        "villages/pokja_detail.html",
        {
            "pokja": pokja,
            "members": members,
            "missing_agencies": Agency.objects.exclude(pk__in=seated),
        },
    )


def pokja_member_form(request, pk, member_pk=None):
    pokja = get_pokja_for_user(request.user, pk, for_change=True)
    member = get_object_or_404(pokja.members, pk=member_pk) if member_pk else None
    form = PokjaMemberForm(request.POST or None, instance=member, user=request.user, pokja=pokja)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Anggota %(pokja)s") % {"pokja": pokja},
            "back": pokja.get_absolute_url(),
        },
        success_message=_("Anggota Pokja disimpan."),
        then=pokja,
    )


def agency_list(request):
    require_wide_reader(request.user)
    agencies = Agency.objects.annotate(
        seat_count=Count(
            "pokja_seats", filter=Q(pokja_seats__pokja__in=pokja_visible_to(request.user))
        )
    )
    return render(request, "villages/agency_list.html", {"agencies": agencies})


def agency_detail(request, pk):
    agency = get_agency_for_user(request.user, pk)
    needs = list(
        needs_visible_to(request.user).filter(agency=agency).open().select_related("kampung")
    )

    return render(
        request,
        "villages/agency_detail.html",
        {
            "agency": agency,
            "seats": agency.pokja_seats.filter(
                pokja__in=pokja_visible_to(request.user)
            ).select_related("person", "pokja__city", "pokja__district", "pokja__kelurahan"),
            "needs": needs,
            "follow_up": share.agency_follow_up(agency, needs),
        },
    )


# -- import -------------------------------------------------------------------------------


def import_template(request, kind):
    require_editor(request.user)
    return excel.template_response(kind, user=request.user)


def import_upload(request, kind):
    """Upload → preview with per-row errors → confirm; nothing is saved unless all rows pass.

    The checked rows wait in the session between preview and confirmation, and are
    checked once more when saved.
    """
    require_editor(request.user)
    importer = excel.importer_for(kind, user=request.user)
    pending_key = f"import:{kind}"
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.pop(pending_key, [])
        if not pending:
            messages.error(request, _("Data impor tidak lagi tersedia; unggah ulang berkasnya."))
            return redirect(request.path)
        form = ImportForm()
        preview = importer.check(pending)
        if preview.is_valid and importer.save(preview):
            messages.success(request, _("%(count)d baris disimpan.") % {"count": len(pending)})
            return redirect(importer.success_url)
    elif request.method == "POST" and form.is_valid():
        preview = importer.read(form.cleaned_data["file"])
        if preview.file_error:
            form.add_error("file", preview.file_error)
        elif preview.is_valid:
            request.session[pending_key] = preview.raw_rows()
    return render(
        request, "villages/import.html", {"form": form, "preview": preview, "importer": importer}
    )
