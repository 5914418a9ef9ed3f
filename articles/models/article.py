import hashlib
import re
from collections import Counter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.addresses import address_of
from articles.cache_keys import item_key, noting, shows
from articles.images import store_clean_upload, validate_image
from articles.models.vocabulary import DiseaseTag, ItemTags, TherapyTag
from articles.richtext import EDITOR_EXTENSIONS, refuse_control_characters, sanitize_html
from articles.slugs import make_slug, slug_problem


class Language(models.TextChoices):
    """The languages the desk writes in. Values are Django's language codes; `bcp47` gives the tag pages
    and structured data carry."""

    ENGLISH = "en", "English"
    CHINESE = "zh-hans", "简体中文"

    @classmethod
    def bcp47(cls, code: str) -> str:
        return {"zh-hans": "zh-Hans"}.get(code, code)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class StudyType(models.TextChoices):
    """What kind of study a piece of research news reports: the first line of "Evidence at a glance"."""

    RANDOMISED = "randomised", _("Randomised controlled trial")
    SINGLE_ARM = "single_arm", _("Clinical trial without a comparison group")
    OBSERVATIONAL = "observational", _("Observational study")
    FEW_PATIENTS = "few_patients", _("Report on one or a few patients")
    REVIEW = "review", _("Systematic review or meta-analysis")
    LABORATORY = "laboratory", _("Laboratory or animal study")


class StudyPhase(models.TextChoices):
    PHASE_1 = "1", _("Phase 1")
    PHASE_1_2 = "1/2", _("Phase 1/2")
    PHASE_2 = "2", _("Phase 2")
    PHASE_3 = "3", _("Phase 3")
    PHASE_4 = "4", _("Phase 4")
    NONE = "none", _("No phase (not a trial of a medicine)")


