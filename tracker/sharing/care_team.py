"""The care team: the patient invites clinicians, sees who can read the diary,
removes them, and reads the log of every view of their data."""

import logging
import smtplib

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from ..access import INVALID, patient_required, private
from ..models import AccessLog, CareAccess, Patient, digest
from .forms import InviteForm
from .handover import hand_over, take_over

logger = logging.getLogger(__name__)

INVITATIONS_A_DAY = 5  # enough for a care team; too few to make Ripple a mailer


NEW_CODE = "ripple-new-code"


@require_http_methods(["GET", "POST"])
@patient_required
def care_team(request):
    patient = request.patient
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # The patient's row is locked, so parallel posts count one after another.
            Patient.objects.select_for_update().filter(pk=patient.pk).exists()
            since = timezone.now() - timezone.timedelta(days=1)
            made = CareAccess.objects.for_patient(patient).filter(created_at__gte=since).count()
            access = code = None
            if made < INVITATIONS_A_DAY:
                access, code = CareAccess.invite(patient=patient, email=form.cleaned_data["email"])
        if access is None:
            form.add_error(
                None,
                ngettext(
                    "You have made %(count)s invitation today, the most Ripple allows in a "
                    "day. Codes you made still work; you can make more tomorrow.",
                    "You have made %(count)s invitations today, the most Ripple allows in a "
                    "day. Codes you made still work; you can make more tomorrow.",
                    INVITATIONS_A_DAY,
                )
                % {"count": INVITATIONS_A_DAY},
            )
        else:
            if access.email and not _send_invitation(request, access, code):
                messages.error(
                    request,
                    _(
                        "We couldn't send the email just now. The code below still works: "
                        "pass it on yourself, or try again later."
                    ),
                )
            response = redirect("tracker:care-team")
            hand_over(request, response, NEW_CODE, code, path=reverse("tracker:care-team"))
            return response
    accesses = CareAccess.objects.for_patient(patient).select_related("clinician")
    log = Paginator(AccessLog.objects.for_patient(patient), 50).get_page(request.GET.get("page"))
    response = HttpResponse(status=INVALID if form.errors else 200)
    code = take_over(request, response, NEW_CODE) if request.method == "GET" else None
    if code and not accesses.pending().filter(code_hash=digest(code)).exists():
        code = None  # only a code of this patient's, still waiting to be used
    response.content = render(
        request,
        "tracker/sharing/care_team.html",
        {
            "form": form,
            "code": code,
            "invitation_days": CareAccess.INVITATION_DAYS,
            "current": accesses.current(),
            "pending": accesses.pending(),
            "log": log,
        },
    ).content
    return private(response)


def _send_invitation(request, access, code) -> bool:
    """Email the code; False if the mail server couldn't take it (the code still works).
    The email holds nothing the patient typed and says nothing of their health:
    an address may be mistyped, and Ripple must not be a way to send anyone words."""
    from django.core.mail import send_mail

    accept = request.build_absolute_uri(reverse("tracker:clinician-accept"))
    join = request.build_absolute_uri(reverse("tracker:clinician-join"))
    # Translators: a date format (as Django's date filter reads it) for the day an
    # invitation code stops working, in the invitation email: "05 March 2026".
    until = date_format(access.expires_at, pgettext("invitation email date", "d F Y"))
    paragraphs = [
        _("A patient who keeps a symptom diary in Ripple would like you to be able to read it."),
        _(
            "If you expected this, sign in to Ripple with your clinician account, go to "
            "%(accept_url)s and enter this code:"
        )
        % {"accept_url": accept},
        f"    {code}",
        _("No Ripple account yet? Make one with the same code at %(join_url)s")
        % {"join_url": join},
        _(
            "The code works once, until %(date)s. If you did not expect this email, you can "
            "ignore it: nothing happens unless the code is used."
        )
        % {"date": until},
    ]
    try:
        send_mail(
            subject=_("An invitation to a patient's Ripple diary"),
            message="\n\n".join(paragraphs),
            from_email=None,
            recipient_list=[access.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("The invitation email could not be sent.")
        return False
    return True


@require_POST
@patient_required
def care_team_remove(request, pk):
    access = get_object_or_404(CareAccess.objects.for_patient(request.patient), pk=pk)
    access.end()
    if access.clinician:
        who = access.clinician.get_full_name() or access.clinician.username
        messages.success(request, _("%(name)s can no longer see your diary.") % {"name": who})
    else:
        messages.success(request, _("The invitation is withdrawn: its code no longer works."))
    return redirect("tracker:care-team")
