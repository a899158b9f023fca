import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tracker import demo, roles
from tracker.models import CareAccess, Consent, Patient, ReportSection, ShareLink, User
from tracker.privacy import notice as privacy_notice

DEMO_PASSWORD = "ripple-demo"  # noqa: S105 - a public demo login, refused outside DEBUG
DEMO_TIME_ZONE = "Europe/London"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo accounts: patient 'demo' with six months of diary, "
        "'clinician', 'editor', 'reviewer' and 'admin'. Safe to run again. Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: demo logins have public passwords."
            )
        with transaction.atomic():
            patient_user = self._user(
                "demo", roles.PATIENT, email="demo@example.org", name=("Sam", "Rivers")
            )
            patient, _ = Patient.objects.get_or_create(user=patient_user)
            patient.time_zone = DEMO_TIME_ZONE
            patient.prior_tamoxifen = False
            patient.onboarded_at = patient.onboarded_at or timezone.now()
            patient.visit_notes = demo.VISIT_NOTES
            patient.save()
            # The demo patient agreed to the privacy notice when signing up, as anyone does.
            Consent.objects.get_or_create(user=patient_user, version=privacy_notice.VERSION)
            demo.build(patient, today=patient.today())
            clinician = self._user(
                "clinician", roles.CLINICIAN, email="clinician@example.org", name=("Jo", "Patel")
            )
            # The clinician accepted the demo patient's invitation; one share link is open.
            patient.care_access.all().delete()
            patient.share_links.all().delete()
            access, code = CareAccess.invite(patient=patient)
            CareAccess.accept(code=code, clinician=clinician)
            today = patient.today()
            _, token = ShareLink.make(
                patient=patient,
                sections=list(ReportSection.values),
                starts_on=today - dt.timedelta(days=89),
                ends_on=today,
                label="Demo link for the oncology clinic",
            )
            for username, role in [
                ("editor", roles.CONTENT_EDITOR),
                ("reviewer", roles.CLINICAL_REVIEWER),
            ]:
                staff = self._user(username, role, email=f"{username}@example.org")
                staff.is_staff = True  # content is curated in the Django admin
                staff.save()
            admin = self._user("admin", roles.ADMIN, email="admin@example.org")
            admin.is_staff = admin.is_superuser = True
            admin.save()
        logged = patient.day_logs.count()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {logged} days in the demo diary."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write("  patient            demo")
        self.stdout.write("  clinician          clinician")
        self.stdout.write("  content editor     editor    (Django admin at /admin/)")
        self.stdout.write("  clinical reviewer  reviewer  (Django admin at /admin/)")
        self.stdout.write("  admin              admin     (Django admin at /admin/)")
        self.stdout.write(
            "Staff and clinicians set up a second factor (an authenticator app) at first "
            "login; it is kept when the demo is made again."
        )
        self.stdout.write(
            f"A share link to open without logging in: http://127.0.0.1:8000/r/{token}/"
        )

    def _user(self, username: str, role: str, *, email: str, name=("", "")) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
        user.first_name, user.last_name = name
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        return user
