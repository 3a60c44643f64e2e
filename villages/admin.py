from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kampungkb.admin import HistoryAdmin

from .models import (
    PHOTOS_PER_ACTIVITY,
    Activity,
    ActivityAgency,
    ActivityPhoto,
    Agency,
    AgencyOffice,
    City,
    District,
    KampungKB,
    Kelurahan,
    Manager,
    Person,
    Pokja,
    PokjaMember,
    ProfileSnapshot,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city"]
    list_filter = ["city"]
    search_fields = ["code", "name"]


@admin.register(Kelurahan)
class KelurahanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    list_filter = ["district__city", "district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "name", "sector"]
    list_filter = ["sector"]
    search_fields = ["abbreviation", "name"]


@admin.register(AgencyOffice)
class AgencyOfficeAdmin(admin.ModelAdmin):
    list_display = ["agency", "city", "head_name", "leads_programme"]
    list_filter = ["city", "leads_programme"]
    search_fields = ["agency__abbreviation", "agency__name", "head_name"]
    list_select_related = ["agency", "city"]
    fieldsets = [
        (None, {"fields": ["city", "agency", "leads_programme"]}),
        (_("Kop surat"), {"fields": ["address", "phone", "logo"]}),
        (_("Kepala"), {"fields": ["head_name", "head_position", "head_nip"]}),
    ]


class ManagerInline(admin.TabularInline):
    model = Manager
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(KampungKB)
class KampungKBAdmin(HistoryAdmin):
    list_display = ["name", "kelurahan", "status", "computed_level", "level_override"]
    list_filter = ["status", "computed_level", "kelurahan__district__city"]
    search_fields = ["name", "kelurahan__name", "sk_number"]
    list_select_related = ["kelurahan"]
    readonly_fields = ["computed_level", "version"]
    autocomplete_fields = ["kelurahan"]
    inlines = [ManagerInline]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "sex", "position", "kelurahan", "city"]
    list_filter = ["city", "sex"]
    search_fields = ["name", "nik", "phone"]
    autocomplete_fields = ["kelurahan"]
    readonly_fields = ["version"]


@admin.register(Manager)
class ManagerAdmin(HistoryAdmin):
    list_display = ["person", "role", "kampung", "start_date", "end_date"]
    list_filter = ["role", "kampung__kelurahan__district__city"]
    search_fields = ["person__name", "kampung__name"]
    autocomplete_fields = ["person", "kampung"]


class PokjaMemberInline(admin.TabularInline):
    model = PokjaMember
    extra = 0
    autocomplete_fields = ["person", "agency"]


@admin.register(Pokja)
class PokjaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "city", "sk_number"]
    list_filter = ["level", "city"]
    search_fields = ["district__name", "kelurahan__name", "sk_number"]
    inlines = [PokjaMemberInline]


@admin.register(PokjaMember)
class PokjaMemberAdmin(HistoryAdmin):
    list_display = ["person", "agency", "role", "pokja", "term_start", "term_end"]
    list_filter = ["role", "agency", "pokja__level"]
    search_fields = ["person__name", "agency__abbreviation"]
    autocomplete_fields = ["person", "agency"]


@admin.register(ProfileSnapshot)
class ProfileSnapshotAdmin(HistoryAdmin):
    list_display = ["kampung", "month", "pus", "cpr", "mkjp_share", "unmet_need"]
    list_filter = ["month", "kampung__kelurahan__district__city"]
    search_fields = ["kampung__name"]
    readonly_fields = ["cpr", "mkjp_share", "unmet_need"]
    autocomplete_fields = ["kampung"]


class ActivityAgencyInline(admin.TabularInline):
    model = ActivityAgency
    extra = 0
    autocomplete_fields = ["agency"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    max_num = PHOTOS_PER_ACTIVITY
    fields = ["preview", "kind", "image", "caption"]
    readonly_fields = ["preview"]

    @admin.display(description=_("pratinjau"))
    def preview(self, photo):
        if not photo.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" loading="lazy">', photo.get_absolute_url()
        )


@admin.register(Activity)
class ActivityAdmin(HistoryAdmin):
    list_display = ["title", "kampung", "date", "family_function"]
    list_filter = ["family_function", "kampung__kelurahan__district__city"]
    search_fields = ["title", "kampung__name", "place"]
    list_select_related = ["kampung"]
    autocomplete_fields = ["kampung"]
    date_hierarchy = "date"
    inlines = [ActivityAgencyInline, ActivityPhotoInline]
