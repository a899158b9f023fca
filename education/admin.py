import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from tracker import roles
from tracker.admin import CHECKBOXES, BoundedListEditing, LabelledRows

from . import markup
from .content import REFERENCE_FIELDS
from .forms import DepthForm
from .models import (
    MARKDOWN_FIELDS,
    ContextRule,
    Depth,
    Language,
    Reference,
    Section,
    Topic,
    TopicVersion,
    VersionStatus,
    next_number,
)
from .views import article_context

PUBLISH = "education.publish_topicversion"


def named(version) -> dict:
    """A version's title and number, for the messages that name it."""
    return {"title": version.title, "number": version.number}


def can_publish(user) -> bool:
    """Clinical reviewers only: not even a superuser publishes without the role."""
    return user.has_perm(PUBLISH) and user.groups.filter(name=roles.CLINICAL_REVIEWER).exists()


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Past its next-review date"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due(timezone.localdate())
        return queryset


class BoundedInline(admin.TabularInline):
    """Django builds as many forms as a post claims, up to max_num + 1,000, before it
    refuses the post; here one claiming more than max_num (a million, say) is refused
    having built no more than max_num."""

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, absolute_max=self.max_num, **kwargs)


class VersionFormSet(forms.BaseInlineFormSet):
    # Django's own message would say "at most 0 forms" (the list is read only).
    default_error_messages = {
        "too_many_forms": _("The list of versions came back damaged: reload the page, then save."),
    }


