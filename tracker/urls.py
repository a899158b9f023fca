from django.urls import path, re_path

from . import (
    converters,  # noqa: F401 - registers <isodate:...>
    views,
    views_report,
    views_shared,
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
    # The appointment report and who else sees it (the patient's side)
    path("report/", views_report.report, name="report"),
    path("report/notes/", views_report.report_notes, name="report-notes"),
    path("report/<slug:fmt>/", views_report.report_export, name="report-export"),
    path("sharing/", views_report.share_list, name="share-list"),
    path("sharing/new/", views_report.share_new, name="share-new"),
    path("sharing/<int:pk>/", views_report.share_detail, name="share-detail"),
    path("sharing/<int:pk>/revoke/", views_report.share_revoke, name="share-revoke"),
    path("care-team/", views_report.care_team, name="care-team"),
    path("care-team/<int:pk>/remove/", views_report.care_team_remove, name="care-team-remove"),
    # A share link's report, for whoever holds the link
    path("r/<str:token>/", views_shared.shared_report, name="shared-report"),
    path(
        "r/<str:token>/pdf/", views_shared.shared_report, {"fmt": "pdf"}, name="shared-report-pdf"
    ),
    # Malformed: the same kind 404. Only paths ending in "/", so a link copied
    # without its last slash is still redirected to it.
    re_path(r"^r/(?:.*/)?$", views_shared.shared_report, {"token": ""}),
    # Clinicians
    path("clinician/", views_shared.clinician_panel, name="clinician-panel"),
    path("clinician/accept/", views_shared.clinician_accept, name="clinician-accept"),
    path("clinician/join/", views_shared.clinician_join, name="clinician-join"),
    path(
        "clinician/patients/<int:pk>/", views_shared.clinician_dashboard, name="clinician-dashboard"
    ),
    path(
        "clinician/patients/<int:pk>/report/",
        views_shared.clinician_report,
        name="clinician-report",
    ),
    path(
        "clinician/patients/<int:pk>/report/<slug:fmt>/",
        views_shared.clinician_report,
        name="clinician-report-export",
    ),
]
