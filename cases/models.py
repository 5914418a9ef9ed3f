import hashlib
import re
import secrets
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.addresses import address_of
from articles.cache_keys import item_key, noting, shows
from articles.models import Article, DiseaseTag, Language, TherapyTag
from articles.models.article import Topics, WithTopics, attach_topics
from articles.models.history import AppendOnly, Chained, ChainedQuerySet
from articles.models.vocabulary import ItemTags
from articles.richtext import EDITOR_EXTENSIONS, refuse_control_characters, sanitize_html
from cases.storage import Delegated


class PrivacyStatus(models.TextChoices):
    PENDING = "pending", _("Pending privacy review")
    CLEARED = "cleared", _("Cleared for publication")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class AgeBand(models.TextChoices):
    """Decades, and one band for everyone over 89, so that no exact age above 89 is ever stored."""

    CHILD_0_9 = "0-9", _("under 10")
    TEENS = "10-19", _("in their teens")
    TWENTIES = "20-29", _("in their 20s")
    THIRTIES = "30-39", _("in their 30s")
    FORTIES = "40-49", _("in their 40s")
    FIFTIES = "50-59", _("in their 50s")
    SIXTIES = "60-69", _("in their 60s")
    SEVENTIES = "70-79", _("in their 70s")
    EIGHTIES = "80-89", _("in their 80s")
    NINETY_PLUS = "90+", _("aged 90 or over")

    @classmethod
    def for_age(cls, age: int) -> "AgeBand":
        if age >= 90:
            return cls.NINETY_PLUS
        return cls(f"{age // 10 * 10}-{age // 10 * 10 + 9}")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSTATED = "unstated", _("Not stated")


class CaseDisease(TaggedItemBase):
    tag = models.ForeignKey(DiseaseTag, on_delete=models.CASCADE, related_name="case_links")
    content_object = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="disease_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="case_disease_once")]


class CaseTherapy(TaggedItemBase):
    tag = models.ForeignKey(TherapyTag, on_delete=models.CASCADE, related_name="case_links")
    content_object = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="therapy_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="case_therapy_once")]


STORY_TOPIC_LINKS = ((CaseDisease, DiseaseTag), (CaseTherapy, TherapyTag))  # in the order of `Topics`


class CaseQuerySet(WithTopics, models.QuerySet):
    @staticmethod
    def topic_links():
        return STORY_TOPIC_LINKS

    def public(self, told_in=None):
        """A patient story is public when the privacy officer has cleared it, its consent covers the web
        and is neither withdrawn nor expired, and it is linked to at least one public article. Withdrawn
        or pending cases never show, whatever their articles do. `told_in` (an article) keeps only the
        stories that article tells, if it is public.

        Each condition asks about the story at hand (EXISTS, by the story's own index entries) and stops
        at the first match, so a story page or a topic's dozen stories cost the same on any desk. An
        `IN (every public article's links)` read all of them first: 16 ms at 10,000 articles.
        """
        links = Case.articles.through.objects
        stories, tellings = self, links.filter(case=OuterRef("pk"))
        if told_in is not None:  # start from the article's own links, not from every story
            stories = self.filter(pk__in=links.filter(article=told_in.pk).values("case_id"))
            tellings = tellings.filter(article=told_in.pk)
        told_in_public = tellings.filter(Exists(Article.objects.public().filter(pk=OuterRef("article_id"))))
        web_consent = Consent.objects.valid().filter(scope_web=True, case=OuterRef("pk"))
        return stories.filter(
            Exists(told_in_public), Exists(web_consent), privacy_status=PrivacyStatus.CLEARED
        )

    def _fetch_all(self):
        """A public page that reads any story carries the stories' key as well as each story's own: a
        withdrawal retires both, so a page that shows a story is retired even where its own key was
        missed (articles.cache_keys)."""
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is models.query.ModelIterable:
            self._attach_topics()
            if noting():
                shows("stories", *(case.cache_key for case in self._result_cache))

    def most_recently_treated_first(self):
        """How readers are shown stories (the `case_story_order` index follows it)."""
        return self.order_by("-treatment_year", "reference")