class VersionInline(BoundedInline):
    model = TopicVersion
    formset = VersionFormSet
    fields = [
        "version_link",
        "language",
        "status",
        "title",
        "reviewed_by",
        "reviewed_at",
        "next_review_on",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    max_num = 500  # read only, but a post still brings a form per version: none has so many

    @admin.display(description=_("version"))
    def version_link(self, version):
        url = reverse("admin:education_topicversion_change", args=[version.pk])
        return format_html('<a href="{}">v{}</a>', url, version.number)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "title",
        "body_system",
        "published_number",
        "reviewed",
        "next_review",
        "spanish",
    ]
    list_filter = [ReviewDueFilter, "body_system"]
    search_fields = ["slug", "published_version__title"]
    formfield_overrides = CHECKBOXES
    inlines = [VersionInline]
    list_select_related = ["published_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.published_version is None:
            return []
        # Its address is linked from everywhere once published; what it explains
        # changes what patients see at once, so that is a reviewer's call.
        return ["slug"] if can_publish(request.user) else ["slug", "body_system", "symptoms"]

    @admin.display(description=_("title"))
    def title(self, topic):
        return (
            topic.published_version.title if topic.published_version else _("(not published yet)")
        )

    @admin.display(description=_("published"))
    def published_number(self, topic):
        return f"v{topic.published_version.number}" if topic.published_version else "–"

    @admin.display(description=_("Spanish"))
    def spanish(self, topic):
        return topic.translation_status(Language.SPANISH)

    @admin.display(description=_("reviewed on"))
    def reviewed(self, topic):
        version = topic.published_version
        return version.reviewed_at.date() if version else None

    @admin.display(description=_("next review"))
    def next_review(self, topic):
        version = topic.published_version
        if not version:
            return None
        if version.next_review_on <= timezone.localdate():
            return format_html(
                "<strong>{}</strong>",
                _("due %(date)s") % {"date": date_format(version.next_review_on)},
            )
        return version.next_review_on

    def changelist_view(self, request, extra_context=None):
        due = Topic.objects.review_due(timezone.localdate()).count()
        if due and can_publish(request.user):
            self.message_user(
                request,
                ngettext(
                    "%(count)s topic is past its next-review date: filter by “Past its next-review date”.",
                    "%(count)s topics are past their next-review date: filter by “Past its next-review date”.",
                    due,
                )
                % {"count": due},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


class ReferenceFormSet(LabelledRows, forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("A version can have at most %(count)s references.")
        % {"count": markup.MAX_REFERENCE},
    }

    def row_name(self, form) -> str:
        # Its number, as cited: its whole citation would be a long name for a field.
        if form.instance.pk:
            return gettext("reference %(number)s") % {"number": form.instance.position}
        return gettext("new reference")


class ReferenceInline(BoundedInline):
    model = Reference
    extra = 0
    fields = ["position", *REFERENCE_FIELDS]
    formset = ReferenceFormSet
    max_num = markup.MAX_REFERENCE  # as many as a citation can number

    def has_change_permission(self, request, obj=None):
        # A translation cites its English version's references: it has none to edit.
        return obj is None or (obj.editable and not obj.is_translation)

    has_add_permission = has_delete_permission = has_change_permission


class CompareForm(forms.Form):
    """?with=<version id> on the compare page."""

    with_ = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data):
        super().__init__(data)
        self.fields["with"] = self.fields.pop("with_")


class TopicVersionForm(forms.ModelForm):
    class Meta:
        model = TopicVersion
        fields = ["topic", "title", *MARKDOWN_FIELDS, "change_note", "next_review_on"]

    def clean_next_review_on(self):
        date = self.cleaned_data["next_review_on"]
        if date and date <= timezone.localdate():
            raise forms.ValidationError(
                _("Choose a date in the future (or leave it empty for a year from publishing).")
            )
        return date

    def clean(self):
        cleaned = super().clean()
        # References are checked on publishing (they are edited beside this form);
        # here, the Markdown itself: raw HTML and links that would not work.
        topics = set(Topic.objects.values_list("slug", flat=True))
        for field in MARKDOWN_FIELDS:
            text = cleaned.get(field) or ""
            if markup.too_long(text):
                continue  # the field's own validator says so
            for problem in markup.problems(text, topics=topics):
                self.add_error(field, problem)
        return cleaned


# difflib's side-by-side table pairs rewritten lines up by likeness, at a cost that grows
# with the square of their number and length: a 20,000-character section rewritten in
# short lines took minutes. A longer rewrite is shown as a unified diff, which costs
# about what the texts' length does; the longest real section has 49 lines.
SIDE_BY_SIDE_LINES = 100
SIDE_BY_SIDE_CHARACTERS = 2_000


def diff_table(old: str, new: str, old_label: str, new_label: str) -> str:
    a, b = old.splitlines(), new.splitlines()
    rewritten = [
        line
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes()
        if tag == "replace"
        for line in a[i1:i2] + b[j1:j2]
    ]
    if len(rewritten) <= SIDE_BY_SIDE_LINES and sum(map(len, rewritten)) <= SIDE_BY_SIDE_CHARACTERS:
        return difflib.HtmlDiff(wrapcolumn=70).make_table(a, b, old_label, new_label, context=True)
    lines = difflib.unified_diff(a, b, old_label, new_label, lineterm="", n=2)
    return format_html(
        "<p>{}</p><pre>{}</pre>",
        gettext("Rewritten at length, so shown line by line: - before, + after."),
        "\n".join(lines),
    )


@admin.register(TopicVersion)
class TopicVersionAdmin(admin.ModelAdmin):
    form = TopicVersionForm
    list_display = [
        "title",
        "topic",
        "number",
        "language",
        "status",
        "reviewed_by",
        "next_review_on",
    ]
    list_filter = ["status", "language", "topic__body_system"]
    search_fields = ["title", "topic__slug"]
    inlines = [ReferenceInline]
    actions = [
        "submit_for_review",
        "publish",
        "return_to_draft",
        "copy_as_new_draft",
        "start_spanish_translation",
    ]
    readonly_fields = [
        "number",
        "language",
        "translates",
        "status",
        "created_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]
    change_form_template = "admin/education/topicversion/change_form.html"

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            if obj.status == VersionStatus.IN_REVIEW and not can_publish(request.user):
                return False  # in review: only a reviewer edits (or sends it back)
            if not obj.editable:
                return False  # published and retired versions never change
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == VersionStatus.DRAFT
            and super().has_delete_permission(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        # A version belongs to its topic for good; numbers are counted per topic.
        return [*self.readonly_fields, "topic"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.number = next_number(obj.topic)
            obj.created_by = request.user
        obj.render()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        for version in queryset:
            if version.status != VersionStatus.DRAFT:
                self.message_user(
                    request,
                    gettext("%(version)s: only drafts can be submitted.") % {"version": version},
                    messages.ERROR,
                )
                continue
            version.submit()
            self.message_user(
                request,
                gettext("%(title)s v%(number)s is waiting for a reviewer.") % named(version),
            )

    @admin.action(description=_("Publish (clinical reviewers)"), permissions=["publish"])
    def publish(self, request, queryset):
        for version in queryset:
            if version.status != VersionStatus.IN_REVIEW:
                self.message_user(
                    request,
                    gettext("%(version)s: submit it for review before publishing.")
                    % {"version": version},
                    messages.ERROR,
                )
                continue
            problems = version.publication_problems()
            if problems:
                self.message_user(
                    request,
                    gettext("%(title)s v%(number)s was not published: %(problems)s")
                    % {**named(version), "problems": " ".join(problems)},
                    messages.ERROR,
                )
                continue
            version.publish(reviewer=request.user)
            self.message_user(
                request,
                gettext("%(title)s v%(number)s is now what patients read.") % named(version),
                messages.SUCCESS,
            )

    @admin.action(description=_("Send back to draft (clinical reviewers)"), permissions=["publish"])
    def return_to_draft(self, request, queryset):
        for version in queryset.filter(status=VersionStatus.IN_REVIEW):
            version.return_to_draft()
            self.message_user(
                request, gettext("%(title)s v%(number)s is a draft again.") % named(version)
            )

    @admin.action(
        description=_("Copy as a new draft (to edit, or to restore an earlier version)"),
        permissions=["add"],
    )
    def copy_as_new_draft(self, request, queryset):
        for version in queryset:
            draft = version.copy_as_draft(by=request.user)
            self.message_user(
                request,
                gettext("Draft v%(number)s of %(title)s created from v%(source)s.")
                % {**named(draft), "source": version.number},
            )

    @admin.action(description=_("Start a Spanish translation of it"), permissions=["add"])
    def start_spanish_translation(self, request, queryset):
        for version in queryset:
            if version.is_translation:
                self.message_user(
                    request,
                    gettext("%(version)s: translate an English version, not a translation.")
                    % {"version": version},
                    messages.ERROR,
                )
                continue
            draft = version.start_translation(Language.SPANISH, by=request.user)
            self.message_user(
                request,
                gettext(
                    "Spanish draft v%(number)s of %(title)s created from English v%(source)s: "
                    "write over its English text, then submit it for review."
                )
                % {"number": draft.number, "title": version.title, "source": version.number},
            )

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview),
                name="education_topicversion_preview",
            ),
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare),
                name="education_topicversion_compare",
            ),
        ]
        return own + super().get_urls()

    def preview(self, request, pk):
        """Exactly what patients will see: the same article template, at any depth,
        and the short text shown beside a symptom."""
        version = get_object_or_404(TopicVersion.objects.select_related("topic"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        form = DepthForm(request.GET)
        depth = (form.is_valid() and form.cleaned_data["depth"]) or Depth.FUNDAMENTALS
        context = article_context(topic=version.topic, version=version, depth=depth)
        context["preview"] = True
        context["summary_html"] = version.section_intro(Section.SUMMARY)
        return render(request, "education/topic_detail.html", context)

    def compare(self, request, pk):
        """Side by side with the published version (or ?with=<id>), section by section."""
        version = get_object_or_404(TopicVersion.objects.select_related("topic"), pk=pk)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        form = CompareForm(request.GET)
        # By default, the version patients read in the same language; for a first
        # translation, the English it follows.
        published = version.topic.version_in(version.language) or version.translates
        other_pk = (form.is_valid() and form.cleaned_data["with"]) or (
            published.pk if published else version.topic.published_version_id
        )
        other = get_object_or_404(TopicVersion.objects.filter(topic=version.topic), pk=other_pk)
        tables = [
            (
                TopicVersion._meta.get_field(field).verbose_name,
                diff_table(
                    getattr(other, field),
                    getattr(version, field),
                    f"v{other.number}",
                    f"v{version.number}",
                ),
            )
            for field in ["title", *MARKDOWN_FIELDS]
            if getattr(other, field) != getattr(version, field)
        ]
        return render(
            request,
            "admin/education/topicversion/compare.html",
            {
                **self.admin_site.each_context(request),
                "version": version,
                "other": other,
                "tables": tables,
                "versions": version.topic.versions.exclude(pk=version.pk),
                "title": gettext("Compare v%(number)s with v%(other)s: %(title)s")
                % {**named(version), "other": other.number},
            },
        )


@admin.register(ContextRule)
class ContextRuleAdmin(BoundedListEditing, admin.ModelAdmin):
    list_display = ["symptom", "condition", "threshold", "topic", "section", "priority", "active"]
    list_editable = ["priority", "active"]
    list_filter = ["symptom", "condition", "active"]
    list_select_related = ["symptom", "topic"]
