from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kampung/<int:pk>/", views.village, name="village"),
    path("kampung/orang/<int:pk>/", views.person, name="person"),
    path("kampung/instansi/<int:pk>/", views.agency, name="agency"),
    path("akun/kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
