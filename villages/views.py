from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import require_wide_reader
from kampungkb import xlsx
from kampungkb.downloads import download
from kampungkb.forms import save_or_render
from kampungkb.history import history_page
from kampungkb.months import add_months, month_asked, months_from, next_month
from kampungkb.paging import filter_query, keyset_paginate, paginate

from . import portal, services, workbooks
from .access import (
    get_activity_for_user,
    get_person_for_user,
    get_photo_for_user,
    get_pokja_for_user,
    get_village_for_user,
    persons_visible_to,
    pokja_visible_to,
    require_editor,
    villages_visible_to,
)
from .activity_editor import activity_editor
from .forms import (
    ImportForm,
    LevelOverrideForm,
    ManagerForm,
    PersonForm,
    PokjaMemberForm,
    ProfileCopyForm,
    SnapshotForm,
    VillageForm,
)
from .history import village_related
from .models import Agency, KampungKB, Level, ProfileSnapshot
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
    return villages.at_level(level) if level in Level.values else villages


def village_list(request):
    regions = RegionFilter(request)
    villages = _filtered_villages(request, regions)
    level_counts = villages.level_counts()
    level = request.GET.get("level")
    count = dict(level_counts).get(level, sum(n for _level, n in level_counts))
    villages = _by_level(villages, level).select_related("kelurahan__district")
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
    """The villages of the list's filters, as the workbook that comes back as an import."""
    villages = _filtered_villages(request, RegionFilter(request))
    villages = _by_level(villages, request.GET.get("level"))
    kind = workbooks.VillageKind(request.user)
    return download(kind.workbook(kind.records(villages)), "kampung-kb.xlsx")


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


def village_override(request, pk):
    """The level dinas sets by hand, with its reason. The village page carries the
    form; a refused one comes back here, with its input and what to correct."""
    village = get_village_for_user(request.user, pk, for_change=True)
    initial = {"level": village.level_override, "reason": village.override_reason}
    form = LevelOverrideForm(request.POST or None, initial=initial)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Tetapkan klasifikasi %(name)s") % {"name": village},
            "back": village.get_absolute_url(),
        },
        success_message=_("Klasifikasi diperbarui."),
        save=lambda: services.village_override_level(
            village=village, by=request.user, **form.cleaned_data
        ),
    )


def snapshot_form(request, pk, snapshot_pk=None):
    """A month's profile. A new one opens on the month after the village's latest (or
    the month asked, ?bulan=YYYY-MM), with the answers of the latest before it."""
    village = get_village_for_user(request.user, pk, for_change=True)
    snapshot = get_object_or_404(village.snapshots, pk=snapshot_pk) if snapshot_pk else None
    profiles = village.snapshots.order_by("-month")
    initial = None
    if snapshot:
        previous = profiles.filter(month__lt=snapshot.month).first()
    else:
        asked = month_asked(request.GET, None, name="bulan")
        previous = (profiles.filter(month__lt=asked) if asked else profiles).first()
        initial = {**(previous.answers() if previous else {})}
        initial["month"] = asked or (next_month(previous.month) if previous else this_month())
    form = SnapshotForm(
        request.POST or None, instance=snapshot, initial=initial, kampung=village, previous=previous
    )
    return save_or_render(
        request,
        form,
        template="villages/snapshot_form.html",
        context={
            "title": _("Profil bulanan %(name)s") % {"name": village},
            "back": village.get_absolute_url(),
            "previous": previous,
        },
        success_message=_("Profil bulanan disimpan."),
        then=village,
    )


def this_month():
    return timezone.localdate().replace(day=1)


def month_sheet(request):
    """Every village of the area with its profile of a month: entered, the same as the
    month before, or not yet, and the level it gives; "the same as last month" copies
    the latest one forward, for one village or those ticked."""
    require_wide_reader(request.user)
    regions = RegionFilter(request, with_kelurahan=False, city_required=True)
    month = month_asked(request.GET, this_month(), name="bulan")
    villages = regions.apply(villages_visible_to(request.user).active())
    villages = villages.select_related("kelurahan__district").order_by(
        "kelurahan__district__code", "name", "id"
    )
    paging = paginate(request, villages, per_page=MONTH_SHEET_PAGE)
    context = {
        **paging,
        "rows": services.month_rows(list(paging["page"].object_list), month),
        "entered": ProfileSnapshot.objects.filter(kampung__in=villages, month=month).count(),
        "month": month,
        "regions": regions,
    }
    return render(request, "villages/month_sheet.html", context)


