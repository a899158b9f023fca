from django.urls import path, re_path

from . import app_shell, converters  # noqa: F401 - converters registers <isodate:...>
from .accounts import views as accounts
from .checkin import views as checkin
from .privacy import views as privacy
from .reminders import views as reminders
from .reports import views as reports
from .sharing import care_team, clinicians, links
from .timeline import views as timeline
from .trends import views as trends

app_name = "tracker"

urlpatterns = [
    path("welcome/", accounts.onboarding, name="onboarding"),
    path("settings/", accounts.patient_settings, name="settings"),
    path("settings/reminders/", reminders.reminder_settings, name="reminders"),
    path("settings/reminders/push/", reminders.push_subscribe, name="push-subscribe"),
    path("settings/reminders/push/stop/", reminders.push_unsubscribe, name="push-unsubscribe"),
    path("sw.js", app_shell.service_worker, name="service-worker"),
    path("manifest.webmanifest", app_shell.manifest, name="manifest"),
    path("offline/", app_shell.offline, name="offline"),
    path("reminders/stop/<str:token>/", reminders.reminders_stop, name="reminders-stop"),
    # Privacy: the notice, agreeing to it, deleting the account, everything it holds
    path("privacy/", privacy.privacy_notice, name="privacy"),
    path("privacy/agree/", privacy.privacy_consent, name="privacy-consent"),
    path("settings/delete-account/", privacy.account_delete, name="account-delete"),
    path("goodbye/", privacy.account_deleted, name="account-deleted"),
    path("settings/data/", privacy.archive, name="archive"),
    path("settings/data/new/", privacy.archive_new, name="archive-new"),
    path("settings/data/<int:pk>/download/", privacy.archive_download, name="archive-download"),
    path("settings/medicine/new/", accounts.therapy_edit, name="therapy-add"),
    path("settings/medicine/<int:pk>/", accounts.therapy_edit, name="therapy-edit"),
    path("settings/medicine/<int:pk>/delete/", accounts.therapy_delete, name="therapy-delete"),
    # The check-in and the history calendar
    path("today/", checkin.today, name="today"),
    path("day/<isodate:date>/", checkin.checkin, name="checkin"),
    path(
        "day/<isodate:date>/symptom/<slug:slug>/", checkin.checkin_symptom, name="checkin-symptom"
    ),
    path("day/<isodate:date>/day/", checkin.checkin_day, name="checkin-day"),
    path("day/<isodate:date>/quick/", checkin.checkin_quick, name="checkin-quick"),
    path("history/", checkin.history, name="history"),
    # Trends and the timeline beside them
    path("trends/", trends.trends, name="trends"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/new/", timeline.timeline_edit, name="timeline-add"),
    path("timeline/<int:pk>/", timeline.timeline_edit, name="timeline-edit"),
    path("timeline/<int:pk>/delete/", timeline.timeline_delete, name="timeline-delete"),
    # The appointment report
    path("report/", reports.report, name="report"),
    path("report/notes/", reports.report_notes, name="report-notes"),
    path("report/pdf/", reports.report_pdf, name="report-pdf"),
    path("report/pdfs/<int:pk>/", reports.report_pdf_status, name="report-pdf-status"),
    path("report/pdfs/<int:pk>/download/", reports.report_pdf_download, name="report-pdf-download"),
    path("report/<slug:fmt>/", reports.report_export, name="report-export"),
    # Share links: the patient's side, then the report behind a link for whoever holds it
    path("sharing/", links.share_list, name="share-list"),
    path("sharing/new/", links.share_new, name="share-new"),
    path("sharing/<int:pk>/", links.share_detail, name="share-detail"),
    path("sharing/<int:pk>/revoke/", links.share_revoke, name="share-revoke"),
    path("r/<str:token>/", links.shared_report, name="shared-report"),
    path("r/<str:token>/pdf/", links.shared_report_pdf, name="shared-report-pdf"),
    path("r/<str:token>/pdfs/<int:pk>/", links.shared_pdf_status, name="shared-pdf-status"),
    path(
        "r/<str:token>/pdfs/<int:pk>/download/",
        links.shared_pdf_download,
        name="shared-pdf-download",
    ),
    # Malformed: the same kind 404. Only paths ending in "/", so a link copied
    # without its last slash is still redirected to it.
    re_path(r"^r/(?:.*/)?$", links.shared_report, {"token": ""}),
    # The care team (the patient's side) and the clinicians
    path("care-team/", care_team.care_team, name="care-team"),
    path("care-team/<int:pk>/remove/", care_team.care_team_remove, name="care-team-remove"),
    path("clinician/", clinicians.clinician_panel, name="clinician-panel"),
    path("clinician/accept/", clinicians.clinician_accept, name="clinician-accept"),
    path("clinician/join/", clinicians.clinician_join, name="clinician-join"),
    path(
        "clinician/join/confirm/<str:token>/",
        clinicians.clinician_join_confirm,
        name="clinician-join-confirm",
    ),
    path(
        "clinician/patients/<int:pk>/", clinicians.clinician_dashboard, name="clinician-dashboard"
    ),
    path(
        "clinician/patients/<int:pk>/baseline/",
        clinicians.clinician_baseline,
        name="clinician-baseline",
    ),
    path(
        "clinician/patients/<int:pk>/flags/seen/",
        clinicians.clinician_flag_seen,
        name="clinician-flag-seen",
    ),
    path(
        "clinician/patients/<int:pk>/report/", clinicians.clinician_report, name="clinician-report"
    ),
    path(
        "clinician/patients/<int:pk>/report/pdf/",
        clinicians.clinician_report_pdf,
        name="clinician-report-pdf",
    ),
    path("clinician/pdfs/<int:pk>/", clinicians.clinician_pdf_status, name="clinician-pdf-status"),
    path(
        "clinician/pdfs/<int:pk>/download/",
        clinicians.clinician_pdf_download,
        name="clinician-pdf-download",
    ),
    path(
        "clinician/patients/<int:pk>/report/<slug:fmt>/",
        clinicians.clinician_report,
        name="clinician-report-export",
    ),
]
