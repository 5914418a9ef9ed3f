"""The privacy officer's desk: findings highlighted in place, consent records, clearance and withdrawal."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import access
from articles.desk.admin import SpreadsheetMixin
from articles.desk.autosave import DropsDraftOnSave
from articles.forms import term_picker
from articles.models import DiseaseTag, ImportJob, TherapyTag
from articles.roles import holds
from cases import import_jobs, privacy_desk, services
from cases.access import CASE, CONSENT
from cases.importer import PREVIEW_HOURS, Corrections, read_uploads
from cases.models import Case, CaseEvent, Consent, PrivacyStatus, PublicName
from cases.privacy import KINDS, STORY_FIELDS, case_texts, highlight, live_story_problems
from cases.resources import CaseResource

CLEAR_PERMISSION = "cases.clear_case"


class ConsentRecordInline(admin.TabularInline):
    """Consents on file, read-only: a record is never edited, only withdrawn or superseded."""

    model = Consent
    verbose_name_plural = _("Consent on file")
    fields = [
        "given_by",
        "child_assent",
        "signed_on",
        "expires_on",
        "scope",
        "form_link",
        "recorded_by",
        "state",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.may(request.user, "view", CASE)

    @admin.display(description=_("scope"))
    def scope(self, consent):
        parts = [
            label
            for label, on in [
                (_("web"), consent.scope_web),
                (_("social"), consent.scope_social),
                (_("print"), consent.scope_print),
                (_("photos"), consent.photos),
            ]
            if on
        ]
        return ", ".join(str(p) for p in parts) or "—"

    @admin.display(description=_("signed form"))
    def form_link(self, consent):
        if not consent.form:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_consent_form", args=[consent.pk]), _("Download")
        )

    @admin.display(description=_("state"))
    def state(self, consent):
        if consent.withdrawn_at:
            return _("Withdrawn %(date)s") % {"date": consent.withdrawn_at.date().isoformat()}
        return _("In force") if consent.is_valid() else _("Expired")


class NewConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["given_by", "child_assent", "signed_on", "expires_on", "scope_web", "scope_social",
                  "scope_print", "photos", "form"]  # fmt: skip
        widgets = {"form": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}


class NewConsentInline(admin.StackedInline):
    """Record a newly signed consent. Only the privacy officer sees this."""

    model = Consent
    form = NewConsentForm
    verbose_name = _("new consent")
    verbose_name_plural = _("Record a signed consent")
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return holds(request.user, CLEAR_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return holds(request.user, CLEAR_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return holds(request.user, CLEAR_PERMISSION)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    verbose_name_plural = _("Privacy history (append-only)")
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return access.may(request.user, "view", CASE)


class ClearForm(forms.Form):
    consent_on_file = forms.BooleanField(label=_("I checked the signed consent form on file and its scope."))
    findings_reviewed = forms.BooleanField(
        label=_("I read the story as readers will, and each finding has a decision in the privacy review.")
    )
    justification = forms.CharField(
        label=_("Note for the record (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Findings are decided one by one in the privacy review, not here."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("How the withdrawal reached us"), max_length=300)
    confirm = forms.BooleanField(label=_("Unpublish this story and every article that tells it now."))


class CaseForm(forms.ModelForm):
    """A story's diagnosis and therapies come from the closed vocabularies, like an article's tags."""

    diseases = term_picker(DiseaseTag, _("diagnosis"))
    therapies = term_picker(TherapyTag, _("therapies"))

    class Meta:
        model = Case
        fields = ["label", "language", "articles", "age_band", "sex", "diseases", "therapies",
                  "treatment_year", "follow_up", "outcome", "narrative"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            self.fields["language"].required = False

    def clean_language(self):
        # A post without it (an older form, a script) keeps the story's language.
        return self.cleaned_data.get("language") or self.instance.language

    def clean(self):
        # A change that would void the clearance of a story readers can see is refused here.
        cleaned = super().clean()
        if "articles" in self.fields and "articles" in cleaned:
            story = {name: cleaned[name] for name in STORY_FIELDS if name in cleaned}
            article_pks = [a.pk for a in cleaned["articles"]]
            for problem in live_story_problems(self.instance, story=story, article_pks=article_pks):
                self.add_error(None, problem)
        return cleaned


class StoriesOfArticle:
    """The patient stories an article tells, chosen on the article's own form (`NEWSDESK_ARTICLE_LINKS`):
    found by typing a reference or a label, linked with the same rule as from the story's side (a story a
    published article tells keeps its clearance)."""

    name = "stories"

    def __init__(self, user):
        self.field = None
        if access.may(user, "edit", CASE):
            self.field = forms.ModelMultipleChoiceField(
                Case.objects.exclude(privacy_status=PrivacyStatus.WITHDRAWN).order_by("reference"),
                label=_("patient stories"),
                required=False,
                widget=FilteredSelectMultiple(_("patient stories"), is_stacked=False),
                help_text=_("The stories this article tells. Type a reference or a label to find one. The "
                            "privacy officer clears each story before the article is published."),
            )  # fmt: skip

    def initial(self, article) -> list:
        return list(article.cases.all())

    def problems(self, article, chosen) -> list[str]:
        """Refused as from the story's side: what would take a live story's clearance away."""
        before = set(article.cases.values_list("pk", flat=True)) if article.pk else set()
        after = {case.pk for case in chosen}
        found = []
        for case in Case.objects.filter(pk__in=before ^ after).prefetch_related("articles"):
            told = {a.pk for a in case.articles.all()}
            told = told | {article.pk} if case.pk in after else told - {article.pk}
            found += live_story_problems(case, story={}, article_pks=told - {None})
        return found

    def save(self, article, chosen) -> None:
        article.cases.set(chosen)  # through the relation, so its signals recheck the stories' clearance


@admin.register(Case)
class CaseAdmin(DropsDraftOnSave, SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [CaseResource]
    form = CaseForm
    change_form_template = "admin/cases/case/change_form.html"
    list_display = ["reference", "label", "age_band", "sex", "treatment_year", "privacy_badge", "updated_at"]
    list_filter = ["privacy_status", "age_band", "sex", "diseases", "therapies"]
    search_fields = ["reference", "label"]
    autocomplete_fields = ["articles"]
    readonly_fields = ["reference", "privacy_status", "cleared_by", "cleared_at", "privacy_review"]
    inlines = [ConsentRecordInline, NewConsentInline, CaseEventInline]
    fieldsets = [
        (None, {"fields": ["reference", "label", "language", "articles"]}),
        (
            _("Anonymised facts"),
            {
                "fields": [
                    "age_band",
                    "sex",
                    "diseases",
                    "therapies",
                    "treatment_year",
                    "follow_up",
                    "outcome",
                ]
            },
        ),
        (_("Story"), {"fields": ["narrative"]}),
        (_("Privacy review"), {"fields": ["privacy_status", "cleared_by", "cleared_at", "privacy_review"]}),
    ]

    class Media:
        css = {"all": ["newsdesk/admin-privacy.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("diseases", "therapies")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("privacy"), ordering="privacy_status")
    def privacy_badge(self, case):
        return format_html(
            '<span class="privacy-badge privacy-{}">{}</span>',
            case.privacy_status,
            case.get_privacy_status_display(),
        )

    @admin.display(description=_("findings, highlighted in place"))
    def privacy_review(self, case):
        if case.pk is None:
            return _("Save the story to see what the scanner finds.")
        texts = case_texts(case)
        legend = format_html_join(" ", '<mark class="finding finding-{}">{}</mark>', KINDS.items())
        sections = format_html_join(
            "",
            '<section class="privacy-text"><h4>{}</h4><div class="privacy-highlighted">{}</div></section>',
            ((where, highlight(text, findings)) for where, text, findings in texts),
        )
        return format_html(
            '<div class="privacy-review"><p class="privacy-legend">{}</p>{}</div>', legend, sections
        )

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_clear"] = holds(request.user, CLEAR_PERMISSION)
        context["PrivacyStatus"] = PrivacyStatus
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        services.case_save(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is Consent:
            for consent in formset.save(commit=False):
                consent.recorded_by = request.user
                consent.case = form.instance
                consent.full_clean()
                consent.save()
            return
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/clear/", wrap(self.clear_view), name="cases_case_clear"),
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name="cases_case_withdraw"),
            path("consents/<int:pk>/form/", wrap(self.consent_form_view), name="cases_consent_form"),
            path("import-documents/", wrap(import_documents_view), name="import_documents"),
            path("import-documents/<str:token>/", wrap(import_job_view), name="import_job"),
            path("<int:pk>/take-down/", wrap(privacy_desk.take_down_case_view), name="cases_case_take_down"),
            path(
                "privacy/<str:kind>/<int:pk>/",
                wrap(privacy_desk.privacy_review_view),
                name="cases_privacy_review",
            ),
            path(
                "consents/expiring/",
                wrap(privacy_desk.expiring_consents_view),
                name="cases_consents_expiring",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or access.may(request.user, "edit", CASE, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or access.may(request.user, "delete", CASE, obj)
        )

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        """No bulk delete, not even for a superuser: a story leaves the site by withdrawal, and one with a
        privacy history is never deleted (its events protect it)."""
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def _allowed(self, request, action, content, item):
        """Refuse with 403 what articles.access does not open to this user (say why on the page)."""
        if not access.may(request.user, action, content, item):
            raise PermissionDenied(access.refusal(request.user, action, content, item))

    def clear_view(self, request, pk):
        case = get_object_or_404(Case, pk=pk) if access.may(request.user, "view", CASE) else None
        self._allowed(request, "clear", CASE, case)
        form = ClearForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.case_clear(case, by=request.user, justification=form.cleaned_data["justification"])
            except ValidationError as problems:
                for problem in problems.messages:
                    form.add_error(None, problem)
            else:
                self.message_user(
                    request, _("%(ref)s is cleared for its current text.") % {"ref": case.reference}
                )
                return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
        return TemplateResponse(
            request,
            "admin/cases/case/clear.html",
            {**self.admin_site.each_context(request), "opts": self.opts, "case": case, "form": form,
             "consent": case.current_consent(), "rows": privacy_desk._rows(case, request.user),
             "review_url": privacy_desk.review_url(case),
             "title": _("Clear %(ref)s") % {"ref": case.reference}},
        )  # fmt: skip

    def withdraw_view(self, request, pk):
        case = get_object_or_404(Case, pk=pk) if access.may(request.user, "view", CASE) else None
        self._allowed(request, "withdraw", CASE, case)
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                unpublished = services.case_withdraw_consent(
                    case, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as problems:
                for problem in problems.messages:
                    form.add_error(None, problem)
            else:
                self.message_user(
                    request,
                    _("Consent withdrawn for %(ref)s. %(n)d article(s) unpublished.")
                    % {"ref": case.reference, "n": len(unpublished)},
                    messages.WARNING,
                )
                return HttpResponseRedirect(reverse("admin:cases_case_change", args=[case.pk]))
        return TemplateResponse(
            request,
            "admin/cases/case/withdraw.html",
            {**self.admin_site.each_context(request), "opts": self.opts, "case": case, "form": form,
             "articles": case.articles.all(),
             "title": _("Withdraw consent for %(ref)s") % {"ref": case.reference}},
        )  # fmt: skip

    def consent_form_view(self, request, pk):
        """The signed form, from private storage, for the privacy officer only, never cached."""
        self._allowed(request, "download", CONSENT, None)
        consent = get_object_or_404(Consent, pk=pk)
        if not consent.form:
            raise Http404
        response = FileResponse(
            consent.form.open("rb"), as_attachment=True, filename=consent.form.name.rsplit("/", 1)[-1]
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        return response


@admin.register(PublicName)
class PublicNameAdmin(admin.ModelAdmin):
    """The names the scanner never flags. Only the privacy officer keeps this list."""

    list_display = ["name", "kind", "note", "added_by", "added_at"]
    list_filter = ["kind"]
    search_fields = ["name", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


# --- Importing source documents -----------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data] or self.clean(None)
        return [super().clean(data, initial)]


class DocumentUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Documents"),
        widget=MultipleFileInput(attrs={"accept": ".txt,.md,.html,.htm,.docx,.pdf,.zip"}),
        help_text=_(
            "Press texts, saved web pages, Word or PDF press releases (.txt, .md, .html, .docx, .pdf), or a "
            ".zip of them."
        ),
    )


class PreviewRowForm(forms.Form):
    """One previewed document as the editor corrects it: imported or left out, its headline, its tags
    (those found, to untick, and more to add by name) and the clutter lines to put back."""

    include = forms.BooleanField(label=_("Import"), required=False, initial=True)
    title = forms.CharField(label=_("Headline"), max_length=200, required=False)
    diseases = forms.MultipleChoiceField(
        label=_("Diseases found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    therapies = forms.MultipleChoiceField(
        label=_("Therapies found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    more_diseases = forms.CharField(label=_("Add diseases"), required=False, max_length=500)
    more_therapies = forms.CharField(label=_("Add therapies"), required=False, max_length=500)
    restore = forms.MultipleChoiceField(
        label=_("Put back"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, row: dict, terms: dict[str, dict[str, str]], **kwargs):
        initial = {
            "include": True,
            "title": row["title"],
            "diseases": row["diseases"],
            "therapies": row["therapies"],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.row, self.terms = row, terms
        self.fields["diseases"].choices = [(name, name) for name in row["diseases"]]
        self.fields["therapies"].choices = [(name, name) for name in row["therapies"]]
        self.fields["restore"].choices = [(str(n), line) for n, line in enumerate(row["dropped"])]
        for name in ("more_diseases", "more_therapies"):
            self.fields[name].help_text = _("Names from the list, separated by commas.")

    def _more(self, field: str, kind: str) -> list[str]:
        names, unknown = [], []
        for typed in filter(None, (part.strip() for part in self.cleaned_data[field].split(","))):
            name = self.terms[kind].get(typed.casefold())
            names.append(name) if name else unknown.append(typed)
        if unknown:
            self.add_error(
                field,
                _(
                    "%(names)s: not in the vocabulary. Pick names from the list, or ask an editor to add "
                    "the term."
                )
                % {"names": ", ".join(f"“{u}”" for u in unknown)},
            )
        return names

    def clean(self):
        data = super().clean()
        if data.get("include") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the draft a headline, or untick Import to leave it out."))
        data["more_diseases"] = self._more("more_diseases", "diseases")
        data["more_therapies"] = self._more("more_therapies", "therapies")
        return data

    def corrections(self) -> Corrections | None:
        """What the importer is to change; None for a document left out."""
        data = self.cleaned_data
        if not data["include"]:
            return None
        lines = self.row["dropped"]
        return Corrections(
            title=data["title"].strip() if data["title"].strip() != self.row["title"] else None,
            diseases=list(dict.fromkeys([*data["diseases"], *data["more_diseases"]])),
            therapies=list(dict.fromkeys([*data["therapies"], *data["more_therapies"]])),
            restore=[lines[int(n)] for n in data["restore"]],
        )


def vocabulary_lookup() -> dict[str, dict[str, str]]:
    """Every disease and therapy by its casefolded name, synonym or abbreviation: the name to tag with."""
    terms: dict[str, dict[str, str]] = {}
    for kind, model in (("diseases", DiseaseTag), ("therapies", TherapyTag)):
        terms[kind] = {}
        for name, synonyms, abbreviations in model.objects.values_list("name", "synonyms", "abbreviations"):
            for alias in [*synonyms, *abbreviations, name]:  # the name wins over another term's alias
                terms[kind][alias.casefold()] = name
    return terms


def preview_forms(job: ImportJob, data=None) -> list[PreviewRowForm | None]:
    """A form for each previewed document that can be imported; None for one that cannot."""
    terms = vocabulary_lookup()
    return [
        None if row["error"] else PreviewRowForm(data, row=row, terms=terms, prefix=f"doc-{n}")
        for n, row in enumerate(job.rows)
    ]


def import_documents_view(request):
    """Upload documents; the task worker reads them (see `cases.import_jobs`) while the page follows it."""
    if not access.may(request.user, "import", access.ARTICLE):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Import documents"), "opts": Case._meta}
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            documents = read_uploads(form.cleaned_data["files"], limit=settings.NEWSDESK_MAX_IMPORT_BYTES)
        except ValidationError as problem:
            form.add_error("files", problem)
        else:
            job = import_jobs.start(request.user, documents)
            return HttpResponseRedirect(reverse("admin:import_job", args=[job.token]))
    return TemplateResponse(request, "admin/cases/import_documents.html", {**context, "form": form})


def import_job_view(request, token):
    """One import job, for its uploader only: progress while the worker reads, then the report. A
    finished preview offers to import; an old one (over PREVIEW_HOURS) has lost its documents."""
    if not access.may(request.user, "import", access.ARTICLE):
        raise PermissionDenied
    job = get_object_or_404(ImportJob, token=token, uploader=request.user)
    expired = job.created_at < timezone.now() - timedelta(hours=PREVIEW_HOURS)
    confirmable = job.step == ImportJob.Step.PREVIEW and job.state == ImportJob.State.DONE and not expired
    corrected = request.method == "POST" and any(key.startswith("doc-") for key in request.POST)
    forms_ = preview_forms(job, request.POST if corrected else None) if confirmable else []
    if request.method == "POST" and job.step == ImportJob.Step.PREVIEW and job.finished:
        if expired or not storages["private"].exists(job.folder):
            messages.error(request, _("This preview has expired. Upload the documents again."))
            return HttpResponseRedirect(reverse("admin:import_documents"))
        if not corrected:  # confirmed as previewed
            import_jobs.confirm(job)
            return HttpResponseRedirect(request.path)
        if all(form is None or form.is_valid() for form in forms_):
            import_jobs.confirm(
                job, {n: form.corrections() for n, form in enumerate(forms_) if form is not None}
            )
            return HttpResponseRedirect(request.path)
        messages.error(
            request, _("Nothing was imported yet: correct the rows marked below, then confirm again.")
        )
    if request.GET.get("format") == "json":
        return JsonResponse(job.progress())
    imported = job.step == ImportJob.Step.IMPORT and job.state == ImportJob.State.DONE
    if imported and not request.session.get(f"told-{job.token}"):
        request.session[f"told-{job.token}"] = True
        done = sum(1 for row in job.rows if row["article_id"] and not row["error"])
        messages.success(request, _("%(n)d document(s) imported as drafts.") % {"n": done})
    context = {
        **admin.site.each_context(request),
        "title": _("Import documents"),
        "opts": Case._meta,
        "job": job,
        "results": list(zip(job.rows, forms_ or [None] * len(job.rows), strict=True)),
        "done": imported,
        "confirmable": confirmable,
        "vocabularies": (
            {
                "diseases": DiseaseTag.objects.values_list("name", flat=True),
                "therapies": TherapyTag.objects.values_list("name", flat=True),
            }
            if confirmable
            else {}
        ),
    }
    return TemplateResponse(request, "admin/cases/import_documents.html", context)
