"""The news desk: articles with their workflow buttons, history, revisions and previews; the vocabularies."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.lookups import Exact
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportExportMixin

from articles import access, services, standards, workflow
from articles.desk.admin_filters import DiseaseFilter, TherapyFilter
from articles.desk.autosave import DropsDraftOnSave
from articles.desk.desk_admin import calendar_urls
from articles.desk.inlines import EditedWithTheArticle
from articles.desk.kept_uploads import KeptFileInput, NamedFileInput, keep_uploads_of_failed_form
from articles.desk.references import ReferenceInline
from articles.forms import SharePreviewForm, term_picker
from articles.intake import spreadsheet_jobs
from articles.intake.resources import (
    ArticleResource,
    DiseaseTagResource,
    RedirectResource,
    TherapyTagResource,
)
from articles.intake.spreadsheets import FORMATS, LimitedImportForm, read_failure_message
from articles.models import (
    REVIEW_ANSWERS,
    REVIEW_QUESTIONS,
    Article,
    ArticleEvent,
    ArticleImage,
    ArticleRevision,
    Correction,
    DiseaseTag,
    Embargo,
    ImportJob,
    PreviewLink,
    Redirect,
    SourceDocument,
    StaffProfile,
    Status,
    TherapyTag,
)
from articles.richtext import plain_text, sanitize_html

# --- Queues -------------------------------------------------------------------------------------


def needs_action_q(user) -> Q:
    """Exactly what waits for `user`, by the permissions they hold (never by group name): for a medical
    reviewer, articles in review whose current text she has not signed off; for an editor, those signed
    off and ready to publish; for a writer, their drafts sent back with changes requested. Other rooms
    add their own (`NEWSDESK_ARTICLE_QUEUES`: the privacy officer's)."""
    sign_offs = ArticleEvent.objects.filter(  # of the text as saved
        article=OuterRef("pk"), action__in=ArticleEvent.REVIEW_ACTIONS, text_hash=OuterRef("text_fingerprint")
    )
    signed_off = Exists(sign_offs)
    latest_move = ArticleEvent.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-pk")
    q = Q(pk__in=[])
    if access.may(user, "sign_off", access.ARTICLE):
        signed_by_me = Exists(sign_offs.filter(actor=user))
        q |= Q(~signed_by_me, status=Status.IN_REVIEW) & ~Q(author=user)
    if access.may(user, "publish", access.ARTICLE):
        q |= Q(signed_off, status=Status.IN_REVIEW) & ~Q(author=user)
    if access.may(user, "submit", access.ARTICLE):
        sent_back = Exact(Subquery(latest_move.values("action")[:1]), ArticleEvent.Action.CHANGES_REQUESTED)
        q |= Q(sent_back, status=Status.DRAFT, author=user)
    for rule in settings.NEWSDESK_ARTICLE_QUEUES:
        q |= import_string(rule)(user)
    return q


# What the content checks read from a form as typed (articles.standards), with the pictures' alt texts.
CHECKED_FIELDS = ("title", "standfirst", "plain_summary", "body", "hero_alt", "study_type", "study_phase")
IMAGE_ALT_FIELD = re.compile(r"images-\d{1,3}-alt")


def article_links(request) -> list:
    """What other rooms link to an article from its form (`NEWSDESK_ARTICLE_LINKS`), each where this
    person may set it: its `field`, `initial(article)`, the `problems`
    of a choice and `save(article, chosen)`. Asked once per request."""
    if not hasattr(request, "_article_links"):
        links = [import_string(path)(request.user) for path in settings.NEWSDESK_ARTICLE_LINKS]
        request._article_links = [link for link in links if link.field is not None]
    return request._article_links


class NeedsMyActionFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("Needs my action"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(needs_action_q(request.user))
        return queryset


# --- Forms and inlines --------------------------------------------------------------------------


class ArticleForm(forms.ModelForm):
    """The article form, refusing a save made from a page someone else has saved since (optimistic lock)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None  # who is saving (ArticleAdmin.get_form)
    links = ()  # what other rooms link to an article from its form, as this person may (`article_links`)
    conflicts = ()  # after a stale save: its fields, theirs beside yours
    # Closed lists: writers pick terms; only editors add terms, in the vocabulary admin.
    diseases = term_picker(DiseaseTag, _("diseases"))
    therapies = term_picker(TherapyTag, _("therapies"))

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "plain_summary", "body", "byline", "author", "diseases",
            "therapies", "study_type", "study_size", "study_phase",
            "hero_image", "hero_alt", "hero_caption", "hero_credit", "hero_shows_patient",
            "source_publisher", "source_url", "source_date", "embargo", "planned_for", "expires_at",
            "review_due",
        ]  # fmt: skip
        widgets = {"hero_image": KeptFileInput, "plain_summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version if self.instance.pk else None
        for link in self.links:
            self.fields[link.name].initial = link.initial(self.instance) if self.instance.pk else []
        if "expires_at" in self.fields:  # entered, like every time on the desk, in the desk's zone
            zone = timezone.get_current_timezone_name()
            self.fields["expires_at"].help_text = " ".join(
                [
                    str(self.fields["expires_at"].help_text),
                    gettext("Date and time in %(zone)s.") % {"zone": zone},
                ]
            )

    def full_clean(self):
        super().full_clean()
        keep_uploads_of_failed_form(self)

    def clean(self):
        cleaned = super().clean()
        for link in self.links:
            for problem in link.problems(self.instance, cleaned.get(link.name) or []):
                self.add_error(link.name, problem)
        if self.instance.pk is None:
            return cleaned
        # Lock the row until this request's transaction ends, so two saves cannot both pass this check.
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        base = cleaned.get("base_version")
        if base is not None and base != current.version:
            self.conflicts = self._conflicts(current, cleaned, base)
            self.data = self.data.copy()
            self.data["base_version"] = current.version  # the next save is made against theirs
            raise ValidationError(self._stale_message(current), code="stale")
        for name in self._editable():  # the choices made on the page that showed a stale save
            if self.data.get(f"resolve-{name}") == "theirs" and name in cleaned:
                cleaned[name] = _value(current, name)
        return cleaned

    def _conflicts(self, current, cleaned, base: int) -> list[dict]:
        """The fields the other save changed, theirs beside yours. Where the revision this page was opened
        at tells what each side changed, a field only they changed is offered as theirs, and a field only
        this page changed is kept without asking; any other difference is the person's to choose."""
        opened = current.revisions.filter(article_version__lte=base).order_by("-number").first()
        found = []
        for name in self._editable():
            if name not in cleaned or name == "hero_image":
                continue
            mine, theirs = cleaned[name], _value(current, name)
            if name == "body":
                mine = sanitize_html(mine or "")
            if _comparable(mine) == _comparable(theirs):
                continue
            before = _at_revision(opened, name)
            if before is not UNKNOWN and _comparable(theirs, name) == before:
                continue  # only this page changed it
            found.append(
                {
                    "name": name,
                    "label": self.fields[name].label,
                    "mine": _shown(mine),
                    "theirs": _shown(theirs),
                    "only_theirs": before is not UNKNOWN and _comparable(mine, name) == before,
                }
            )
        return found

    def _editable(self) -> list[str]:
        """The article's own fields on this form (not the form's helpers, like `base_version`)."""
        own = {f.name for f in Article._meta.get_fields()}
        return [name for name in self.fields if name in own]

    def _stale_message(self, current):
        latest = current.revisions.select_related("created_by").first()
        who = latest.created_by if latest else None
        fields = ", ".join(str(c["label"]) for c in self.conflicts)
        if who is not None and self.user is not None and who.pk == self.user.pk:
            opening = _("You saved this article in another tab or window after opening this page.")
        elif who is not None:
            opening = _("%(who)s saved this article after you opened it.") % {
                "who": who.get_full_name() or who.get_username()
            }
        else:
            opening = _("This article was saved by the desk after you opened it.")
        if not fields:
            return _("%(opening)s It changed nothing you can edit here: save again to keep your changes.") % {
                "opening": opening
            }
        return _(
            "%(opening)s Nothing was saved. That save changed: %(fields)s. For each, choose below whether "
            "to keep yours or take theirs, then save again."
        ) % {"opening": opening, "fields": fields}


def _value(article, name):
    """A field's saved value as the form's cleaned data holds it (terms as a list of terms)."""
    value = getattr(article, name)
    return list(value.all()) if name in ("diseases", "therapies") else value


UNKNOWN = object()
REVISED = {"title", "standfirst", "body", "diseases", "therapies"}  # what a revision keeps


def _at_revision(revision, name):
    """A field's value in a revision, comparable as `_comparable(value, name)`; UNKNOWN if not kept."""
    if revision is None or name not in REVISED:
        return UNKNOWN
    value = getattr(revision, name)
    return sorted(value) if name in ("diseases", "therapies") else value.strip()


def _comparable(value, name=None):
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        if name in ("diseases", "therapies"):  # as revisions keep them: sorted names
            return sorted(str(v.name) for v in value)
        return sorted(getattr(v, "pk", v) for v in value)
    if isinstance(value, str):
        return value.strip()
    return value if value not in ("", None) else None


def _shown(value) -> str:
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return ", ".join(str(v) for v in value) or gettext("(none)")
    if value in ("", None):
        return gettext("(empty)")
    if isinstance(value, str):
        return plain_text(value)
    return str(value)


class SignOffForm(forms.Form):
    """A medical sign-off: an answer to each review question, and an optional note."""

    comment = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sign-off-%s")
        super().__init__(*args, **kwargs)
        for key, question in REVIEW_QUESTIONS.items():
            self.fields[key] = forms.ChoiceField(
                label=question, choices=list(REVIEW_ANSWERS.items()), widget=forms.RadioSelect
            )
        self.order_fields([*REVIEW_QUESTIONS, "comment"])

    @property
    def questions(self):
        return [self[key] for key in REVIEW_QUESTIONS]

    @property
    def answers(self) -> dict:
        return {key: self.cleaned_data[key] for key in REVIEW_QUESTIONS}


class ArticleImageInline(EditedWithTheArticle, admin.StackedInline):
    """Pictures inside the text: each gets a code, "[image N]", to put on a line of its own in the body.
    Who may edit the article may edit its pictures."""

    model = ArticleImage
    fields = ["code_to_place", "image", "alt", "caption", "credit", "shows_patient"]
    formfield_overrides = {models.ImageField: {"widget": NamedFileInput}}
    readonly_fields = ["code_to_place"]
    extra = 0

    @admin.display(description=_("Code to place it"))
    def code_to_place(self, image):
        if image.pk is None:
            return gettext("Save first: the image then gets its code, such as [image 1].")
        return format_html(
            '<code>{}</code> <button type="button" class="button place-image" data-code="{}">{}</button> {}',
            image.code,
            image.code,
            gettext("Place in the text"),
            gettext("or type the code on a line of its own where the picture goes."),
        )


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    verbose_name_plural = _("History (append-only)")
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment", "short_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.may(request.user, "view", access.ARTICLE, obj)

    @admin.display(description=_("text"))
    def short_hash(self, event):
        return event.text_hash[:10]


# --- Articles -----------------------------------------------------------------------------------


class SpreadsheetMixin(ImportExportMixin):
    """Import and export as CSV, XLSX or JSON, for users holding the model's import or export permission."""

    formats = FORMATS
    import_form_class = LimitedImportForm

    def add_data_read_fail_error_to_form(self, form, error):
        form.add_error("import_file", read_failure_message(error))

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_import_job"
        job = path("import/job/<str:token>/", self.admin_site.admin_view(self.import_job_view), name=name)
        return [job, *super().get_urls()]

    def import_action(self, request, **kwargs):
        """The upload: its caps are checked here (LimitedImportForm), everything else on the worker."""
        if request.method != "POST" or not self.has_import_permission(request):
            return super().import_action(request, **kwargs)
        form = self.create_import_form(request)
        if not form.is_valid():
            return super().import_action(request, **kwargs)  # the form again, with what to fix
        job = spreadsheet_jobs.start(request.user, self.model, form.cleaned_data)
        return HttpResponseRedirect(self._job_url(job))

    def process_import(self, request, **kwargs):
        """Confirming happens on the job's page, so that the import, too, runs on the worker."""
        return HttpResponseNotAllowed(["GET"])

    def _job_url(self, job):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import_job", args=[job.token])

    def import_job_view(self, request, token):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob, token=token, uploader=request.user, kind=ImportJob.Kind.SPREADSHEET
        )
        if job.source.get("model") != self.model._meta.label_lower:
            raise Http404
        expired = job.created_at < timezone.now() - timedelta(hours=24)
        confirmable = (
            job.step == ImportJob.Step.PREVIEW
            and job.state == ImportJob.State.DONE
            and not job.source.get("problems")
            and not expired
        )
        if request.method == "POST" and confirmable:
            spreadsheet_jobs.confirm(job)
            return HttpResponseRedirect(request.path)
        if request.GET.get("format") == "json":
            return JsonResponse(job.progress())
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import"),
            "opts": self.model._meta,
            "job": job,
            "imported": job.step == ImportJob.Step.IMPORT and job.state == ImportJob.State.DONE,
            "confirmable": confirmable,
            "expired": expired,
        }
        return TemplateResponse(request, "admin/import_job.html", context)


