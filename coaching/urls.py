from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("rencana/", views.plan, name="plan"),
    path("laporan/", views.report, name="report"),
    path("kebutuhan/", views.need_list, name="needs"),
    path("kebutuhan/<int:pk>/", views.need_edit, name="need_edit"),
    path("kampung/<int:village_pk>/kunjungan/baru/", views.visit_create, name="visit_create"),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit"),
    path("kunjungan/<int:pk>/ubah/", views.visit_edit, name="visit_edit"),
    path("kunjungan/<int:pk>/kegiatan/", views.visit_activity, name="visit_activity"),
    path("kunjungan/<int:pk>/ajukan/", views.visit_submit, name="visit_submit"),
    path("kunjungan/<int:pk>/verifikasi/", views.visit_verify, name="visit_verify"),
    path("kunjungan/<int:pk>/buka-kembali/", views.visit_reopen, name="visit_reopen"),
]
