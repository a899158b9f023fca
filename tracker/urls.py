from django.urls import path

from . import (
    converters,  # noqa: F401 - registers <isodate:...>
    views,
)

app_name = "tracker"

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("today/", views.today, name="today"),
    path("day/<isodate:date>/", views.checkin, name="checkin"),
    path("day/<isodate:date>/symptom/<slug:slug>/", views.checkin_symptom, name="checkin-symptom"),
    path("day/<isodate:date>/day/", views.checkin_day, name="checkin-day"),
    path("history/", views.history, name="history"),
    path("trends/", views.trends, name="trends"),
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/new/", views.timeline_edit, name="timeline-add"),
    path("timeline/<int:pk>/", views.timeline_edit, name="timeline-edit"),
    path("timeline/<int:pk>/delete/", views.timeline_delete, name="timeline-delete"),
    path("settings/", views.patient_settings, name="settings"),
    path("settings/medicine/new/", views.therapy_edit, name="therapy-add"),
    path("settings/medicine/<int:pk>/", views.therapy_edit, name="therapy-edit"),
    path("settings/medicine/<int:pk>/delete/", views.therapy_delete, name="therapy-delete"),
]
