"""The privacy notice and agreeing to it, deleting an account, and the archive of
everything an account holds."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, patient_required, private
from ..models import Archive
from . import notice
from .deletion import delete_account
from .forms import ConsentForm, DeleteAccountForm
from .tasks import make_archive

ARCHIVES_PER_DAY = 3
logger = logging.getLogger(__name__)


@require_GET
def privacy_notice(request):
    context = {"version": notice.VERSION, "PRIVACY_CONTACT": settings.PRIVACY_CONTACT}
    return render(request, "tracker/privacy/notice_page.html", context)


@require_http_methods(["GET", "POST"])
@patient_required(onboarded=False, consented=False)
def privacy_consent(request):
    """Asked when the notice changed since the patient last agreed (or never did)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notice.agree(request, request.user)
        return redirect(next_url or "home")
    context = {
        "form": form,
        "next": next_url,
        "changes": notice.CHANGES,
        "version": notice.VERSION,
        "PRIVACY_CONTACT": settings.PRIVACY_CONTACT,
    }
    return render(
        request,
        "tracker/privacy/consent.html",
        context,
        status=INVALID if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@patient_required(onboarded=False, consented=False)
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)  # first: should it fail, they are still logged in
        logout(request)
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("tracker:account-deleted")
    return render(
        request,
        "tracker/privacy/delete.html",
        {"form": form},
        status=INVALID if form.errors else 200,
    )


@require_GET
def account_deleted(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "tracker/privacy/deleted.html")


# --- Download all my data ----------------------------------------------------------


@require_GET
@patient_required(onboarded=False, consented=False)
def archive(request):
    """The latest archive and its state; while it is being made, htmx asks again."""
    Archive.objects.for_patient(request.patient).stuck().update(status=Archive.Status.FAILED)
    latest = Archive.objects.for_patient(request.patient).defer("content").first()
    if latest and latest.created_at < timezone.now() - Archive.KEPT_FOR:
        latest = None  # gone by the next pruning: not offered any more
    template = (
        "tracker/privacy/archive.html#archive-state"
        if request.htmx
        else "tracker/privacy/archive.html"
    )
    return private(render(request, template, {"archive": latest}))


@require_POST
@patient_required(onboarded=False, consented=False)
def archive_new(request):
    patient = request.patient
    recent = Archive.objects.for_patient(patient).filter(
        created_at__gte=timezone.now() - dt.timedelta(days=1)
    )
    recent.stuck().update(status=Archive.Status.FAILED)
    if recent.filter(status=Archive.Status.QUEUED).exists():
        messages.info(request, _("Your archive is already being made."))
    elif recent.count() >= ARCHIVES_PER_DAY:
        messages.info(
            request,
            ngettext(
                "You have made %(count)d archive today, which is the most for one day. "
                "The last one is still here to download.",
                "You have made %(count)d archives today, which is the most for one day. "
                "The last one is still here to download.",
                ARCHIVES_PER_DAY,
            )
            % {"count": ARCHIVES_PER_DAY},
        )
    else:
        new = Archive.objects.create(patient=patient)
        language = translation.get_language()
        transaction.on_commit(lambda: _enqueue(new, language))
    return redirect("tracker:archive")


def _enqueue(archive_: Archive, language: str | None) -> None:
    """A queue that can't be reached fails the archive at once, with a kind message,
    rather than leaving it "being made" for a day."""
    try:
        # The archive's own words (its README, the CSV's headings) in the page's language.
        make_archive.enqueue(archive_.pk, language)
    except Exception:
        logger.exception("An archive could not be queued.")
        Archive.objects.filter(pk=archive_.pk).update(status=Archive.Status.FAILED)


@require_GET
@patient_required(onboarded=False, consented=False)
def archive_download(request, pk):
    archive_ = get_object_or_404(
        Archive.objects.for_patient(request.patient).filter(status=Archive.Status.READY), pk=pk
    )
    response = HttpResponse(bytes(archive_.content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_.file_name}"'
    return private(response)