REFERENCE_PATTERN = re.compile(r"^CASE-(\d+)$")


class Case(models.Model):
    """An anonymised patient story. Only the fields below are ever shown to readers."""

    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("Stable internal reference, used in logs and messages instead of any patient detail."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language, default=Language.ENGLISH, db_default=Language.ENGLISH
    )
    label = models.CharField(
        _("public label"),
        max_length=200,
        validators=[refuse_control_characters],
        help_text=_("How readers meet this patient, without a name: “Woman in her 80s with B-cell ALL”."),
    )
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex, default=Sex.UNSTATED)
    treatment_year = models.PositiveSmallIntegerField(
        _("treatment year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text=_("The year only. Exact dates identify patients."),
    )
    follow_up = models.CharField(
        _("follow-up"),
        max_length=100,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("How long the patient has been followed, e.g. “7 years”."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=300, blank=True, validators=[refuse_control_characters]
    )
    narrative = ProseEditorField(
        _("narrative"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )

    privacy_status = models.CharField(
        _("privacy status"),
        max_length=20,
        choices=PrivacyStatus,
        default=PrivacyStatus.PENDING,
        editable=False,
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True, editable=False)
    cleared_fingerprint = models.CharField(
        _("cleared text fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Hash of the exact story and article texts the privacy officer cleared."),
    )
    privacy_findings = models.JSONField(_("privacy findings"), default=list, blank=True, editable=False)
    source_ref = models.CharField(
        _("import reference"), max_length=100, unique=True, null=True, blank=True, editable=False
    )

    articles = models.ManyToManyField(
        Article,
        verbose_name=_("articles"),
        related_name="cases",
        blank=True,
        help_text=_("Articles that tell this story."),
    )
    diseases = TaggableManager(
        verbose_name=_("diagnosis"),
        through=CaseDisease,
        manager=ItemTags,
        related_name="cases",
        blank=True,
        help_text="",
    )
    therapies = TaggableManager(
        verbose_name=_("therapies"),
        through=CaseTherapy,
        manager=ItemTags,
        related_name="cases",
        blank=True,
        help_text="",
    )

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient story")
        verbose_name_plural = _("patient stories")
        ordering = ["reference"]
        permissions = [
            ("clear_case", _("Can clear a patient story for publication")),
            ("import_case", _("Can import patient stories")),
            ("export_case", _("Can export patient stories")),
        ]
        indexes = [
            # The sitemap's date: stories newest-updated first, so the first public one ends the search.
            models.Index(fields=["privacy_status", "updated_at"], name="case_by_update"),
            # The stories index's order: a page is read off the index until it has its public stories,
            # instead of checking and sorting every story.
            models.Index(fields=["privacy_status", "-treatment_year", "reference"], name="case_story_order"),
        ]
        constraints = [
            models.CheckConstraint(
                name="cleared_case_has_clearance",
                condition=~models.Q(privacy_status="cleared")
                | (models.Q(cleared_by__isnull=False) & models.Q(cleared_at__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.label}"

    def save(self, *args, **kwargs):
        self.narrative = sanitize_html(self.narrative)
        if self.privacy_status == PrivacyStatus.CLEARED and self.fingerprint() != self.cleared_fingerprint:
            # A clearance covers the exact text the privacy officer read; any other text needs a new look.
            self.privacy_status = PrivacyStatus.PENDING
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "privacy_status"}
        if self.reference:
            return super().save(*args, **kwargs)
        # Two editors creating cases at once may pick the same next number: the unique constraint
        # refuses the second, and it simply takes the next one.
        for attempt in range(5):
            self.reference = next_reference()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                taken = Case.objects.filter(reference=self.reference).exists()
                self.reference = ""
                if not taken or attempt == 4:
                    raise

    def get_absolute_url(self):
        return address_of("cases:detail", reference=self.reference.lower())

    @property
    def cache_key(self) -> str:
        return item_key("stories", self.pk)

    @property
    def topics(self) -> Topics:
        """Its terms as pages show them; `with_tags()` reads them for a whole list."""
        if not hasattr(self, "_topics"):
            attach_topics([self], STORY_TOPIC_LINKS)
        return self._topics

    def keys_to_retire(self) -> set[str]:
        """What a change to this story retires: every page showing it or any story, the pages of the
        articles that tell it (where it may appear), and the lists of its terms."""
        keys = {self.cache_key, "stories"}
        keys.update(item_key("articles", pk) for pk in self.articles.values_list("pk", flat=True))
        keys.update(map(DiseaseTag.list_key_for, self.disease_links.values_list("tag", flat=True)))
        keys.update(map(TherapyTag.list_key_for, self.therapy_links.values_list("tag", flat=True)))
        return keys

    def fingerprint(self) -> str:
        """A hash of everything a clearance vouches for: the story's own fields and the text of every
        article that tells it. Any edit to either changes it."""
        parts = [self.label, self.age_band, self.sex, str(self.treatment_year or ""), self.follow_up,
                 self.outcome, sanitize_html(self.narrative)]  # fmt: skip
        if self.pk:
            for title, standfirst, body in self.articles.order_by("pk").values_list(
                "title", "standfirst", "body"
            ):
                parts += [title, standfirst, body]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def current_consent(self) -> "Consent | None":
        """The newest consent that is neither withdrawn nor expired."""
        return self.consents.valid().order_by("-signed_on", "-pk").first()


def next_reference() -> str:
    """The next free CASE-nnnn. Longer numbers sort after shorter ones, so CASE-10000 follows CASE-9999."""
    last = (
        Case.objects.filter(reference__startswith="CASE-")
        .annotate(length=Length("reference"))
        .order_by("-length", "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    match = REFERENCE_PATTERN.match(last or "")
    return f"CASE-{int(match.group(1)) + 1 if match else 1:04d}"


# --- Consent ------------------------------------------------------------------------------------


PRIVATE_STORAGE = Delegated("private")


def private_storage():
    """Signed consent forms live in their own storage, outside MEDIA_ROOT, with no public URL."""
    return PRIVATE_STORAGE


def consent_form_name(consent, filename: str) -> str:
    """Where a signed form is stored: a random name, so the uploader's file name (often the patient's
    name) is kept nowhere."""
    suffix = PurePosixPath(filename or "").suffix.lower()
    suffix = suffix if suffix in {".pdf", ".jpg", ".jpeg", ".png"} else ""
    return f"consent/{timezone.now():%Y}/{secrets.token_hex(8)}{suffix}"


class ConsentGiver(models.TextChoices):
    PATIENT = "patient", _("The patient")
    GUARDIAN = "guardian", _("A parent or legal guardian")


class ConsentQuerySet(ChainedQuerySet):
    def valid(self, on: date | None = None):
        """Consents in force on `on` (today by default): not withdrawn and not expired."""
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=on)
        )


class Consent(Chained):
    """A patient's (or guardian's) written consent to tell their story, and where it may appear. Never
    edited: the database lets a withdrawal fill in its three fields once, and refuses any other change."""

    case = models.ForeignKey(
        Case, verbose_name=_("patient story"), on_delete=models.PROTECT, related_name="consents"
    )
    given_by = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentGiver, default=ConsentGiver.PATIENT
    )
    child_assent = models.BooleanField(
        _("the child agreed too"),
        default=False,
        help_text=_("For a minor, a guardian consents and the child's own agreement (assent) is recorded."),
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave empty if the form sets no end date.")
    )
    scope_web = models.BooleanField(_("website"), default=True)
    scope_social = models.BooleanField(_("social media"), default=False)
    scope_print = models.BooleanField(_("print"), default=False)
    photos = models.BooleanField(_("photos of the patient"), default=False)
    identifiable = models.BooleanField(
        _("may be named or identified"),
        default=False,
        help_text=_(
            "Tick only if the form says the patient agreed to be named or identified (name, town, exact "
            "dates). Without it, every identifying detail must be replaced before publication."
        ),
    )
    form = models.FileField(
        _("signed form"),
        storage=private_storage,
        upload_to=consent_form_name,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("A scan or PDF of the signed form. Stored privately; only privacy officers can open it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+",
        null=True, editable=False,
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("withdrawal recorded by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True, editable=False,
    )  # fmt: skip
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=300, blank=True, editable=False)

    objects = ConsentQuerySet.as_manager()
    chain_on = ("case",)
    settable_once = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="guardian_consent_records_assent",
                condition=~models.Q(given_by="guardian") | models.Q(child_assent=True),
            ),
            models.CheckConstraint(
                name="consent_expires_after_signing",
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("signed_on")),
            ),
        ]

    def __str__(self):
        return f"Consent for {self.case.reference} signed {self.signed_on:%Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.given_by == ConsentGiver.GUARDIAN and not self.child_assent:
            errors["child_assent"] = _(
                "Record the child's own agreement, or ask the privacy officer how to proceed."
            )
        if self.expires_on and self.signed_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("The expiry date is before the signing date.")
        if self.case_id and self.case.age_band in {"0-9", "10-19"} and self.given_by == ConsentGiver.PATIENT:
            errors["given_by"] = _("This patient may be a minor: a parent or guardian must consent.")
        if errors:
            raise ValidationError(errors)

    def is_valid(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and (self.expires_on is None or self.expires_on >= on)


class ConsentReminder(models.Model):
    """A reminder to the privacy officers that a consent expires soon, so each is sent once."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.JSONField(default=list, help_text=_("User ids the reminder went to."))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "days_before", "expires_on"], name="consent_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for {self.consent.case.reference}"


# --- Privacy findings and the decisions taken on them -----------------------------------------------


class PublicName(models.Model):
    """A name the desk makes public on purpose, which the scanner never flags: the hospital and its
    units, journals, trials, brand-name drugs, staff who agreed to be named. Kept by the privacy officer,
    because a name on this list passes the gate unseen."""

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Hospital, unit or institution")
        JOURNAL = "journal", _("Journal or publisher")
        DRUG = "drug", _("Drug, device or trial")
        STAFF = "staff", _("Member of staff who agreed to be named")
        OTHER = "other", _("Other public name")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    note = models.CharField(
        _("why it is public"), max_length=300, help_text=_("For example “our own hospital's name”.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("public name")
        verbose_name_plural = _("public names")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.name = " ".join(self.name.split())
        if len(self.name) < 3:
            raise ValidationError({"name": _("Give the full name (at least three characters).")})
        if len(self.note.split()) < 3:
            raise ValidationError({"note": _("Say in a few words why this name is public.")})


class PrivacyScan(models.Model):
    """What the scanner found in one article's or story's public text, stored when the text is saved,
    so that no page view ever scans. `fingerprint` is the text it was made for."""

    article = models.OneToOneField(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="privacy_scan"
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="privacy_scan"
    )
    fingerprint = models.CharField(max_length=64)
    findings = models.JSONField(default=list)
    undecided = models.PositiveIntegerField(
        default=0, help_text=_("Findings with no decision in force, kept current for the privacy queue.")
    )
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["undecided"], name="scan_undecided", condition=models.Q(undecided__gt=0))
        ]
        constraints = [
            models.CheckConstraint(
                name="scan_of_one_text",
                condition=models.Q(article__isnull=True, case__isnull=False)
                | models.Q(article__isnull=False, case__isnull=True),
            )
        ]

    def __str__(self):
        return f"Scan of {self.article_id and f'article {self.article_id}' or f'story {self.case_id}'}"


class FindingDecision(AppendOnly):
    """The privacy officer's decision on one distinct finding in an article's or a story's public text.

    Pinned to the text it was taken on (`fingerprint`), like a medical sign-off: any edit of that text
    re-opens every decision. A later decision on the same finding supersedes an earlier one.
    """

    class Choice(models.TextChoices):
        REPLACED = "replaced", _("Replaced")
        NOT_IDENTIFYING = "not_identifying", _("Kept: does not identify a patient")
        CONSENTED = "consented", _("Kept: the patient consented to be identified")

    class Reason(models.TextChoices):
        STAFF = "staff", _("The clinician is staff and agreed to be named")
        AUTHOR = "author", _("A published author or public figure, named in that role")
        INSTITUTION = "institution", _("A public institution, or its public address")
        DRUG_OR_TRIAL = "drug_or_trial", _("A drug, device, gene or trial name")
        REGION = "region", _("A region or event location, not where a patient lives")
        ORDINARY = "ordinary", _("An ordinary word or medical term, not a name")
        AGE = "age", _("An age of 89 or under, which does not identify anyone")
        PERIOD = "period", _("A season or year, not a day or month in a patient's life")

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    kind = models.CharField(_("kind"), max_length=20)
    text = models.CharField(_("finding"), max_length=300)
    choice = models.CharField(_("decision"), max_length=20, choices=Choice)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    replacement = models.CharField(_("replaced with"), max_length=300, blank=True)
    fingerprint = models.CharField(_("text fingerprint"), max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    chain_on = ("article", "case")

    class Meta:
        verbose_name = _("privacy decision")
        verbose_name_plural = _("privacy decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "fingerprint"], name="decision_by_article_text"),
            models.Index(fields=["case", "fingerprint"], name="decision_by_case_text"),
        ]
        constraints = [
            models.CheckConstraint(
                name="decision_on_one_text",
                condition=models.Q(article__isnull=True, case__isnull=False)
                | models.Q(article__isnull=False, case__isnull=True),
            ),
            models.CheckConstraint(
                name="waiver_has_reason_and_note",
                condition=~models.Q(choice="not_identifying") | (~models.Q(reason="") & ~models.Q(note="")),
            ),
        ]

    def __str__(self):
        return f"{self.get_choice_display()} ({self.kind})"


class CaseEvent(AppendOnly):
    """The privacy audit trail of a case: clearances, resets to pending, consent withdrawals. Append-only,
    with its actions named in one enum like the articles' history.

    Comments refer to cases by reference and never quote patient details."""

    class Action(models.TextChoices):
        CLEARED = "cases.cleared", _("Cleared for publication")
        PENDING = "cases.pending", _("Sent back to the privacy officer")
        CONSENT_WITHDRAWN = "cases.consent_withdrawn", _("Consent withdrawn")
        FINDING_REPLACED = "cases.finding_replaced", _("Privacy finding replaced in the text")
        TAKEN_DOWN = "cases.taken_down", _("Taken down for a privacy reason")

    case = models.ForeignKey(
        Case, verbose_name=_("patient story"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for what the desk did on its own, such as a consent that expired."),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=PrivacyStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PrivacyStatus, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    text_hash = models.CharField(_("text fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    chain_on = ("case",)

    class Meta:
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        ordering = ["-created_at", "-pk"]

    @classmethod
    def record(cls, case, *, by, action, comment="", from_status=None) -> "CaseEvent":
        """Append an entry for `case` as it is now: its privacy status (moved from `from_status`, if
        given) and its text's fingerprint."""
        return cls.objects.create(
            case=case,
            actor=by,
            action=action,
            from_status=from_status or case.privacy_status,
            to_status=case.privacy_status,
            comment=str(comment)[:500],
            text_hash=case.fingerprint(),
        )

    def __str__(self):
        return f"{self.case.reference} {self.action}"
