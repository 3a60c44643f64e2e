from django.contrib import admin

from kampungkb.admin import HistoryAdmin

from .models import CoachingPlan, CoachingVisit, Need, NeedUpdate


@admin.register(CoachingPlan)
class CoachingPlanAdmin(admin.ModelAdmin):
    list_display = ["kampung", "month", "planned_date"]
    list_filter = ["month", "kampung__kelurahan__district__city"]
    search_fields = ["kampung__name"]
    autocomplete_fields = ["kampung"]


@admin.register(CoachingVisit)
class CoachingVisitAdmin(HistoryAdmin):
    list_display = ["kampung", "date", "status", "verified_by"]
    list_filter = ["status", "kampung__kelurahan__district__city"]
    search_fields = ["kampung__name", "findings"]
    autocomplete_fields = ["kampung"]
    readonly_fields = ["version", "verified_at"]
    raw_id_fields = ["plan"]


class NeedUpdateInline(admin.TabularInline):
    model = NeedUpdate
    extra = 0
    raw_id_fields = ["visit"]


@admin.register(Need)
class NeedAdmin(HistoryAdmin):
    list_display = ["description", "kampung", "category", "agency", "status", "due_date"]
    list_filter = ["status", "category", "priority", "agency"]
    search_fields = ["description", "kampung__name"]
    autocomplete_fields = ["kampung", "agency"]
    raw_id_fields = ["raised_at"]
    inlines = [NeedUpdateInline]
