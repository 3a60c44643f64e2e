from django.contrib import admin
from django.utils import timezone

from kampungkb.admin import HistoryAdmin

from .models import Attendance, EventDay, Registration, TrainingEvent


class EventDayInline(admin.TabularInline):
    model = EventDay
    extra = 0


@admin.register(TrainingEvent)
class TrainingEventAdmin(HistoryAdmin):
    list_display = ["title", "code", "kind", "city", "phase", "capacity", "status"]
    list_filter = ["kind", "status", "city"]
    search_fields = ["title", "code", "programme", "venue"]
    filter_horizontal = ["target_districts"]
    readonly_fields = ["version"]
    inlines = [EventDayInline]


@admin.register(Registration)
class RegistrationAdmin(HistoryAdmin):
    list_display = ["person", "event", "category", "status", "substitute", "certificate_number"]
    list_filter = ["status", "category", "event__city"]
    search_fields = [
        "person__name",
        "substitute__name",
        "event__title",
        "certificate_number",
        "checkin_code",
    ]
    autocomplete_fields = ["person", "substitute", "kampung", "kelurahan", "district", "agency"]
    list_select_related = ["person", "event", "substitute"]
    readonly_fields = ["checkin_code", "certificate_code", "registered_at"]

    def get_readonly_fields(self, request, obj=None):
        """A registration stays with its event: its attendance is of that event's days."""
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "event"]


@admin.register(Attendance)
class AttendanceAdmin(HistoryAdmin):
    list_display = ["registration", "day", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "day__event__city"]
    search_fields = ["registration__person__name", "registration__event__title"]
    list_select_related = ["registration__person", "registration__event", "day", "recorded_by"]
    raw_id_fields = ["registration", "day"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        # who marked it and when, as the grid and check-in record
        obj.recorded_by, obj.recorded_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