MONTH_SHEET_PAGE = 50


@require_POST
def profile_copy(request):
    require_editor(request.user)
    form = ProfileCopyForm(request.POST, user=request.user)
    if form.is_valid():
        result = services.profiles_copy_forward(
            villages=form.cleaned_data["villages"],
            month=form.cleaned_data["month"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(copied)d profil disalin dari bulan sebelumnya; %(skipped)d dilewati.")
            % vars(result),
        )
    else:
        messages.error(request, _("Pilih Kampung KB yang profilnya disalin."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("villages:month_sheet")
    return redirect(back)


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


def _people(request):
    people = persons_visible_to(request.user)
    if q := request.GET.get("q", ""):
        people = people.filter(name__icontains=q)
    return people


def person_list(request):
    require_editor(request.user)
    people = _people(request).select_related("kelurahan")
    context = {**keyset_paginate(request, people), "q": request.GET.get("q", "")}
    return render(request, "villages/person_list.html", context)


def person_export(request):
    """The people of the list (its search), as the workbook that comes back as an import."""
    require_editor(request.user)
    kind = workbooks.PersonKind(request.user)
    return download(kind.workbook(kind.records(_people(request))), "orang.xlsx")


def profile_export(request):
    """Every active village of the area with its profile of a month (?bulan=), as the
    workbook that comes back as an import."""
    require_editor(request.user)
    regions = RegionFilter(request, with_kelurahan=False, city_required=True)
    month = month_asked(request.GET, this_month(), name="bulan")
    villages = regions.apply(villages_visible_to(request.user).active())
    kind = workbooks.ProfileKind(request.user)
    return download(kind.workbook(kind.records(villages, month)), f"profil-{month:%Y-%m}.xlsx")


def person_search(request):
    """htmx: the <option>s for a person select, by name."""
    require_editor(request.user)
    q = request.GET.get("q", "").strip()
    people = persons_visible_to(request.user).filter(name__icontains=q).order_by("name")[:20]
    return render(request, "villages/_person_options.html", {"people": people if q else []})


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
            "missing_agencies": Agency.objects.of_city(pokja.city_id).exclude(pk__in=seated),
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


# -- import -------------------------------------------------------------------------------


def import_upload(request, kind):
    """Upload → a preview that says, row by row, new, changed (old → new), unchanged or
    refused → confirm. Nothing is saved unless every row can be. The rows wait in the
    session until confirmed, and are checked again then: the confirmation saves only
    what the preview showed."""
    require_editor(request.user)
    records = workbooks.kind_for(kind, user=request.user)
    pending_key = f"import:{kind}"
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get(pending_key)
        if not pending:
            messages.error(request, _("Data impor tidak lagi tersedia; unggah ulang berkasnya."))
            return redirect(request.path)
        form, preview = ImportForm(), records.check(pending["rows"])
        if preview.digest() != pending["digest"]:
            messages.error(
                request,
                _("Data berubah sejak pratinjau. Periksa pratinjau baru ini, lalu simpan lagi."),
            )
            request.session[pending_key] = {**pending, "digest": preview.digest()}
        elif preview.can_be_saved:
            created, changed = records.save(preview, request.user)
            del request.session[pending_key]
            messages.success(
                request,
                _("%(created)d data baru dan %(changed)d perubahan disimpan.")
                % {"created": created, "changed": changed},
            )
            return redirect(records.list_url)
    elif request.method == "POST" and form.is_valid():
        try:
            rows = records.read(form.cleaned_data["file"])
            preview = records.check(rows)
        except (xlsx.Unreadable, workbooks.Refused) as refusal:
            form.add_error("file", str(refusal))
        else:
            request.session[pending_key] = {"rows": rows, "digest": preview.digest()}
    shown, not_shown = preview.shown() if preview else ([], 0)
    context = {
        "form": form,
        "preview": preview,
        "records": records,
        "shown": shown,
        "not_shown": not_shown,
    }
    return render(request, "villages/import.html", context)
