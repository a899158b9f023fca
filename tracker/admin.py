from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import DayLog, Patient, Symptom, User
from .privacy.deletion import delete_account
from .tasks import rescore_symptom

# What a stored grade depends on (see grading.grade).
GRADED_QUESTIONS = ["asks_frequency", "asks_severity", "asks_interference"]

# Many-to-many fields as checkboxes, not Django's two-box picker (filter_horizontal):
# its script names the boxes' filters with an aria-label on a plain span, which ARIA
# forbids and screen readers skip (axe: aria-prohibited-attr). Checkboxes need no
# script and read as well on a phone.
CHECKBOXES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


class LabelledRows:
    """For a formset shown as a table, a row per form (a list_editable list, a tabular
    inline). On screen a field's only label is its column's header, which a screen
    reader does not read with the field; each field is named for itself and its row
    instead ("Position, Muscle aches")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = self.row_name(form)
        for field in form.fields.values():
            if not field.widget.is_hidden:
                # Translators: a field's name for screen readers in a table's row:
                # the column's header, then the row ("Position, Muscle aches").
                field.widget.attrs["aria-label"] = gettext("%(field)s, %(row)s") % {
                    "field": capfirst(field.label),
                    "row": row,
                }

    def row_name(self, form) -> str:
        return str(form.instance) if form.instance.pk else gettext("new row")


class LabelledListFormSet(LabelledRows, forms.BaseModelFormSet):
    pass


class BoundedListEditing:
    """A list_editable page posts one form per row shown, at most a "show all" page of
    them. Django builds as many forms as a post claims, up to 2,000, before it refuses
    the post; here one claiming more rows than a page shows is refused having built
    no more than that. Its fields are named for their rows (LabelledRows)."""

    def get_changelist_formset(self, request, **kwargs):
        rows = max(self.list_per_page, self.list_max_show_all)
        return super().get_changelist_formset(
            request, formset=LabelledListFormSet, max_num=rows, absolute_max=rows, **kwargs
        )


# Patients' answers are deliberately not in the admin: staff curate the
# catalogue, they do not browse anyone's health record.
@admin.register(User)
class RippleUserAdmin(UserAdmin):
    filter_horizontal = ()
    formfield_overrides = CHECKBOXES

    def get_deleted_objects(self, objs, request):
        """What deleting these users takes with them, as counts: no one's diary.

        Django's page would name every object deleted with a user, each by its own
        description: for a patient, every diary day, symptom answer, treatment and
        note. An admin still has to be able to delete an account (a patient who asks
        for it and can no longer sign in), and to see how much goes with it before
        saying yes; so the page lists the users, and counts what goes by kind.
        """
        users = list(objs)
        if not users:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(User), origin=objs)
        collector.collect(users)
        found = collector.model_objs
        days = {}
        for day in found.get(DayLog, ()):
            days[day.patient_id] = days.get(day.patient_id, 0) + 1
        patients = {patient.user_id: patient for patient in found.get(Patient, ())}
        deleted = []
        for user in users:
            if user.pk in patients:
                count = days.get(patients[user.pk].pk, 0)
                # Translators: English keeps "day(s)" for any number; use your plural forms.
                line = ngettext(
                    "User: %(user)s, and their patient record: %(count)s diary day(s) and "
                    "all they recorded",
                    "User: %(user)s, and their patient record: %(count)s diary day(s) and "
                    "all they recorded",
                    count,
                ) % {"user": user, "count": count}
            else:
                line = gettext("User: %(user)s") % {"user": user}
            deleted.append(line)
        counts = {model._meta.verbose_name_plural: len(objects) for model, objects in found.items()}
        lacking = {
            model._meta.verbose_name
            for model in found
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        # Only content (a version a user reviewed) is protected from deletion with them.
        protected = [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in collector.protected]
        return deleted, counts, lacking, protected

    # Deleted as a patient's own "Delete my account" does, login records included.
    def delete_model(self, request, obj):
        delete_account(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            delete_account(user)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """The roles (tracker.roles) and what each may do."""

    filter_horizontal = ()
    formfield_overrides = CHECKBOXES


@admin.register(Symptom)
class SymptomAdmin(BoundedListEditing, admin.ModelAdmin):
    list_display = [
        "name",
        "position",
        "attributes_asked",
        "tracked_by_default",
        "retired",
    ]
    list_editable = ["position", "tracked_by_default"]
    list_filter = ["retired", "tracked_by_default"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["retire", "restore"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "hint", "position", "pro_ctcae_item"]}),
        (
            _("What is asked each day"),
            {
                "fields": [
                    "asks_frequency",
                    "asks_severity",
                    "asks_interference",
                    "asks_pain_details",
                    "asks_hot_flash_episodes",
                    "asks_night_awakenings",
                    "offers_opt_outs",
                ]
            },
        ),
        (_("Safety"), {"fields": ["urgent_signs", "crisis_contacts"]}),
        (_("Availability"), {"fields": ["tracked_by_default", "retired"]}),
    ]

    # Translators: the header of the admin's column listing what a symptom asks.
    @admin.display(description=_("asks"))
    def attributes_asked(self, symptom):
        return ", ".join(symptom.attributes)

    def get_readonly_fields(self, request, obj=None):
        # The slug names logged values in URLs and exports; fixed once created.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        # Django fills a prepopulated field in the form, and fails (a 500) when the
        # field is read-only and so not in the form: what is read-only is never
        # prepopulated, whatever makes it read-only.
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            field: sources
            for field, sources in self.prepopulated_fields.items()
            if field not in readonly
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(GRADED_QUESTIONS):
            # Stored grades follow the questions asked: derive them again once saved.
            transaction.on_commit(lambda: rescore_symptom.enqueue(obj.pk))
            self.message_user(
                request,
                gettext(
                    "The grades already logged for %(name)s are being worked out again "
                    "for the questions it asks now."
                )
                % {"name": obj.name},
                messages.INFO,
            )

    def has_delete_permission(self, request, obj=None):
        # Retire instead: deleting would orphan what patients logged.
        return False

    @admin.action(description=_("Retire: stop asking (logged values are kept)"))
    def retire(self, request, queryset):
        count = queryset.update(retired=True)
        # Translators: English keeps "symptom(s)" for any number; use your plural forms.
        message = ngettext(
            "%(count)s symptom(s) retired.", "%(count)s symptom(s) retired.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Bring back into use"))
    def restore(self, request, queryset):
        count = queryset.update(retired=False)
        # Translators: English keeps "symptom(s)" for any number; use your plural forms.
        message = ngettext(
            "%(count)s symptom(s) back in use.", "%(count)s symptom(s) back in use.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
