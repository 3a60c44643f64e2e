from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="list"),
    path("ekspor/", views.village_export, name="export"),
    path("ekspor/portal/", views.portal_export, name="portal_export"),
    path("tingkat/", views.village_levels, name="levels"),
    path("profil/", views.month_sheet, name="month_sheet"),
    path("profil/salin/", views.profile_copy, name="profile_copy"),
    path("profil/ekspor/", views.profile_export, name="profile_export"),
    path("baru/", views.village_create, name="create"),
    path("<int:pk>/ubah/", views.village_edit, name="edit"),
    path("<int:pk>/riwayat/", views.village_history, name="history"),
    path("<int:pk>/ekspor/portal/", views.village_portal_export, name="village_portal_export"),
    path("<int:pk>/klasifikasi/", views.village_override, name="override"),
    path("<int:pk>/profil/baru/", views.snapshot_form, name="snapshot_create"),
    path("<int:pk>/profil/<int:snapshot_pk>/", views.snapshot_form, name="snapshot_edit"),
    path("<int:pk>/pengelola/baru/", views.manager_form, name="manager_create"),
    path("<int:pk>/pengelola/<int:manager_pk>/", views.manager_form, name="manager_edit"),
    path("<int:pk>/kegiatan/", views.activity_list, name="activity_list"),
    path("<int:pk>/kegiatan/baru/", views.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity"),
    path("kegiatan/<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<int:pk>/hapus/", views.activity_delete, name="activity_delete"),
    path("kegiatan/foto/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("orang/", views.person_list, name="person_list"),
    path("orang/cari/", views.person_search, name="person_search"),
    path("orang/ekspor/", views.person_export, name="person_export"),
    path("orang/baru/", views.person_create, name="person_create"),
    path("orang/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("pokja/", views.pokja_list, name="pokja_list"),
    path("pokja/<int:pk>/", views.pokja_detail, name="pokja"),
    path("pokja/<int:pk>/anggota/baru/", views.pokja_member_form, name="pokja_member_create"),
    path(
        "pokja/<int:pk>/anggota/<int:member_pk>/", views.pokja_member_form, name="pokja_member_edit"
    ),
    path("instansi/", views.agency_list, name="agency_list"),
    path("impor/<slug:kind>/", views.import_upload, name="import"),
]