SOURCE_SHOWN = 100_000  # characters of an imported document shown on the form


@admin.register(Article)
class ArticleAdmin(DropsDraftOnSave, SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [ArticleResource]
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    # Four narrow columns beside the headline, and on a phone the headline alone with its state under it
    # (admin-desk.css): the list reads at 1280 px and at 390 px.
    list_display = ["headline", "state", "author", "published", "updated"]
    list_display_links = ["headline"]
    # Every piece of the changelist costs the same whatever the size of the desk (see admin_filters):
    # no DISTINCT, no full count of the table, and a date filter instead of a date hierarchy (which
    # read every article's date to draw its links).
    list_filter = [NeedsMyActionFilter, "status", DiseaseFilter, TherapyFilter, "author", "published_at"]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "slug", "byline"]
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleImageInline, ReferenceInline, ArticleEventInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "language",
                    "standfirst",
                    "plain_summary",
                    "body",
                    "byline",
                    "author",
                    "base_version",
                ]
            },
        ),
        (_("Tags"), {"fields": ["diseases", "therapies"]}),
        (
            _("Evidence at a glance"),
            {
                "fields": ["study_type", "study_size", "study_phase"],
                "description": _(
                    "For research news: readers see these beside the article. Leave the study "
                    "type empty for other news."
                ),
            },
        ),  # fmt: skip
        (
            _("Hero image"),
            {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit", "hero_shows_patient"]},
        ),
        (
            _("Source"),
            {
                "fields": ["source_publisher", "source_url", "source_date", "source_document_text"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "embargo",
                    "planned_for",
                    "expires_at",
                    "review_due",
                    "created_at",
                    "updated_at",
                ]
            },
        ),  # fmt: skip
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Reviewers and anyone reading a locked article see the body as readers will, not its HTML.
            return [
                (
                    name,
                    {
                        **options,
                        "fields": ["body_as_readers_see_it" if f == "body" else f for f in options["fields"]],
                    },
                )
                for name, options in self.fieldsets
            ]
        if links := article_links(request):
            return [
                *self.fieldsets[:2],
                (_("Linked"), {"fields": [link.name for link in links]}),
                *self.fieldsets[2:],
            ]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = [
            "source_document_text",
            "status",
            "published_at",
            "created_at",
            "updated_at",
        ]  # set by moves
        if obj is None or not access.may(request.user, "publish", access.ARTICLE):
            fields += ["author", "expires_at", "review_due"]  # editors' calls
        return fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # Not the tags: no column shows them, and taggit's prefetch costs per row (the export
            # resource prefetches them for itself).
            .prefetch_related(Prefetch("events", ArticleEvent.objects.reviews(), to_attr="sign_offs"))
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else [ArticleImageInline, ReferenceInline]

    # Who may edit or delete what is decided in articles.access (writers their own, editors any, nobody
    # what readers see or have seen).
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or access.may(request.user, "edit", access.ARTICLE, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or access.may(request.user, "delete", access.ARTICLE, obj)
        )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        """No bulk delete, not even for a superuser: each article is retracted, or deleted on its own page
        if it never went public (articles.signals refuses the rest)."""
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    # --- Bulk actions: what a desk does to many articles at once ----------------------------------

    actions = ["submit_selected", "assign_owner", "export_selected"]

    def has_submit_permission(self, request):
        return access.may(request.user, "submit", access.ARTICLE)

    def has_assign_permission(self, request):
        return access.may(request.user, "publish", access.ARTICLE)

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        done, refused = 0, []
        skipped = queryset.exclude(status=Status.DRAFT).count()
        for article in queryset.filter(status=Status.DRAFT):
            try:
                workflow.transition(article, to=Status.IN_REVIEW, by=request.user)
                done += 1
            except (workflow.TransitionNotAllowed, ValidationError) as problem:
                refused.append(f"“{article.title}”: {' '.join(getattr(problem, 'messages', [str(problem)]))}")
        self.message_user(request, _("%(n)d submitted for review.") % {"n": done})
        if skipped:
            self.message_user(
                request, _("%(n)d not drafts, left as they were.") % {"n": skipped}, messages.WARNING
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Hand the selected articles to another owner…"), permissions=["assign"])
    def assign_owner(self, request, queryset):
        owners = (
            get_user_model()
            .objects.filter(is_active=True, is_staff=True)
            .filter(Q(groups__permissions__codename="submit_article") | Q(is_superuser=True))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if request.POST.get("apply") == "yes":
            owner = owners.filter(pk=request.POST.get("owner") or 0).first()
            if owner is None:
                self.message_user(request, _("Choose the new owner from the list."), messages.ERROR)
            else:
                n = services.assign_owner(queryset, owner=owner, by=request.user)
                name = owner.get_full_name() or owner.get_username()
                self.message_user(request, _("%(n)d handed to %(name)s.") % {"n": n, "name": name})
                return None
        return TemplateResponse(
            request,
            "admin/articles/article/assign_owner.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Hand articles to another owner"),
                "articles": queryset.order_by("title"),
                "owners": owners,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Export the selected articles…"), permissions=["export"])
    def export_selected(self, request, queryset):
        """The export page of django-import-export, for just these articles (format and fields to pick)."""
        return ExportActionMixin.export_admin_action(self, request, queryset)

    @admin.display(description=_("headline"), ordering="title")
    def headline(self, article):
        return format_html(
            '<span class="headline-text">{}</span><span class="row-meta">{}</span>',
            article.title,
            self.state(article),
        )

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        """Its status and its medical sign-off, one above the other (made once a row: the headline shows
        it again on a phone)."""
        if (made := getattr(article, "_state", None)) is not None:
            return made
        label = article.get_status_display()
        if article.is_scheduled:
            label = _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(article.published_at), "j M H:i")
            }
        review = article.current_sign_off()  # reads the prefetched sign-offs, no query per row
        sign_off = (
            format_html(
                '<span class="sign-off ok">✓ {}</span>', _("signed off by %(who)s") % {"who": review.actor}
            )
            if review
            else format_html('<span class="sign-off missing">{}</span>', _("not signed off"))
        )
        article._state = format_html(
            '<span class="status-badge status-{}">{}</span> <span class="sign-off-line">{}</span>',
            article.status,
            label,
            sign_off,
        )
        return article._state

    @admin.display(description=_("publish at"), ordering="published_at")
    def published(self, article):
        if article.published_at is None:
            return "—"
        return date_format(timezone.localtime(article.published_at), "j M Y, H:i")

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, article):
        return date_format(timezone.localtime(article.updated_at), "j M Y")

    @admin.display(description=_("body"))
    def body_as_readers_see_it(self, article):
        return format_html('<div class="article-body-preview">{}</div>', mark_safe(article.body))  # noqa: S308 - sanitized on save

    @admin.display(description=_("imported from"))
    def source_document_text(self, article):
        """The document the draft was imported from, for fact-checking (staff only: this form)."""
        source = SourceDocument.objects.filter(article=article).only("format", "language", "text").first()
        if source is None:
            return _("Not imported from a document.")
        shown = source.text[:SOURCE_SHOWN]
        return format_html(
            '<details class="source-document"><summary>{}</summary><pre lang="{}">{}</pre>{}</details>',
            _("Read the original %(format)s document (%(language)s)")
            % {"format": source.format, "language": source.language or "?"},
            "zh" if source.language == "zh" else "en",
            shown,
            _("… (the first %(n)s characters)") % {"n": f"{SOURCE_SHOWN:,}"}
            if len(source.text) > SOURCE_SHOWN
            else "",
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        if change and "author" in form.changed_data:
            services.record_owner_change(obj, previous=form.initial.get("author"), by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for link in form.links:
            link.save(form.instance, form.cleaned_data.get(link.name) or [])
        services.record_revision(form.instance, request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        links = article_links(request)
        declared = {link.name: link.field for link in links} | {"links": links, "user": request.user}
        kwargs["form"] = type(self.form.__name__, (self.form,), declared)
        return super().get_form(request, obj, change, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        """Django's History (saves made in the admin), with the workflow's moves and reviews above it."""
        article = self.get_object(request, object_id)
        events = article.events.select_related("actor").order_by("-created_at", "-pk") if article else []
        return super().history_view(request, object_id, {**(extra_context or {}), "workflow_events": events})

    # --- The workflow panel ---------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.workflow_context(request, obj))
        # The content checks of the text on the page: as saved, or as just posted when the save failed.
        checked = context["adminform"].form.instance if "adminform" in context else obj
        context["content_checks"] = standards.check_article(checked) if checked is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, article):
        moves = workflow.available_moves(article, request.user)
        current_sign_off = article.current_sign_off()
        # Offered only while she has not signed off this very text.
        can_sign_off = access.may(request.user, "sign_off", access.ARTICLE, article) and not (
            article.events.reviews().filter(text_hash=article.text_fingerprint, actor=request.user).exists()
        )
        needs_gates = any(m.runs_gates for m in moves)
        is_live = article.status == Status.PUBLISHED
        can_correct = is_live and access.may(request.user, "correct", access.ARTICLE, article)
        can_share = access.may(request.user, "share_preview", access.ARTICLE, article)
        return {
            "can_confirm_review": access.may(request.user, "confirm_review", access.ARTICLE, article),
            "can_add_correction": can_correct,
            "correction_kinds": Correction.Kind.choices,
            "corrections": article.corrections.all() if can_correct else [],
            "workflow_moves": moves,
            "can_sign_off": can_sign_off,
            "sign_off_form": SignOffForm() if can_sign_off else None,
            "current_sign_off": current_sign_off,
            "desk_time_zone": timezone.get_current_timezone_name(),
            "sent_back": workflow.sent_back(article),
            "publish_problems": workflow.publish_problems(article) if needs_gates else [],
            "preview_links": article.preview_links.select_related("created_by")[:10] if can_share else [],
            "can_share_preview": can_share,
            "share_preview_form": SharePreviewForm() if can_share else None,
            "revision_count": article.revisions.count(),
            "translations": (
                list(Article.objects.filter(translation_key=article.translation_key).exclude(pk=article.pk))
                if article.translation_key
                else []
            ),
            "can_translate": access.may(request.user, "create", access.ARTICLE),
            # Panels other rooms add to the form (the privacy findings), named in settings.
            "article_panels": [
                mark_safe(import_string(panel)(article, request.user))  # noqa: S308 - rendered templates
                for panel in settings.NEWSDESK_ARTICLE_PANELS
            ],
        }

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            *calendar_urls(self),
            path("<int:pk>/move/<str:move>/", wrap(self.move_view), name=f"{info}_move"),
            path("<int:pk>/sign-off/", wrap(self.sign_off_view), name=f"{info}_sign_off"),
            path("checks/", wrap(self.content_checks_view), name=f"{info}_content_checks"),
            path("<int:pk>/confirm-review/", wrap(self.confirm_review_view), name=f"{info}_confirm_review"),
            path("<int:pk>/corrections/", wrap(self.add_correction_view), name=f"{info}_add_correction"),
            path("reviews-due/", wrap(self.reviews_due_view), name=f"{info}_reviews_due"),
            path("<int:pk>/revisions/", wrap(self.revisions_view), name=f"{info}_revisions"),
            path("<int:pk>/revisions/compare/", wrap(self.compare_view), name=f"{info}_compare"),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name=f"{info}_restore",
            ),
            path("<int:pk>/previews/", wrap(self.share_preview_view), name=f"{info}_share_preview"),
            path("<int:pk>/translate/", wrap(self.translate_view), name=f"{info}_translate"),
            path(
                "<int:pk>/previews/<int:link>/revoke/",
                wrap(self.revoke_preview_view),
                name=f"{info}_revoke_preview",
            ),
            *super().get_urls(),
        ]

    def _article(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Article, pk=pk)

    def _back(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _report(self, request, error):
        if isinstance(error, ValidationError):
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, str(error) or _("That move is not open to you."), messages.ERROR)

    def move_view(self, request, pk, move):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        chosen = workflow.MOVES.get(move)
        if chosen is None:
            raise PermissionDenied
        if chosen.permanent and request.POST.get("confirmed") != "yes":
            if not any(m.name == chosen.name for m in workflow.available_moves(article, request.user)):
                raise PermissionDenied
            return TemplateResponse(
                request,
                "admin/articles/article/confirm_move.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "original": article,
                    "move": chosen,
                    "comment": request.POST.get("comment", ""),
                    "title": _("Retract “%(title)s”?") % {"title": article.title},
                },
            )
        published_at = None
        if chosen.scheduled:
            published_at = parse_datetime(request.POST.get("published_at", ""))
            if published_at is not None and timezone.is_naive(published_at):
                published_at = timezone.make_aware(published_at)
            if published_at is None or published_at <= timezone.now():
                self.message_user(
                    request, _("Pick a date and time in the future to schedule."), messages.ERROR
                )
                return self._back(article)
        try:
            moved = workflow.transition(
                article,
                to=chosen.target,
                move_name=chosen.name,
                by=request.user,
                comment=request.POST.get("comment", ""),
                published_at=published_at,
            )
        except workflow.TransitionNotAllowed as denied:
            self._report(request, denied)
            return (
                HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
                if (self.has_view_permission(request, article))
                else HttpResponseRedirect(reverse("admin:articles_article_changelist"))
            )
        except ValidationError as problems:
            self._report(request, problems)
            return self._back(article)
        self.message_user(
            request, _("“%(title)s”: %(move)s done.") % {"title": article.title, "move": chosen.label}
        )
        if chosen.scheduled and published_at and moved.published_at != published_at:
            self.message_user(
                request,
                _("Scheduled for the embargo's lift, %(lift)s, not before.")
                % {"lift": moved.embargo.lift_label},
                messages.WARNING,
            )
        if chosen.checks_content:
            for warning in standards.check_article(article).warnings:
                self.message_user(request, warning.message, messages.WARNING)
        return self._back(article)

    def sign_off_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        form = SignOffForm(request.POST)
        if not form.is_valid():
            self.message_user(request, standards.answers_problem({}), messages.ERROR)
            return self._back(article)
        try:
            workflow.sign_off(
                article, by=request.user, comment=form.cleaned_data["comment"], answers=form.answers
            )
        except (workflow.TransitionNotAllowed, ValidationError) as error:
            self._report(request, error)
        else:
            self.message_user(request, _("Signed off. The sign-off holds for exactly this text."))
        return self._back(article)

    def content_checks_view(self, request):
        """The content checks of the text as typed so far, for the form's panel (articles.standards)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        typed = {name: request.POST.get(name, "") for name in CHECKED_FIELDS}
        size = request.POST.get("study_size", "").strip()
        article = Article(**typed, study_size=int(size) if size.isdigit() and len(size) < 10 else None)
        image_alts = [
            value
            for name, value in request.POST.items()
            if IMAGE_ALT_FIELD.fullmatch(name) and not request.POST.get(name.replace("-alt", "-DELETE"))
        ]
        return TemplateResponse(
            request,
            "admin/articles/article/content_checks.html",
            {"content_checks": standards.check_article(article, image_alts[:100])},
        )

    def confirm_review_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        try:
            workflow.confirm_review(article, by=request.user, comment=request.POST.get("comment", ""))
        except (workflow.TransitionNotAllowed, ValidationError) as error:
            self._report(request, error)
        else:
            article.refresh_from_db(fields=["review_due"])
            self.message_user(
                request,
                _("Review confirmed. Next review due %(due)s.")
                % {"due": article.review_due.strftime("%-d %b %Y")},
            )
        if request.POST.get("return_to") == "queue":
            return HttpResponseRedirect(reverse("admin:articles_article_reviews_due"))
        return self._back(article)

    def add_correction_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        try:
            services.add_correction(
                article, by=request.user, kind=request.POST.get("kind", ""), note=request.POST.get("note", "")
            )
        except (PermissionDenied, ValidationError) as error:
            self._report(request, error)
        else:
            self.message_user(request, _("The note is on the article and in its feed item."))
        return self._back(article)

    def reviews_due_view(self, request):
        """Live and scheduled articles whose medical review falls due soon or is overdue, soonest first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        horizon = today + timedelta(days=settings.NEWSDESK_REVIEW_NOTICE_DAYS)
        articles = (
            Article.objects.review_due_by(horizon)
            .select_related("author")
            .prefetch_related(Prefetch("events", ArticleEvent.objects.reviews(), to_attr="sign_offs"))
        )
        return TemplateResponse(
            request,
            "admin/articles/article/reviews_due.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Medical reviews due"),
                "articles": articles,
                "today": today,
                "horizon": horizon,
                "can_confirm": access.may(request.user, "confirm_review", access.ARTICLE),
            },
        )

    def revisions_view(self, request, pk):
        article = self._article(request, pk)
        revisions = article.revisions.select_related("created_by")
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": _("Revisions of “%(title)s”") % {"title": article.title},
                "revisions": revisions,
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def compare_view(self, request, pk):
        article = self._article(request, pk)
        revisions = article.revisions.all()
        try:
            old = revisions.get(number=int(request.GET.get("from", "")))
            new = revisions.get(number=int(request.GET.get("to", "")))
        except (ValueError, ArticleRevision.DoesNotExist):
            self.message_user(request, _("Pick two revisions to compare."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": _("Revision %(a)s compared with revision %(b)s")
                % {"a": old.number, "b": new.number},
                "old": old,
                "new": new,
                "diffs": services.diff_revisions(old, new),
            },
        )

    def restore_view(self, request, pk, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, article=article, number=number)
        try:
            services.restore_revision(revision, by=request.user)
        except ValidationError as error:
            self._report(request, error)
        else:
            self.message_user(request, _("Revision %(n)s is the current draft again.") % {"n": number})
        return self._back(article)

    def share_preview_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        form = SharePreviewForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(
                    [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
                )
            link = services.share_preview(article, by=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            self._report(request, error)
        else:
            url = request.build_absolute_uri(link.get_absolute_url())
            self.message_user(
                request, format_html(_('Preview link for {}: <a href="{}">{}</a>'), link.audience, url, url)
            )
        return self._back(article)

    def translate_view(self, request, pk):
        """Start the article's translation into the other language, and open it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        try:
            copy = services.make_translation(article, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            self._report(request, error)
            return self._back(article)
        self.message_user(
            request,
            _("Translation started as a draft of its own: translate the text, then send it for its own "
              "medical review and privacy clearance."),
        )  # fmt: skip
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[copy.pk]))

    def revoke_preview_view(self, request, pk, link):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, pk)
        preview = get_object_or_404(PreviewLink, pk=link, article=article)
        try:
            services.revoke_preview(preview, by=request.user)
        except PermissionDenied as error:
            self._report(request, error)
        else:
            self.message_user(request, _("The link no longer works."))
        return self._back(article)


# --- Vocabularies -------------------------------------------------------------------------------


class VocabularyTermAdmin(SpreadsheetMixin, admin.ModelAdmin):
    """Closed lists kept by editors: writers pick from them, editors add, correct and merge terms."""

    actions = ["merge_terms"]
    list_display = ["name", "code", "code_system", "synonym_list", "parent"]
    list_filter = ["code_system"]
    list_select_related = ["parent"]
    search_fields = ["name", "synonyms", "abbreviations", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description=_("synonyms and abbreviations"))
    def synonym_list(self, term):
        return ", ".join([*term.abbreviations, *term.synonyms])

    @admin.action(description=_("Merge the selected terms into one…"), permissions=["change"])
    def merge_terms(self, request, queryset):
        terms = list(queryset.order_by("name"))
        if len(terms) < 2:
            self.message_user(request, _("Select at least two terms to merge."), messages.WARNING)
            return None
        survivor = next((t for t in terms if str(t.pk) == request.POST.get("survivor")), None)
        if request.POST.get("confirm") and survivor is not None:
            for term in terms:
                if term != survivor:
                    services.merge_terms(survivor, term)
            self.message_user(
                request,
                _("Merged into “%(name)s”: everything tagged with it moved, the old names are synonyms and "
                  "the old addresses redirect.") % {"name": survivor.name},
            )  # fmt: skip
            return None
        return TemplateResponse(
            request,
            "admin/articles/merge_terms.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Merge %(vocabulary)s") % {"vocabulary": self.opts.verbose_name_plural},
                "terms": terms,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(DiseaseTag)
class DiseaseTagAdmin(VocabularyTermAdmin):
    resource_classes = [DiseaseTagResource]


@admin.register(TherapyTag)
class TherapyTagAdmin(VocabularyTermAdmin):
    resource_classes = [TherapyTagResource]


# --- Redirects and public profiles --------------------------------------------------------------


@admin.register(Redirect)
class RedirectAdmin(SpreadsheetMixin, admin.ModelAdmin):
    """Old addresses and where they lead. Changed slugs and merged terms add theirs by themselves."""

    resource_classes = [RedirectResource]
    list_display = ["old_path", "new_path", "note", "created_at"]
    search_fields = ["old_path", "new_path", "note"]
    fields = ["old_path", "new_path", "note"]


class EmbargoForm(forms.ModelForm):
    """The lift as the journal states it: a day and time in the journal's zone, kept as one moment."""

    lifts_local = forms.DateTimeField(
        label=_("lifts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("As the journal's notice states it, in the zone below."),
    )
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[])

    class Meta:
        model = Embargo
        fields = ["journal", "paper", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in sorted(available_timezones())]
        self.fields["time_zone"].initial = self.instance.time_zone or settings.TIME_ZONE
        if self.instance.pk:
            self.initial["lifts_local"] = self.instance.lifts_in_its_zone.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        local, zone = cleaned.get("lifts_local"), cleaned.get("time_zone")
        if local and zone:
            self.instance.lifts_at = local.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))
        return cleaned


