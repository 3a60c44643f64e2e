from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_create, name="create"),
    path("verifikasi/", views.verify, name="verify"),
    path("luring.js", views.offline_worker, name="offline_worker"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/kegiatan/", views.event_activities, name="event_activities"),
    path("<int:pk>/kegiatan/<int:village_pk>/", views.event_activity, name="event_activity"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/riwayat/", views.event_history, name="history"),
    path("<int:pk>/tahap-berikut/", views.event_next_phase, name="next_phase"),
    path("<int:pk>/peserta/", views.participants, name="participants"),
    path("<int:pk>/peserta/excel/", views.participants_xlsx, name="participants_xlsx"),
    path("<int:pk>/peserta/baru/", views.registration_create, name="register"),
    path("<int:pk>/peserta/cari/", views.registration_search, name="register_search"),
    path("<int:pk>/peserta/massal/", views.registration_bulk, name="register_bulk"),
    path("<int:pk>/peserta/<int:reg_pk>/batal/", views.registration_cancel, name="cancel"),
    path("<int:pk>/peserta/<int:reg_pk>/wakil/", views.registration_substitute, name="substitute"),
    path("<int:pk>/kehadiran/", views.attendance, name="attendance"),
    path("<int:pk>/kehadiran/daftar-hadir.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("<int:pk>/kehadiran/daftar.json", views.attendance_roster, name="attendance_roster"),
    path("<int:pk>/kehadiran/kirim/", views.attendance_receive, name="attendance_receive"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/kalender.ics", views.event_calendar, name="calendar"),
    path("<int:pk>/kartu.pdf", views.cards_pdf, name="cards_pdf"),
    path("<int:pk>/rekap/", views.summary, name="summary"),
    path("<int:pk>/sertifikat/terbitkan/", views.certificates_issue, name="certificates_issue"),
    path("<int:pk>/sertifikat.pdf", views.certificates_pdf, name="certificates_pdf"),
]
