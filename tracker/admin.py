from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from .models import Symptom, User
from .tasks import rescore_symptom

# What a stored grade depends on (see grading.grade).
GRADED_QUESTIONS = ["asks_frequency", "asks_severity", "asks_interference"]

# Patients' answers are deliberately not in the admin: staff curate the
# catalogue, they do not browse anyone's health record.
admin.site.register(User, UserAdmin)


@admin.register(Symptom)
class SymptomAdmin(admin.ModelAdmin):
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
            "What is asked each day",
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
        ("Safety", {"fields": ["urgent_signs", "crisis_contacts"]}),
        ("Availability", {"fields": ["tracked_by_default", "retired"]}),
    ]

    @admin.display(description="asks")
    def attributes_asked(self, symptom):
        return ", ".join(symptom.attributes)

    def get_readonly_fields(self, request, obj=None):
        # The slug names logged values in URLs and exports; fixed once created.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug can't be filled in from the name (the admin would fail).
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(GRADED_QUESTIONS):
            # Stored grades follow the questions asked: derive them again once saved.
            transaction.on_commit(lambda: rescore_symptom.enqueue(obj.pk))
            self.message_user(
                request,
                f"The grades already logged for {obj.name} are being worked out again "
                "for the questions it asks now.",
                messages.INFO,
            )

    def has_delete_permission(self, request, obj=None):
        # Retire instead: deleting would orphan what patients logged.
        return False

    @admin.action(description="Retire: stop asking (logged values are kept)")
    def retire(self, request, queryset):
        count = queryset.update(retired=True)
        self.message_user(request, f"{count} symptom(s) retired.", messages.SUCCESS)

    @admin.action(description="Bring back into use")
    def restore(self, request, queryset):
        count = queryset.update(retired=False)
        self.message_user(request, f"{count} symptom(s) back in use.", messages.SUCCESS)