@admin.register(Embargo)
class EmbargoAdmin(admin.ModelAdmin):
    """Journal embargoes, which articles are tied to. Moving one moves the schedules tied to it."""

    form = EmbargoForm
    list_display = ["journal", "paper", "lift", "article_count"]
    search_fields = ["journal", "paper"]
    fields = ["journal", "paper", "lifts_local", "time_zone"]

    @admin.display(description=_("lifts at"), ordering="lifts_at")
    def lift(self, embargo):
        return embargo.lift_label

    @admin.display(description=_("articles"))
    def article_count(self, embargo):
        return embargo.articles.count()

    def save_model(self, request, obj, form, change):
        previous = (
            Embargo.objects.filter(pk=obj.pk).values_list("lifts_at", flat=True).first() if change else None
        )
        super().save_model(request, obj, form, change)
        if previous is not None and previous != obj.lifts_at:
            moved = workflow.move_with_embargo(obj, previous_lift=previous, by=request.user)
            if moved:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d scheduled article moved with the embargo.",
                        "%(n)d scheduled articles moved with the embargo.",
                        len(moved),
                    )
                    % {"n": len(moved)},
                    messages.WARNING,
                )
            # Already out before the new lift: nothing can call them back, but the desk must know.
            early = obj.articles.filter(
                status=Status.PUBLISHED, awaiting_go_live=False, published_at__lt=obj.lifts_at
            ).values_list("title", flat=True)
            for title in early:
                self.message_user(
                    request,
                    _("“%(title)s” is already live, before the embargo's new lift. Tell the journal, and "
                      "consider unpublishing it until %(lift)s.") % {"title": title, "lift": obj.lift_label},
                    messages.ERROR,
                )  # fmt: skip


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """How staff are named to readers: a medical reviewer's name and credentials go on every article."""

    list_display = ["user", "public_name", "credentials", "shows_page"]
    readonly_fields = ["shows_page"]  # each person's own choice, on their "My public page"
    list_select_related = ["user"]
    search_fields = ["public_name", "credentials", "user__username"]
    autocomplete_fields = ["user"]
