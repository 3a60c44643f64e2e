import functools
import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.roles import can_edit, require_wide_reader
from kampungkb import throttle
from kampungkb.downloads import download
from kampungkb.forms import save_or_render
from kampungkb.history import history_page, history_rows
from kampungkb.months import year_asked
from kampungkb.paging import paginate
from villages.access import persons_visible_to, require_editor, villages_visible_to
from villages.activity_editor import activity_editor
from villages.regions import RegionFilter

from . import calendar, excel, offline, pdf, services, share
from .access import events_visible_to, get_event_for_user
from .forms import (
    AttendanceListForm,
    BulkManagersForm,
    BulkPokjaForm,
    CheckInForm,
    EventForm,
    NextPhaseForm,
    PhoneMarkForm,
    RegistrationForm,
    SubstituteForm,
    WalkInForm,
)
from .history import event_related
from .models import Attendance, Registration, TrainingEvent

#: Codes that match no certificate, from one address in an hour, before it is held back.
VERIFY_MISSES_PER_HOUR = 20
#: Why an event's cards cannot be printed yet: said on its page, and on the PDF asked anyway.
NO_PARTICIPANTS = _lazy("Belum ada peserta terdaftar pada kegiatan ini.")
#: Why its certificates cannot be printed yet.
NO_CERTIFICATES = _lazy(
    'Belum ada sertifikat bernomor: isi kehadiran, lalu tekan "Beri nomor sertifikat".'
)


def event_list(request):
    require_wide_reader(request.user)
    events = events_visible_to(request.user).annotate(
        first_day=Min("days__date"),
        # distinct: the join with the days repeats each registration once per day
        registered=Count(
            "registrations", filter=Q(registrations__status="registered"), distinct=True
        ),
    )
    params = request.GET
    if params.get("kind") in TrainingEvent.Kind.values:
        events = events.filter(kind=params["kind"])
    if year := year_asked(params):
        events = events.filter(days__date__year=year).distinct()
    regions = RegionFilter(request, with_kelurahan=False)
    if regions.district:
        events = events.filter(target_districts=regions.district).distinct()
    elif regions.city and regions.choose_city:
        events = events.filter(city=regions.city)
    today = timezone.localdate()
    if params.get("when") == "upcoming":
        events = events.filter(first_day__gte=today)
    elif params.get("when") == "past":
        events = events.filter(first_day__lt=today)
    events = events.select_related("organiser", "city").order_by("-first_day", "-id")
    return render(
        request,
        "training/list.html",
        {
            **paginate(request, events),
            "kinds": TrainingEvent.Kind.choices,
            "regions": regions,
        },
    )


def _save_event(form):
    event = form.save()
    services.event_set_days(
        event=event,
        first_day=form.cleaned_data["first_day"],
        last_day=form.cleaned_data["last_day"],
        hours=(form.cleaned_data["start_time"], form.cleaned_data["end_time"]),
    )
    return event


def event_create(request):
    require_editor(request.user)
    form = EventForm(request.POST or None, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={"title": _("Kegiatan baru"), "back": reverse("training:list")},
        success_message=_("Kegiatan disimpan."),
        save=lambda: _save_event(form),
    )


