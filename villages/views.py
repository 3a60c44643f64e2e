from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import require_wide_reader
from kampungkb.downloads import download
from kampungkb.forms import save_or_render
from kampungkb.history import history_page
from kampungkb.months import add_months, month_asked, months_from
from kampungkb.paging import filter_query, keyset_paginate, paginate

from . import excel, portal, services
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
    SnapshotForm,
    VillageForm,
)
from .history import village_related
from .models import Agency, KampungKB, Level
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
    villages = _by_level(villages, level).select_related("kelurahan__district")
    context = {
        **keyset_paginate(request, villages),
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
    return render(
        request, "villages/person_list.html", {**keyset_paginate(request, people), "q": q}
    )


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
