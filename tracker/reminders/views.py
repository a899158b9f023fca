"""The reminder's settings, the one-click link in every reminder that stops them, and
the devices that get them as notifications (shown by the service worker, see
tracker.app_shell)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..access import INVALID, patient_required
from ..models import PushSubscription, Reminder
from .forms import PushSubscriptionForm, ReminderForm
from .push import public_key
from .sending import patient_from_token


def reminder_of(patient) -> Reminder:
    return Reminder.objects.filter(patient=patient).first() or Reminder(patient=patient)


@require_http_methods(["GET", "POST"])
@patient_required
def reminder_settings(request):
    form = ReminderForm(request.POST or None, instance=reminder_of(request.patient))
    if request.method == "POST" and form.is_valid():
        reminder = form.save()
        if reminder.by_email:
            messages.success(
                request,
                _("Saved. Your reminder comes at %(time)s on days not yet logged.")
                % {"time": time_format(reminder.at, "H:i")},
            )
        else:
            messages.success(request, _("Saved. Email reminders are off."))
        return redirect("tracker:reminders")
    return render(
        request,
        "tracker/reminders/reminders.html",
        {
            "form": form,
            "push_key": public_key(),
            "devices": request.patient.push_subscriptions.count(),
        },
        status=INVALID if form.errors else 200,
    )


# The signed token is the credential here, not a session: the link stops reminders
# in one click from the email, and mail programs post to it for their own
# "unsubscribe" button (RFC 8058), without Ripple's CSRF token. Opening it stops
# them; the page offers to turn them back on, in case a mail scanner opened it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminders_stop(request, token):
    patient = patient_from_token(token)
    if patient is None:
        return render(request, "tracker/reminders/stop.html", {"invalid": True}, status=404)
    reminder = reminder_of(patient)
    resume = request.POST.get("action") == "resume"
    if reminder.pk and reminder.by_email != resume:
        reminder.by_email = resume
        reminder.save(update_fields=["by_email"])
    return render(request, "tracker/reminders/stop.html", {"reminder": reminder, "token": token})


@require_POST
@patient_required
def push_subscribe(request):
    """A browser of the patient's asks for reminders: remember where to send them."""
    form = PushSubscriptionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=INVALID)
    data = form.cleaned_data
    # The same browser under another account now belongs to this one.
    PushSubscription.objects.update_or_create(
        endpoint=data["endpoint"],
        defaults={"patient": request.patient, "p256dh": data["p256dh"], "auth": data["auth"]},
    )
    reminder = reminder_of(request.patient)
    reminder.by_push = True
    reminder.save()
    return JsonResponse({"devices": request.patient.push_subscriptions.count()})


@require_POST
@patient_required
def push_unsubscribe(request):
    form = PushSubscriptionForm(request.POST, keys_required=False)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=INVALID)
    request.patient.push_subscriptions.filter(endpoint=form.cleaned_data["endpoint"]).delete()
    left = request.patient.push_subscriptions.count()
    if not left:
        Reminder.objects.filter(patient=request.patient).update(by_push=False)
    return JsonResponse({"devices": left})