def event_edit(request, pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    return save_or_render(
        request,
        form,
        template="form.html",
        context={"title": _("Ubah %(event)s") % {"event": event}, "back": event.get_absolute_url()},
        success_message=_("Perubahan disimpan."),
        save=lambda: _save_event(form),
    )


def event_detail(request, pk):
    event = get_event_for_user(request.user, pk)
    days, rows, total, others = services.category_summary(event)
    target_districts = list(event.target_districts.all())
    link = request.build_absolute_uri(event.get_absolute_url())
    return render(
        request,
        "training/detail.html",
        {
            "event": event,
            "days": days,
            "google_links": [(day, calendar.google_calendar_url(event, day, link)) for day in days],
            "attendance_list_form": AttendanceListForm(event=event),
            "has_participants": any(row.registered for row in [total, *others]),
            "certified": event.registrations.certified().exists(),
            "no_participants": NO_PARTICIPANTS,
            "no_certificates": NO_CERTIFICATES,
            "target_districts": target_districts,
            "invitation": share.invitation(event, days, target_districts, link),
            "summary_rows": rows,
            "summary_total": total,
            "summary_others": others,
            "seats_taken": services.seats_taken(event),
            "history": (
                history_rows(event.history.all(), *event_related(event))
                if can_edit(request.user)
                else []
            ),
        },
    )


def event_activities(request, pk):
    """The villages an event concerns, each with its activity record of the event
    (`activity_id`) or a link to write it."""
    event = get_event_for_user(request.user, pk, for_change=True)
    recorded = event.activities.filter(kampung=OuterRef("pk")).values("pk")[:1]
    villages = services.event_villages(event) & villages_visible_to(request.user)
    villages = villages.annotate(activity_id=Subquery(recorded)).select_related("kelurahan")
    context = {"event": event, "villages": villages.order_by("name")}
    return render(request, "training/activities.html", context)


def event_activity(request, pk, village_pk):
    """Record a village's activity from an event, with what the event already says."""
    event = get_event_for_user(request.user, pk, for_change=True)
    villages = services.event_villages(event) & villages_visible_to(request.user)
    village = get_object_or_404(villages, pk=village_pk)
    recorded = event.activities.filter(kampung=village).first()
    if recorded:
        return redirect(recorded)
    return activity_editor(
        request,
        village,
        back=event.get_absolute_url(),
        initial=services.event_activity_initial(event),
        recorded_from=functools.partial(services.link_event_activity, event),
    )


def event_history(request, pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    return history_page(request, event, *event_related(event))


def event_next_phase(request, pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    form = NextPhaseForm(request.POST or None, event=event)

    def save():
        return services.event_copy_as_next_phase(
            event=event,
            districts=form.cleaned_data["districts"],
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
        )

    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Tahap berikut: %(event)s") % {"event": event},
            "back": event.get_absolute_url(),
        },
        success_message=_("Tahap berikut dibuat sebagai draf."),
        save=save,
    )


def participants(request, pk):
    event = get_event_for_user(request.user, pk)
    registrations = event.registrations.all()
    params = request.GET
    if params.get("category") in Registration.Category.values:
        registrations = registrations.filter(category=params["category"])
    if params.get("status") in Registration.Status.values:
        registrations = registrations.filter(status=params["status"])
    if params.get("q"):
        registrations = registrations.filter(
            Q(person__name__icontains=params["q"]) | Q(substitute__name__icontains=params["q"])
        )
    registrations = registrations.shown().order_by("person__name", "id")
    context = {
        "event": event,
        **paginate(request, registrations),
        "params": params,
        "categories": Registration.Category.choices,
        "statuses": Registration.Status.choices,
    }
    return render(request, "training/participants.html", context)


def registration_create(request, pk):
    """The door: find the person by name, or describe a newcomer, and register them
    in one step."""
    event = get_event_for_user(request.user, pk, for_change=True)
    data = request.POST if request.method == "POST" else None
    query = request.GET.get("q", "")
    form = RegistrationForm(data, user=request.user)
    newcomer = WalkInForm(
        data, prefix="baru", user=request.user, event=event, initial={"name": query}
    )
    if data is not None:
        registration = _register_at_the_door(form, newcomer, event)
        if registration:
            messages.success(request, _registered(registration))
            return redirect(request.path)
    matches = _door_matches(request, event, query, form)
    context = {
        "event": event,
        "form": form,
        "newcomer": newcomer,
        "newcomer_open": newcomer.is_filled() or bool(query and not matches),
        "query": query,
        "matches": matches,
        "picked": form["person"].value() if form.is_bound else "",
        "title": _("Daftarkan peserta: %(event)s") % {"event": event},
    }
    return render(request, "training/register.html", context)


def _register_at_the_door(form, newcomer, event):
    """The registration made from the door's forms, or None with the errors on them."""
    if not form.is_valid():
        return None
    unit = {key: value for key, value in form.cleaned_data.items() if key != "person"}
    person = form.cleaned_data["person"]
    if person is None and not newcomer.is_filled():
        form.add_error(
            "person", _("Pilih orang dari hasil pencarian, atau isi data orang baru di bawah.")
        )
        return None
    if person is None and not newcomer.is_valid():
        return None
    try:
        if person:
            return services.registration_create(event=event, person=person, **unit)
        return services.registration_create_walk_in(event=event, newcomer=newcomer.instance, **unit)
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return None


def _registered(registration):
    if registration.status == Registration.Status.WAITLISTED:
        return _("Kapasitas penuh: %(name)s masuk daftar tunggu.") % {"name": registration.person}
    return _("%(name)s didaftarkan.") % {"name": registration.person}


def _door_matches(request, event, query, form):
    """Who the search finds, and the person already picked, when the form comes back."""
    people = persons_visible_to(request.user)
    matches = services.door_matches(people, event, query)
    picked = getattr(form, "cleaned_data", {}).get("person")
    if picked and picked not in matches:
        matches.insert(0, services.door_matches(people.filter(pk=picked.pk), event, picked.name)[0])
    return matches


def registration_search(request, pk):
    """htmx: the people whose name holds `q`, to pick at the door."""
    event = get_event_for_user(request.user, pk, for_change=True)
    query = request.GET.get("q", "")
    matches = services.door_matches(persons_visible_to(request.user), event, query)
    return render(request, "training/_door_matches.html", {"matches": matches, "query": query})


def registration_bulk(request, pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    submitted = request.POST.get("which") if request.method == "POST" else None
    managers_form = BulkManagersForm(request.POST if submitted == "managers" else None, event=event)
    pokja_form = BulkPokjaForm(
        request.POST if submitted == "pokja" else None, event=event, user=request.user
    )
    result = None
    try:
        if submitted == "managers" and managers_form.is_valid():
            result = services.registrations_bulk_managers(
                event=event, districts=managers_form.cleaned_data["districts"]
            )
        elif submitted == "pokja" and pokja_form.is_valid():
            result = services.registrations_bulk_pokja(
                event=event, pokja_list=pokja_form.cleaned_data["pokja"]
            )
    except ValidationError as refusal:
        (managers_form if submitted == "managers" else pokja_form).add_error(None, refusal)
    if result:
        messages.success(
            request,
            _(
                "%(added)d didaftarkan, %(waitlisted)d masuk daftar tunggu, "
                "%(skipped)d dilewati karena sudah terdaftar."
            )
            % vars(result),
        )
        return redirect("training:participants", pk=event.pk)
    return render(
        request,
        "training/bulk.html",
        {
            "event": event,
            "managers_form": managers_form,
            "pokja_form": pokja_form,
        },
    )


def _registration_for_change(request, pk, reg_pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    return get_object_or_404(event.registrations.select_related("person", "event"), pk=reg_pk)


@require_POST
def registration_cancel(request, pk, reg_pk):
    registration = _registration_for_change(request, pk, reg_pk)
    if registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("Pendaftaran ini sudah dibatalkan."))
    else:
        try:
            promoted = services.registration_cancel(registration=registration)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, _cancelled(registration, promoted))
    return redirect("training:participants", pk=pk)


def _cancelled(registration, promoted):
    if promoted:
        return _("Pendaftaran %(name)s dibatalkan; %(next)s naik dari daftar tunggu.") % {
            "name": registration.person,
            "next": promoted.person,
        }
    return _("Pendaftaran %(name)s dibatalkan.") % {"name": registration.person}


def registration_substitute(request, pk, reg_pk):
    registration = _registration_for_change(request, pk, reg_pk)
    form = SubstituteForm(request.POST or None, user=request.user)
    participants_url = reverse("training:participants", args=[pk])
    return save_or_render(
        request,
        form,
        template="form.html",
        context={
            "title": _("Wakil untuk %(name)s") % {"name": registration.person},
            "back": participants_url,
        },
        success_message=_("Wakil peserta disimpan."),
        save=lambda: services.registration_substitute(
            registration=registration, substitute=form.cleaned_data["substitute"]
        ),
        then=participants_url,
    )


# -- attendance ------------------------------------------------------------------------


GRID_CELL = re.compile(r"^a-(\d+)-(\d+)$")


def _grid_marks(post):
    """Every cell posted: {(registration id, day id): status or ""}. The service
    refuses a cell of someone or some day outside the event; none is dropped here."""
    valid = set(Attendance.Status.values) | {""}
    marks = {}
    for key, value in post.items():
        cell = GRID_CELL.match(key)
        if not cell:
            continue
        if value not in valid:
            raise ValidationError(_("Status kehadiran tidak dikenal."))
        marks[int(cell[1]), int(cell[2])] = value
    return marks


def _grid_context(event, chosen_day):
    """Every day of the event, the days shown (the one chosen, for a phone, else all),
    and who sits in the room, each with their marks on the days shown."""
    all_days = list(event.days.all())
    if not chosen_day:
        days = all_days
    elif not (days := [d for d in all_days if str(d.pk) == chosen_day]):
        raise Http404("not a day of this event")
    registrations = list(event.registrations.in_the_room())
    marks = services.attendance_grid(days)
    options = _status_options()
    return {
        "all_days": all_days,
        "days": days,
        "rows": [
            (
                registration,
                [(day, options[marks.get((registration.pk, day.pk), "")]) for day in days],
            )
            for registration in registrations
        ],
        "recaps": [(day, share.day_recap(event, day, registrations, marks)) for day in days],
    }


def _status_options():
    """{status: the options of a cell's select with that status chosen}: drawn once for
    each of the six a cell can hold, not once for each of a lokakarya's 310 cells."""
    statuses = [("", "—"), *Attendance.Status.choices]
    template = get_template("partials/options.html")
    return {
        value: template.render({"choices": statuses, "selected": value})
        for value, _label in statuses
    }


def attendance(request, pk):
    """The grid of participants × days; `?hari=<id>` narrows it to one day for a phone."""
    event = get_event_for_user(request.user, pk, for_change=True)
    chosen_day = request.GET.get("hari")
    if request.method == "POST":
        try:
            changed = services.attendance_save_grid(
                event=event, marks=_grid_marks(request.POST), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Kehadiran disimpan (%(n)d sel berubah).") % {"n": changed})
            return redirect(request.get_full_path())
    context = {"event": event, **_grid_context(event, chosen_day)}
    return render(request, "training/attendance.html", context)


def attendance_roster(request, pk):
    """The event's roster as a committee phone keeps it, to mark attendance without
    signal."""
    event = get_event_for_user(request.user, pk, for_change=True)
    return JsonResponse(offline.roster(event))


@require_POST
def attendance_receive(request, pk):
    """The marks a phone made, perhaps without signal: JSON in, one receipt per mark out."""
    event = get_event_for_user(request.user, pk, for_change=True)
    try:
        sent = _sent_marks(request.body)
    except ValueError as unreadable:
        return JsonResponse({"error": str(unreadable)}, status=400)
    forms = [PhoneMarkForm(item) for item in sent]
    refused = [
        _refusal(item, form) for item, form in zip(sent, forms, strict=True) if not form.is_valid()
    ]
    receipts = offline.receive(
        event=event, marks=[form.mark() for form in forms if form.is_valid()], by=request.user
    )
    return JsonResponse({"receipts": [r.as_json() for r in [*refused, *receipts]]})


#: Marks one send may carry: a whole grid of a long event, with room to spare.
MAX_MARKS_PER_SEND = 5000


def _sent_marks(body):
    """The list of marks in a phone's JSON body, each a dict, or ValueError."""
    try:
        sent = json.loads(body)["marks"]
    except (ValueError, KeyError, TypeError, RecursionError):  # nested past Python's depth
        sent = None
    if not isinstance(sent, list) or not all(isinstance(item, dict) for item in sent):
        raise ValueError(_("Kiriman tidak terbaca: tidak ada yang disimpan."))
    if len(sent) > MAX_MARKS_PER_SEND:
        raise ValueError(_("Terlalu banyak tanda dalam satu kiriman: tidak ada yang disimpan."))
    return sent


def _refusal(item, form):
    errors = "; ".join(
        " ".join(problems) if field == "__all__" else f"{field}: {' '.join(problems)}"
        for field, problems in form.errors.items()
    )
    return offline.Receipt(str(item.get("id", ""))[:36], offline.Outcome.REFUSED, errors, None)


def offline_worker(request):
    """The service worker of the check-in page and the grid, served from /pelatihan/
    so that its scope covers them. Its cache is named for this release's offline
    scripts, so a release that changes them replaces every copy."""
    return render(
        request,
        "training/offline-worker.js",
        {
            "version": _offline_version(),
            "no_signal": _(
                "Tidak ada sinyal, dan halaman ini belum disimpan di ponsel ini. Buka "
                "halaman check-in atau kehadiran kegiatan saat ada sinyal agar bisa "
                "dipakai tanpa sinyal."
            ),
        },
        content_type="text/javascript; charset=utf-8",
    )


@functools.cache
def _offline_version():
    worker = get_template("training/offline-worker.js").template.source
    page = Path(finders.find("js/offline.js")).read_text()
    return hashlib.sha256((worker + page).encode()).hexdigest()[:12]


def checkin(request, pk):
    """The door on the day: check a participant in by the code on their card, or by
    name from the roster, with today's count."""
    event = get_event_for_user(request.user, pk, for_change=True)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            marked = services.attendance_check_in(
                event=event, code=form.cleaned_data["code"], by=request.user
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": marked.registration.attendee, "status": marked.get_status_display()},
            )
            return redirect("training:checkin", pk=event.pk)
    context = {"event": event, "form": form, **_door_roster(event)}
    return render(request, "training/checkin.html", context)


def _door_roster(event):
    """Who sits in the room, each with whether they are in today, and the count."""
    today = event.days.filter(date=timezone.localdate()).first()
    seated = services.daftar_hadir(event)
    marks = services.attendance_grid([today]) if today else {}
    rows = [
        (registration, today is not None and marks.get((registration.pk, today.pk)) in PRESENT)
        for registration in seated
    ]
    return {"today": today, "roster": rows, "present_today": sum(1 for _, here in rows if here)}


PRESENT = Attendance.PRESENT_STATUSES


# -- outputs ---------------------------------------------------------------------------


def summary(request, pk):
    event = get_event_for_user(request.user, pk)
    days, rows, total, others = services.category_summary(event)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        return download(pdf.summary(event, days, rows, total, others), f"rekap-{event.code}.pdf")
    if fmt == "xlsx":
        return download(excel.summary(days, rows, total, others), f"rekap-{event.code}.xlsx")
    return render(
        request,
        "training/summary.html",
        {"event": event, "days": days, "rows": rows, "total": total, "others": others},
    )


def event_calendar(request, pk):
    """The event's days as an .ics file, for the user's own calendar."""
    event = get_event_for_user(request.user, pk)
    content = calendar.event_ics(event, request.build_absolute_uri(event.get_absolute_url()))
    return download(content, f"{event.code}.ics")


def attendance_pdf(request, pk):
    """The daftar hadir of the day asked (`hari`), with `kosong` blank rows."""
    event = get_event_for_user(request.user, pk)
    form = AttendanceListForm(request.GET, event=event)
    if not form.is_valid():
        context = {"event": event, "form": form}
        return render(request, "training/attendance_list_form.html", context, status=400)
    day, blank_rows = form.cleaned_data["hari"], form.cleaned_data["kosong"]
    registrations = services.daftar_hadir(event)
    if registrations or blank_rows:
        content = pdf.attendance_list(event, day, registrations, blank_rows)
    else:
        content = pdf.empty(event, "Daftar hadir", NO_PARTICIPANTS)
    return download(content, f"daftar-hadir-{event.code}-{day.date:%Y%m%d}.pdf")


def cards_pdf(request, pk):
    event = get_event_for_user(request.user, pk)
    registrations = services.daftar_hadir(event)
    if registrations:
        content = pdf.participant_cards(event, registrations)
    else:
        content = pdf.empty(event, "Kartu peserta", NO_PARTICIPANTS)
    return download(content, f"kartu-{event.code}.pdf")


@require_POST
def certificates_issue(request, pk):
    event = get_event_for_user(request.user, pk, for_change=True)
    count = services.certificates_issue(event=event)
    messages.success(
        request,
        _("%(n)d sertifikat baru diberi nomor. %(rule)s")
        % {"n": count, "rule": event.certificate_rule()},
    )
    return redirect(event)


def _verify_url(request):
    base = settings.PUBLIC_BASE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    path = reverse("training:verify")
    return lambda code: f"{base}{path}?kode={code}"


def certificates_pdf(request, pk):
    """Every certificate of the event, or one participant's (`reg`)."""
    event = get_event_for_user(request.user, pk)
    issued = event.registrations.certified()
    if request.GET.get("reg"):
        issued = issued.filter(pk=request.GET["reg"]) if request.GET["reg"].isdigit() else []
    issued = list(issued)
    if issued:
        content = pdf.certificates(event, issued, _verify_url(request))
    else:
        content = pdf.empty(event, "Sertifikat", NO_CERTIFICATES)
    return download(content, f"sertifikat-{event.code}.pdf")


def participants_xlsx(request, pk):
    event = get_event_for_user(request.user, pk)
    return download(excel.participants(event), f"peserta-{event.code}.xlsx")


@login_not_required
@cache_control(private=True, no_store=True)  # it names the holder
def verify(request):
    """Public: confirms a certificate by the code printed on it (and in its QR code),
    showing no more than name and event. A number alone names nobody, and an
    address that keeps missing is held back for an hour."""
    code = request.GET.get("kode", "").replace("-", "").replace(" ", "").upper()[:10]
    context = {"code": code, "number_only": "nomor" in request.GET and not code}
    if code and throttle.is_throttled(request, "certificate", VERIFY_MISSES_PER_HOUR):
        return render(request, "training/verify.html", {**context, "throttled": True}, status=429)
    registration = None
    if code:
        registration = (
            Registration.objects.filter(certificate_code=code)
            .select_related("person", "substitute", "event__organiser")
            .first()
        )
        if registration is None:
            throttle.count_miss(request, "certificate")
    days = list(registration.event.days.all()) if registration else []
    return render(
        request, "training/verify.html", {**context, "registration": registration, "days": days}
    )
