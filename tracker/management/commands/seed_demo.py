from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tracker import demo, roles
from tracker.models import Patient, User

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
            patient_user = self._user("demo", roles.PATIENT, email="demo@example.org")
            patient, _ = Patient.objects.get_or_create(user=patient_user)
            patient.time_zone = DEMO_TIME_ZONE
            patient.prior_tamoxifen = False
            patient.onboarded_at = patient.onboarded_at or timezone.now()
            patient.save()
            demo.build(patient, today=patient.today())
            self._user("clinician", roles.CLINICIAN, email="clinician@example.org")
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

    def _user(self, username: str, role: str, *, email: str) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        return user
