from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import can_edit, require_wide_reader
from kampungkb.concurrency import StaleEdit
from kampungkb.downloads import download
from kampungkb.forms import save_or_render
from kampungkb.history import history_rows
from kampungkb.months import month_asked, months_from
from kampungkb.paging import paginate
from villages.access import get_village_for_user, require_editor, villages_visible_to
from villages.activity_editor import activity_editor
from villages.models import Agency, AgencyOffice
from villages.regions import RegionFilter

from . import reports, services
from .access import get_need_for_user, get_visit_for_user, needs_visible_to, plans_visible_to
from .forms import (
    NeedForm,
    NeedProgressForm,
    NewNeedFormSet,
    PlanForm,
    ReopenForm,
    SignatoryForm,
    VisitForm,
)
from .models import CoachingVisit, Need

MATRIX_PAGE = 50


def _year_start(request):
    """The first month of the twelve shown: ?mulai=YYYY-MM, else January this year."""
    return month_asked(request.GET, timezone.localdate().replace(month=1, day=1))


def _matrix_context(request, today):
    months = months_from(_year_start(request))
    regions = RegionFilter(request, with_kelurahan=False, city_required=True)
    villages = regions.apply(villages_visible_to(request.user).active())
    villages = villages.select_related("kelurahan__district").order_by(
        "kelurahan__district__code", "name", "id"
    )
    paging = paginate(request, villages, per_page=MATRIX_PAGE)
    page = list(paging["page"].object_list)
    rows = services.coverage_rows(page, months, today)
    districts = {village.kelurahan.district for village in page}
    return {
        **paging,
        "months": months,
        "rows": rows,
        "totals": services.matrix_totals(rows, months),
        "district_totals": services.district_totals(districts, months, today),
        "regions": regions,
        "start": months[0],
        "cells": [cell for cell in services.Cell if cell.label],
    }


def matrix(request):
    """One kota at a time (the first, unless one is chosen): a national matrix of
    84,000 rows would be read by nobody and sorted on every request."""
    require_wide_reader(request.user)
    context = _matrix_context(request, timezone.localdate())
    return render(request, "coaching/matrix.html", context)


def plan(request):
    require_wide_reader(request.user)
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require_editor(request.user)
        if form.is_valid():
            created, existing = services.plan_generate(
                districts=form.cleaned_data["districts"],
                first_month=form.cleaned_data["first_month"],
                months=form.cleaned_data["months"],
            )
            messages.success(
                request,
                _("%(created)d kunjungan direncanakan; %(existing)d sudah ada sebelumnya.")
                % {"created": created, "existing": existing},
            )
            start = form.cleaned_data["first_month"]
            return redirect(f"{reverse('coaching:matrix')}?mulai={start:%Y-%m}")
    months = months_from(_year_start(request))
    plans = (
        plans_visible_to(request.user)
        .filter(month__gte=months[0], month__lte=months[-1])
        .select_related("kampung__kelurahan__district", "visit")
        .order_by("month", "planned_date", "kampung__name")
    )
    return render(
        request,
        "coaching/plan.html",
        {
            "form": form,
            **paginate(request, plans, per_page=100),
            "start": months[0],
        },
    )


def _visit_forms(request, visit, village):
    """The visit form, one progress form per open need, and the new-need forms."""
    data = request.POST or None
    initial = services.visit_initial(village, timezone.localdate()) if visit is None else None
    visit_form = VisitForm(
        data, instance=visit, initial=initial, user=request.user, kampung=village
    )
    open_needs = Need.objects.open().filter(kampung=village).select_related("agency", "raised_at")
    progress_forms = [NeedProgressForm(data, need=need) for need in open_needs]
    new_needs = NewNeedFormSet(data, queryset=Need.objects.none(), prefix="new")
    agencies = [("", "---------"), *((a.pk, str(a)) for a in Agency.objects.all())]
    for form in new_needs:  # one list of agencies drawn in every new need's select
        form.fields["agency"].queryset = Agency.objects.all()
        form.fields["agency"].choices = agencies
    return visit_form, progress_forms, new_needs


def _visit_page(request, village, visit=None):
    visit_form, progress_forms, new_needs = _visit_forms(request, visit, village)
    if request.method == "POST":
        all_valid = all(
            [visit_form.is_valid(), new_needs.is_valid(), *[f.is_valid() for f in progress_forms]]
        )
        if all_valid:
            try:
                saved = services.visit_save(
                    visit_form=visit_form,
                    progress_forms=progress_forms,
                    new_need_forms=new_needs,
                    by=request.user,
                )
            except StaleEdit as stale:
                visit_form.add_error(None, str(stale))
            else:
                messages.success(request, _("Kunjungan disimpan."))
                return redirect(saved)
    return render(
        request,
        "coaching/visit_form.html",
        {
            "village": village,
            "visit": visit,
            "form": visit_form,
            "progress_forms": progress_forms,
            "new_needs": new_needs,
        },
    )


def visit_create(request, village_pk):
    village = get_village_for_user(request.user, village_pk, for_change=True)
    return _visit_page(request, village)