class Embargo(models.Model):
    """A journal's embargo on a paper: nothing about it may go out before `lifts_at`. An article tied to
    one is not published before the lift, its schedule snaps to the lift, and moving the embargo moves
    the schedules with it (articles.workflow)."""

    journal = models.CharField(_("journal"), max_length=200, validators=[refuse_control_characters])
    paper = models.CharField(
        _("paper"),
        max_length=300,
        validators=[refuse_control_characters],
        help_text=_("Its title or DOI, as the journal's embargo notice names it."),
    )
    lifts_at = models.DateTimeField(_("lifts at"), db_index=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        help_text=_("The zone the journal states the lift in, such as Europe/London."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("embargo")
        verbose_name_plural = _("embargoes")
        ordering = ["-lifts_at"]

    def __str__(self):
        return f"{self.journal}: {self.paper} ({self.lift_label})"

    @property
    def lift_label(self) -> str:
        """The lift as the journal states it, in its zone: "9 Dec 2026 16:00 Europe/London"."""
        return f"{self.lifts_in_its_zone:%-d %b %Y %H:%M} {self.time_zone}"

    @property
    def lifts_in_its_zone(self):
        return timezone.localtime(self.lifts_at, ZoneInfo(self.time_zone))

    def is_on(self, at=None) -> bool:
        return self.lifts_at > (at or timezone.now())


class ArticleDisease(TaggedItemBase):
    tag = models.ForeignKey(DiseaseTag, on_delete=models.CASCADE, related_name="article_links")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="disease_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="article_disease_once")]


class ArticleTherapy(TaggedItemBase):
    tag = models.ForeignKey(TherapyTag, on_delete=models.CASCADE, related_name="article_links")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="therapy_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="article_therapy_once")]


# --- Articles -----------------------------------------------------------------------------------


# What a link to an article reads (its headline, address, language and date), with what deciding it is
# public reads: the related news, a translation.
LINK_FIELDS = ("title", "slug", "language", "published_at", "status", "expires_at", "awaiting_go_live")


class WithTopics:
    """A QuerySet whose `with_tags()` gives every row its `topics` in one query for the whole list
    (`attach_topics`, by the QuerySet's `topic_links()`); its `_fetch_all` calls `_attach_topics`."""

    _with_topics = False

    def with_tags(self):
        clone = self._chain()
        clone._with_topics = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_topics = self._with_topics
        return clone

    def _attach_topics(self) -> None:
        if self._with_topics:
            attach_topics(self._result_cache, self.topic_links())


class ArticleQuerySet(WithTopics, models.QuerySet):
    @staticmethod
    def topic_links():
        return TOPIC_LINKS

    def public(self):
        """What readers, feeds, the sitemap and search may see.

        An article is public once it is published and its publication time has come. A scheduled one
        stays hidden until then, and after it until the go-live task has re-checked its publish gates
        (`awaiting_go_live`). An article past its `expires_at` leaves the public site by itself.
        """
        now = timezone.now()
        return self.filter(status=Status.PUBLISHED, published_at__lte=now, awaiting_go_live=False).exclude(
            expires_at__lte=now
        )

    def retracted(self):
        """Withdrawn articles: their address stays, with a retraction notice and no body."""
        return self.filter(status=Status.RETRACTED)

    def review_due_by(self, day):
        """Public and scheduled articles whose next medical review falls on or before `day`."""
        return self.filter(status=Status.PUBLISHED, review_due__lte=day).order_by("review_due", "pk")

    def related_ids(self, article, limit=3) -> list[int]:
        """Other public articles sharing the most disease and therapy tags with `article`, newest first
        among equals, as ids: what `Article.related_ids` keeps from publication on.

        The articles sharing a tag come back as bare ids in one query (a union of the two link tables,
        found by their tag index) and are counted here. Then, from the most shared down, each band of
        equal count is asked for its newest public articles until there are enough: usually the first.
        """
        shared = Counter(
            ArticleDisease.objects.filter(tag__in=article.disease_links.values("tag"))
            .values_list("content_object", flat=True)
            .union(
                ArticleTherapy.objects.filter(tag__in=article.therapy_links.values("tag")).values_list(
                    "content_object", flat=True
                ),
                all=True,
            )
        )
        shared.pop(article.pk, None)
        bands = {}
        for pk, count in shared.items():
            bands.setdefault(count, []).append(pk)
        found = []
        for count in sorted(bands, reverse=True):  # at most one query per tag the article has
            found += (
                self.public()
                .filter(pk__in=bands[count])
                .order_by("-published_at")
                .values_list("pk", flat=True)[: limit - len(found)]
            )
            if len(found) >= limit:
                break
        return found[:limit]

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is models.query.ModelIterable:
            self._attach_topics()
            if noting():
                shows(*(article.cache_key for article in self._result_cache))


def count_public_articles(vocabulary, pks=None) -> bool:
    """Keep `public_articles` of the terms `pks` (every term if None) at how many public articles carry
    them; says whether any count changed. Articles' changes count their terms; the clock counts them all,
    for articles that went live or expired without a write."""
    links = ArticleDisease if vocabulary is DiseaseTag else ArticleTherapy
    counted = links.objects.filter(content_object__in=Article.objects.public().values("pk"))
    terms = vocabulary.objects.all() if pks is None else vocabulary.objects.filter(pk__in=pks)
    if pks is not None:
        counted = counted.filter(tag__in=pks)
    counts = dict(counted.values("tag").annotate(n=models.Count("content_object")).values_list("tag", "n"))
    changed = [t for t in terms.only("pk", "public_articles") if t.public_articles != counts.get(t.pk, 0)]
    for term in changed:
        term.public_articles = counts.get(term.pk, 0)
    vocabulary.objects.bulk_update(changed, ["public_articles"])
    return bool(changed)


class Topics(NamedTuple):
    diseases: list
    therapies: list


TERM_PAGES = {DiseaseTag: "articles:disease", TherapyTag: "articles:therapy"}
TOPIC_LINKS = ((ArticleDisease, DiseaseTag), (ArticleTherapy, TherapyTag))  # in the order of `Topics`


class TermShown(NamedTuple):
    """A term as a public page shows it: a name that links to the term's page, and its medical code."""

    vocabulary: type
    pk: int
    name: str
    slug: str
    code: str
    code_system: str

    def get_absolute_url(self) -> str:
        return address_of(TERM_PAGES[self.vocabulary], slug=self.slug)

    @property
    def cache_key(self) -> str:
        return item_key(self.vocabulary.kind, self.pk)


def attach_topics(items, links=TOPIC_LINKS) -> None:
    """Give each article (or any item tagged the same way, given its `links`) its `topics`: its disease and
    therapy terms.

    One hand-written query of the six columns a page shows, for a whole list: built by the ORM, the same
    union took ten times as long to compose as to run, on every page (docs/scaling.md, "Against the peers").
    """
    by_pk = {item.pk: item for item in items}
    for item in items:
        item._topics = Topics([], [])
    if not by_pk:
        return
    quote, marks = connection.ops.quote_name, ", ".join(["%s"] * len(by_pk))
    sql = " UNION ALL ".join(
        f"SELECT link.content_object_id, term.id, term.name, term.slug, term.code, term.code_system, {kind} "  # noqa: S608 - table names and placeholders only
        f"FROM {quote(link._meta.db_table)} link JOIN {quote(vocabulary._meta.db_table)} term "
        f"ON term.id = link.tag_id WHERE link.content_object_id IN ({marks})"
        for kind, (link, vocabulary) in enumerate(links)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*by_pk] * len(links))
        rows = cursor.fetchall()
    for item_pk, pk, name, slug, code, code_system, kind in sorted(rows, key=lambda row: row[2]):
        term = TermShown(links[kind][1], pk, name, slug, code, code_system)
        by_pk[item_pk]._topics[kind].append(term)
        shows(term.cache_key)


class Article(models.Model):
    title = models.CharField(_("headline"), max_length=200, validators=[refuse_control_characters])
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the article's address. Filled in from the headline if left empty."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=400,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("One or two sentences under the headline that say what the article is about."),
    )
    body = ProseEditorField(
        _("body"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=sanitize_html, blank=True
    )
    plain_summary = models.TextField(
        _("plain-language summary"),
        max_length=600,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("Two to four short sentences a patient can follow: what is new, who it is for, and what "
                    "it means for them now. Readers see it as “In short”."),
    )  # fmt: skip
    study_type = models.CharField(
        _("study type"),
        max_length=20,
        choices=StudyType,
        blank=True,
        help_text=_(
            "For research news: the kind of study reported. Readers see it in “Evidence at a glance”."
        ),
    )
    study_size = models.PositiveIntegerField(
        _("people in the study"), null=True, blank=True, help_text=_("How many people took part.")
    )
    study_phase = models.CharField(_("trial phase"), max_length=10, choices=StudyPhase, blank=True)
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("As readers see it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The writer responsible for this article. Deactivate people rather than deleting them."),
    )

    hero_image = models.ImageField(
        _("hero image"),
        upload_to="articles/%Y/",
        blank=True,
        validators=[validate_image],
        help_text=_("JPEG, PNG or WebP. Location, camera and other hidden data are removed on upload."),
    )
    hero_alt = models.CharField(
        _("alt text"),
        max_length=250,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("Describe the picture for readers who cannot see it. Required with an image."),
    )
    hero_shows_patient = models.BooleanField(
        _("the picture shows a patient"),
        default=False,
        help_text=_("Tick if a patient can be seen. The privacy gate then checks they agreed to photos."),
    )
    hero_caption = models.CharField(
        _("caption"), max_length=300, blank=True, validators=[refuse_control_characters]
    )
    hero_credit = models.CharField(
        _("image credit"), max_length=200, blank=True, validators=[refuse_control_characters]
    )

    source_publisher = models.CharField(_("source publisher"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_ref = models.CharField(
        _("import reference"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identifies the imported document this draft came from, so re-imports update it."),
    )
    privacy_findings = models.JSONField(
        _("privacy findings"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the privacy scanner flagged in this text at import, for the privacy review."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Readers see the article from this moment on. A future time schedules it."),
    )
    awaiting_go_live = models.BooleanField(
        _("awaiting go-live"),
        default=False,
        editable=False,
        help_text=_("Scheduled, and hidden until the task worker re-checks its publish gates at its time."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Optional. The article leaves the public site by itself at this moment."),
    )
    embargo = models.ForeignKey(
        Embargo,
        verbose_name=_("embargo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The journal embargo this article reports on. It cannot go out before the lift."),
    )
    planned_for = models.DateField(
        _("planned for"),
        null=True,
        blank=True,
        help_text=_(
            "The day the desk plans to publish this, for the editorial calendar. Not shown to readers."
        ),
    )
    review_due = models.DateField(
        _("next medical review due"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Set by each medical sign-off to one review cycle later. Editors may bring it forward."),
    )
    published_review = models.ForeignKey(
        "articles.ArticleEvent",
        verbose_name=_("review shown to readers"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The medical review of the text readers get, kept when it is published or re-reviewed."),
    )
    related_ids = models.JSONField(
        _("related articles"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The related news its page shows, chosen when it is published or its tags change."),
    )
    text_fingerprint = models.CharField(
        _("text fingerprint"),
        max_length=64,
        null=True,  # added in place on SQLite, as `correction_count`
        editable=False,
        help_text=_("`text_hash()` at the last save, to match sign-offs in the database."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language, default=Language.ENGLISH, db_default=Language.ENGLISH
    )
    translation_key = models.UUIDField(
        _("translation pair"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Shared by an article and its translation: each is written, signed off and cleared on "
                    "its own."),
    )  # fmt: skip
    reference_digest = models.CharField(
        _("references fingerprint"),
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text=_("A fingerprint of its references, kept as each changes: they join the signed text, and "
                    "a page asks for them only when there are some."),
    )  # fmt: skip
    correction_count = models.PositiveIntegerField(
        _("public notes"),
        db_default=models.Value(0),  # a constant, and
        null=True,  # so SQLite adds the column in place: rebuilding the table breaks its guards (triggers)
        editable=False,
        help_text=_("How many corrections and updates readers see: counted as each is added, so that a page "
                    "without any asks for none."),
    )  # fmt: skip
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised on every save, to refuse stale edits.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # PostgreSQL only: the weighted full-text document (headline A, standfirst B, body C), kept current by
    # a database trigger on every insert and update, however the row was written (see migration 0006).
    # Searching it hits a GIN index instead of re-parsing every body. Always empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    diseases = TaggableManager(
        verbose_name=_("diseases"),
        through=ArticleDisease,
        manager=ItemTags,
        related_name="articles",
        blank=True,
        help_text="",
    )
    therapies = TaggableManager(
        verbose_name=_("therapies"),
        through=ArticleTherapy,
        manager=ItemTags,
        related_name="articles",
        blank=True,
        help_text="",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("submit_article", _("Can submit an article for review")),
            ("review_article", _("Can send an article back with requested changes")),
            ("sign_off_article", _("Can sign off the medical accuracy of an article")),
            ("publish_article", _("Can publish or schedule an article")),
            ("unpublish_article", _("Can unpublish or retract an article")),
            (
                "take_down_article",
                _("Can take a live article down for a privacy reason, fix it and resubmit it"),
            ),
            ("import_article", _("Can import articles")),
            ("export_article", _("Can export articles")),
        ]
        indexes = [
            # Covers every column `public()` reads, so deciding what readers may see never touches the
            # rows themselves (an 800-word body makes each row several pages long).
            models.Index(
                fields=["status", "published_at", "expires_at", "awaiting_go_live"], name="article_public"
            ),
            models.Index(fields=["status", "expires_at"], name="article_expiry"),
            # The sitemap's date: public articles newest-updated first, read from the index alone.
            models.Index(
                fields=["status", "updated_at", "published_at", "expires_at", "awaiting_go_live"],
                name="article_by_update",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="published_has_date",
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
            ),
            models.CheckConstraint(
                name="expires_after_publication",
                condition=models.Q(expires_at__isnull=True)
                | models.Q(published_at__isnull=True)
                | models.Q(expires_at__gt=models.F("published_at")),
            ),
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_translation_per_language"
            ),
            models.CheckConstraint(
                name="hero_image_has_alt",
                condition=models.Q(hero_image="") | ~models.Q(hero_alt=""),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title)
        self.body = sanitize_html(self.body)
        self.text_fingerprint = self.text_hash()
        store_clean_upload(self.hero_image)
        if self.pk is None and self.is_scheduled:
            self.awaiting_go_live = True  # written scheduled (a spreadsheet, a fixture): the clock checks it
        if self.pk is not None:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "version",
                    "updated_at",
                    "text_fingerprint",
                }
        super().save(*args, **kwargs)  # a receiver keeps a changed address answering (articles.signals)
        self._loaded_slug, self._loaded_status = self.slug, self.status

    def get_absolute_url(self):
        return address_of("articles:detail", slug=self.slug)

    @property
    def cache_key(self) -> str:
        """The key of every cached public page that shows this article (articles.cache)."""
        return item_key("articles", self.pk)

    @property
    def topics(self) -> Topics:
        """Its disease and therapy terms, as pages show them (`with_tags()` reads them for a whole list)."""
        if not hasattr(self, "_topics"):
            attach_topics([self])
        return self._topics

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        article = super().from_db(db, field_names, values, *args, **kwargs)
        article._loaded_slug = article.__dict__.get("slug")
        article._loaded_status = article.__dict__.get("status")
        return article

    def readers_may_see_this_save(self) -> bool:
        """Whether a save changes what readers see: the article is, or was until now, on the public site
        (published, scheduled or retracted). A draft's saves do not retire the cached public pages."""
        seen = {Status.PUBLISHED, Status.RETRACTED}
        return self.status in seen or getattr(self, "_loaded_status", None) in seen

    def has_been_public(self) -> bool:
        """Readers may have its address: it is (or was) published, or went live as scheduled."""
        action = self.events.model.Action
        return self.is_locked or self.events.filter(action__in=[action.PUBLISHED, action.WENT_LIVE]).exists()

    def current_sign_off(self):
        """The latest sign-off of exactly the current text, or None. Who may sign off is decided when they
        do (not by its writers: `writer_ids`), so a later change of owner voids nothing."""
        if self.pk is None:
            return None
        text = self.text_hash()
        prefetched = getattr(self, "sign_offs", None)  # lists prefetch every sign-off, newest first
        if prefetched is not None:
            return next((e for e in prefetched if e.text_hash == text), None)
        return self.events.reviews().filter(text_hash=text).first()

    def writer_ids(self) -> set[int]:
        """Who wrote the text now awaiting review or publication, for the four-eyes rule: everyone whose
        save changed the text since it was last signed off as a different text, from the revisions and
        not from the owner field. An article with no such revision (made outside the desk, or by an import
        that names nobody) counts its owner."""
        if self.pk is None:
            return {self.author_id} - {None}
        text = self.text_hash()
        known = getattr(self, "_writers", None)  # a page asks once per move; the answer follows the text
        if known and known[0] == text:
            return known[1]
        earlier = self.events.reviews().exclude(text_hash=text).values_list("created_at", flat=True).first()
        writers, previous = set(), None
        for by, text_hash, saved in self.revisions.order_by("number").values_list(
            "created_by", "text_hash", "created_at"
        ):
            if text_hash != previous and by is not None and (earlier is None or saved > earlier):
                writers.add(by)
            previous = text_hash
        writers = writers or {self.author_id} - {None}  # no revision by a person: its owner answers for it
        self._writers = (text, writers)
        return writers

    def text_hash(self) -> str:
        """A fingerprint of exactly the text readers get: headline, standfirst, body, plain-language summary,
        the evidence box and the references.

        A medical sign-off records it; any later change to that text no longer matches, which voids
        the sign-off. The summary and the evidence join only when filled in, so an article without them
        keeps the fingerprint it was signed off under before they existed; so do the references.
        """
        parts = [self.title.strip(), self.standfirst.strip(), sanitize_html(self.body).strip()]
        evidence = [self.study_type, str(self.study_size or ""), self.study_phase]
        if self.plain_summary.strip() or any(evidence):
            parts += [self.plain_summary.strip(), *evidence]
        if self.reference_digest:
            parts.append(self.reference_digest)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def evidence(self) -> list[str]:
        """ "Evidence at a glance" as readers see it: the kind of study, its size and its phase."""
        lines = [self.get_study_type_display()] if self.study_type else []
        if self.study_size:
            lines.append(
                ngettext("%(n)s person", "%(n)s people", self.study_size) % {"n": f"{self.study_size:,}"}
            )
        if self.study_phase and self.study_phase != StudyPhase.NONE:
            lines.append(self.get_study_phase_display())
        return lines

    def note_references(self) -> None:
        """Its references changed: keep their fingerprint, and with it the text's (`text_hash`)."""
        digest = self.references.all().digest()
        if digest != self.reference_digest:
            self.reference_digest = digest
            self.text_fingerprint = self.text_hash()
            Article.objects.filter(pk=self.pk).update(
                reference_digest=digest, text_fingerprint=self.text_fingerprint
            )
        self.__dict__.pop("reference_list", None)

    @cached_property
    def public_translations(self) -> list:
        """Its translations readers may see, in other languages: none asked for when it has none."""
        if not (self.pk and self.translation_key):
            return []
        shows(item_key("translations", self.translation_key))  # one published later joins the page
        return list(
            Article.objects.public()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .only(*LINK_FIELDS)
        )

    @cached_property
    def reference_list(self) -> list:
        """Its references in the order readers see them: a page without any asks for none."""
        return list(self.references.all()) if self.pk and self.reference_digest else []

    @cached_property
    def notes(self) -> list:
        """Its public corrections and updates, oldest first: read once for its page and structured data
        (a list's `prefetch_related("corrections")` answers without a query; a page without any asks
        for none)."""
        if not self.correction_count and "corrections" not in getattr(self, "_prefetched_objects_cache", {}):
            return []
        return list(self.corrections.all())

    @property
    def review_line(self):
        """The review readers are shown: for a published article, the one kept at publication and at each
        confirmed review (its text is locked, so that review still covers it); else the current text's."""
        if self.status == Status.PUBLISHED:
            return self.published_review
        return self.medical_review

    @property
    def medical_review(self):
        """The sign-off that covers the current text, or None (looked up once per instance)."""
        text = self.text_hash()
        if getattr(self, "_medical_review_for", None) != text:
            self._medical_review = self.current_sign_off()
            self._medical_review_for = text
        return self._medical_review

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
            and not self.awaiting_go_live
            and not self.has_expired
        )

    @property
    def is_locked(self) -> bool:
        """What readers have seen is never edited in place: unpublish it first (a retraction is final)."""
        return self.status in (Status.PUBLISHED, Status.RETRACTED)

    @property
    def has_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        """Its status as the desk names it: "Scheduled" for a publication still to come."""
        return str(_("Scheduled")) if self.is_scheduled else self.get_status_display()

    @property
    def is_scheduled(self) -> bool:
        """Published for a time still to come, or come and not yet through its go-live check."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at > timezone.now() or self.awaiting_go_live)
        )

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": _("Describe the image for readers who cannot see it.")})
        if problem := slug_problem(self.slug):
            raise ValidationError({"slug": problem})
        if self.source_url and self.source_url.split(":", 1)[0].strip().lower() not in ("http", "https"):
            # The address becomes a link readers click: a web page only, never javascript:, data: or ftp:.
            raise ValidationError(
                {"source_url": _("Give the source's web address, starting with https:// or http://.")}
            )
        if self.expires_at and self.published_at and self.expires_at <= self.published_at:
            raise ValidationError(
                {"expires_at": _("Pick an expiry time after the publication time, or leave it empty.")}
            )


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    """A slug from `text` that no row of `model` uses yet ("cart-therapy", "cart-therapy-2", ...)."""
    base = make_slug(text, max_length=max_length - 6)
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# A paragraph of its own that places an inline image: "[image 2]".
IMAGE_CODE = re.compile(r"<p>\s*\[image (\d{1,4})\]\s*</p>")


class ArticleImage(models.Model):
    """A picture inside an article's text, placed where the body says "[image N]" on a line of its own.

    It is stored as the hero image is: only its pixels, under a random name, with its renditions made at
    upload; readers get a <picture> with its alt text, caption and credit."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField(
        _("number"), editable=False, help_text=_("N in the code “[image N]” that places it in the text.")
    )
    image = models.ImageField(
        _("image"),
        upload_to="articles/%Y/",
        validators=[validate_image],
        help_text=_("JPEG, PNG or WebP. Location, camera and other hidden data are removed on upload."),
    )
    alt = models.CharField(
        _("alt text"),
        max_length=250,
        validators=[refuse_control_characters],
        help_text=_("Describe the picture for readers who cannot see it."),
    )
    caption = models.CharField(
        _("caption"), max_length=300, blank=True, validators=[refuse_control_characters]
    )
    credit = models.CharField(_("credit"), max_length=200, validators=[refuse_control_characters])
    shows_patient = models.BooleanField(
        _("the picture shows a patient"),
        default=False,
        help_text=_("Tick if a patient can be seen. The privacy gate then checks they agreed to photos."),
    )

    class Meta:
        verbose_name = _("image in the text")
        verbose_name_plural = _("images in the text")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_image_number_once")
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        if self.number is None:
            taken = self.article.images.aggregate(n=models.Max("number"))["n"] or 0
            self.number = taken + 1
        store_clean_upload(self.image)
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        return f"[image {self.number}]"