def visit_edit(request, pk):
    visit = get_visit_for_user(request.user, pk, for_change=True)
    if visit.is_locked:
        messages.error(
            request,
            _("Kunjungan terverifikasi terkunci. Buka kembali dengan alasan untuk mengubahnya."),
        )
        return redirect(visit)
    return _visit_page(request, visit.kampung, visit)


def visit_detail(request, pk):
    visit = get_visit_for_user(request.user, pk)
    visit = (
        CoachingVisit.objects.select_related("kampung__kelurahan__district", "verified_by")
        .prefetch_related("team", "agencies_present")
        .get(pk=visit.pk)
    )
    return render(
        request,
        "coaching/visit_detail.html",
        {
            "visit": visit,
            "raised": visit.raised_needs.select_related("agency"),
            "updates": visit.need_updates.select_related("need__agency"),
            "carried": Need.objects.open()
            .filter(kampung=visit.kampung_id)
            .exclude(raised_at=visit)
            .select_related("agency"),
            "reopen_form": ReopenForm(),
            "history": history_rows(visit.history.all()) if can_edit(request.user) else [],
        },
    )


def _transition(request, pk, action, success):
    visit = get_visit_for_user(request.user, pk, for_change=True)
    try:
        with transaction.atomic():
            action(visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(visit)


@require_POST
def visit_submit(request, pk):
    return _transition(
        request,
        pk,
        lambda v: services.visit_submit(visit=v),
        _("Kunjungan diajukan untuk diverifikasi."),
    )


@require_POST
def visit_verify(request, pk):
    return _transition(
        request,
        pk,
        lambda v: services.visit_verify(visit=v, by=request.user),
        _("Kunjungan terverifikasi."),
    )


@require_POST
def visit_reopen(request, pk):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        get_visit_for_user(request.user, pk, for_change=True)
        messages.error(request, _("Tuliskan alasan membuka kembali kunjungan."))
        return redirect("coaching:visit", pk=pk)
    return _transition(
        request,
        pk,
        lambda v: services.visit_reopen(
            visit=v, reason=form.cleaned_data["reason"], by=request.user
        ),
        _("Kunjungan dibuka kembali."),
    )


def need_list(request):
    require_wide_reader(request.user)
    needs = needs_visible_to(request.user).select_related("kampung__kelurahan__district", "agency")
    params = request.GET
    if params.get("agency", "").isdigit():
        needs = needs.filter(agency=params["agency"])
    if params.get("status") == "open":
        needs = needs.open()
    elif params.get("status") in Need.Status.values:
        needs = needs.filter(status=params["status"])
    regions = RegionFilter(request, with_kelurahan=False)
    needs = regions.apply(needs, kelurahan="kampung__kelurahan")
    if params.get("overdue"):
        needs = needs.open().filter(due_date__lt=timezone.localdate())
    return render(
        request,
        "coaching/need_list.html",
        {
            **paginate(request, needs.order_by("due_date", "id")),
            "agencies": Agency.objects.all(),
            "statuses": Need.Status.choices,
            "regions": regions,
            "today": timezone.localdate(),
        },
    )


def need_edit(request, pk):
    need = get_need_for_user(request.user, pk, for_change=True)
    form = NeedForm(request.POST or None, instance=need)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Kebutuhan: %(need)s") % {"need": need},
            "back": reverse("coaching:needs"),
        },
        success_message=_("Kebutuhan disimpan."),
        save=lambda: form.save().kampung,
    )


def report(request):
    require_wide_reader(request.user)
    regions = RegionFilter(
        request, with_kelurahan=False, city_required=True, district_required=True
    )
    district = regions.district
    month = (
        _year_start(request) if request.GET.get("mulai") else (timezone.localdate().replace(day=1))
    )
    result = services.monthly_report(district=district, month=month) if district else None
    office = AgencyOffice.objects.leading(district.city) if district else None
    signatory_form = SignatoryForm(request.GET, head=office.head if office else None)
    fmt = request.GET.get("format")
    if result and fmt in ("pdf", "xlsx") and signatory_form.is_valid():
        filename = f"pembinaan-{district.code}-{month:%Y-%m}.{fmt}"
        if fmt == "xlsx":
            return download(reports.monthly_xlsx(result), filename)
        content = reports.monthly_pdf(
            result, office.letterhead(), signatory_form.signatory(), timezone.localdate()
        )
        return download(content, filename)
    return render(
        request,
        "coaching/report.html",
        {
            "report": result,
            "regions": regions,
            "district": district,
            "month": month,
            "form": signatory_form,
        },
    )


def visit_activity(request, pk):
    """Record the village's activity from a visit, with what the visit already says."""
    visit = get_visit_for_user(request.user, pk, for_change=True)
    if visit.activity_id:
        return redirect(visit.activity)
    return activity_editor(
        request,
        visit.kampung,
        back=visit.get_absolute_url(),
        initial=services.visit_activity_initial(visit),
        recorded_from=partial(services.link_visit_activity, visit),
    )
