"""What happened to an article: the audit trail of moves, the revisions of its text, preview links, and the
corrections readers see."""

import hashlib
import json
import secrets
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.database import Guard
from articles.models.article import Article, Status
from articles.richtext import refuse_control_characters


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name
    return value


def entry_hash(entry, previous: str, settable_once=()) -> str:
    """The hash of a history entry: the one before it, then its non-empty fields as sorted JSON. `entry`
    may be a migration's historical model."""
    skip = {"id", "previous_hash", "entry_hash", *settable_once}
    values = {}
    for field in entry._meta.concrete_fields:
        if field.name in skip:
            continue
        if isinstance(field, models.FileField):
            value = field.pre_save(entry, add=True)  # the name it is stored under, as the insert writes it
        else:
            value = getattr(entry, field.attname)
        if value not in (None, "", [], {}):
            values[field.attname] = _canonical(value)
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}\n{payload}".encode()).hexdigest()


def chain_existing(model, chain_on, settable_once=()) -> None:
    """Give rows written before the chains began their hashes, in the order they were written (for a
    migration, before the guards go up)."""
    keys = [f"{name}_id" for name in chain_on]
    last = {}
    for row in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        key = tuple(getattr(row, name) for name in keys)
        previous = last.get(key, "")
        last[key] = entry_hash(row, previous, settable_once)
        model._base_manager.filter(pk=row.pk).update(previous_hash=previous, entry_hash=last[key])


def first_break(model, using="default") -> str | None:
    """Walk every chain of a history model, in the order written; say where the first one breaks."""
    keys = [f"{name}_id" for name in model.chain_on]
    last = {}
    for row in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
        key = tuple(getattr(row, name) for name in keys)
        item = ", ".join(f"{name} {value}" for name, value in zip(model.chain_on, key, strict=True) if value)
        where = f"{model._meta.label} entry {row.pk} ({item})"
        if row.previous_hash != last.get(key, ""):
            return f"{where}: the entry before it in this chain was changed, removed or put in later"
        if row.entry_hash != row.expected_hash():
            return f"{where}: changed since it was written"
        last[key] = row.entry_hash
    return None


class ChainedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            Chained.link(objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)


class Chained(models.Model):
    """A history row that carries the hash of the row before it for the same item (`chain_on`: the
    article, or whatever another app's history is about), so that a row changed or removed behind the
    database's back (with its guards, articles.database, dropped) shows as a break in `manage.py
    verify_history`.

    The hash covers the row's non-empty fields, so a field added later with an empty default leaves older
    rows' hashes as they were. `settable_once` fields (a withdrawal) are left out: the database lets an
    UPDATE fill them once, from empty, and change nothing else.
    """

    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    chain_on: tuple[str, ...] = ()
    settable_once: tuple[str, ...] = ()

    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self))
        if self._state.adding and not self.entry_hash:
            with transaction.atomic(using=using):
                self.link([self], using=using)
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def expected_hash(self) -> str:
        return entry_hash(self, self.previous_hash, self.settable_once)

    def chain_key(self) -> dict:
        return {f"{name}_id": getattr(self, f"{name}_id") for name in self.chain_on}

    @staticmethod
    def link(entries, *, using="default") -> None:
        """Give new entries (of one model) their place at the end of their items' chains. The items' rows
        are locked meanwhile, so two writers on one item cannot both take the same last entry."""
        if not entries:
            return
        model = type(entries[0])
        keys = {tuple(entry.chain_key().items()) for entry in entries}
        # SQLite's writers already take turns (transaction_mode IMMEDIATE); PostgreSQL's lock the items.
        for name in model.chain_on if connections[using].features.has_select_for_update else ():
            field = model._meta.get_field(name)
            ids = {dict(key)[field.attname] for key in keys} - {None}
            list(
                field.related_model._base_manager.using(using)
                .select_for_update()
                .filter(pk__in=ids)
                .values("pk")
            )
        rows = model._base_manager.using(using)
        if len(model.chain_on) == 1 and len(keys) > 1:  # an import's many items: their heads in one query
            column = f"{model.chain_on[0]}_id"
            heads = rows.filter(**{f"{column}__in": {dict(key)[column] for key in keys}})
            heads = heads.values(column).annotate(head=models.Max("pk")).values("head")
            found = dict(rows.filter(pk__in=heads).values_list(column, "entry_hash"))
            last = {key: found.get(dict(key)[column], "") for key in keys}
        else:
            newest = rows.order_by("-pk").values_list("entry_hash", flat=True)
            last = {key: newest.filter(**dict(key)).first() or "" for key in keys}
        for entry in entries:
            key = tuple(entry.chain_key().items())
            entry.previous_hash = last[key]
            entry.entry_hash = entry.expected_hash()
            last[key] = entry.entry_hash


class AppendOnly(Chained):
    """Rows that are written once and never changed or deleted one by one. The database refuses it too,
    whatever the code does (articles.database.Guard)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("%(model)s records are append-only.") % {"model": self._meta.verbose_name}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("%(model)s records are append-only.") % {"model": self._meta.verbose_name})


# What a medical reviewer answers at sign-off: the questions health-news reviewers ask of a report.
REVIEW_QUESTIONS = {
    "benefits": _("Does it say how large the benefit is, in numbers a reader can weigh?"),
    "harms": _("Does it say what the harms and side effects are, and how often they happen?"),
    "costs": _("Does it say what the treatment costs, or who pays for it?"),
    "evidence": _("Does it say how strong the evidence is: the kind of study, its size, its limits?"),
    "conflicts": _("Does it name who funded the work and any conflicts of interest?"),
    "availability": _("Does it say whether and where patients can get the treatment now?"),
}
REVIEW_ANSWERS = {"yes": _("Yes"), "no": _("No"), "not_applicable": _("Not applicable")}


class ArticleEventQuerySet(ChainedQuerySet):
    def reviews(self):
        """Medical reviews, each vouching for the exact text it hashed, newest first."""
        return self.filter(action__in=ArticleEvent.REVIEW_ACTIONS).select_related("actor__staff_profile")


class ArticleEvent(AppendOnly):
    """One entry of the audit trail: who did what to an article, when, and to which exact text."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        SIGNED_OFF = "signed_off", _("Medical sign-off")
        RE_REVIEWED = "re_reviewed", _("Medical review confirmed without changes")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        WENT_LIVE = "went_live", _("Went live as scheduled")
        HELD_BACK = "held_back", _("Held back at its scheduled time")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RETRACTED = "retracted", _("Retracted")
        TAKEN_DOWN = "taken_down", _("Taken down for a privacy reason")
        CORRECTED = "corrected", _("Public correction or update added")
        RESTORED = "restored", _("Revision restored")
        PREVIEW_SHARED = "preview_shared", _("Preview link shared")
        PREVIEW_REVOKED = "preview_revoked", _("Preview link revoked")
        OWNER_CHANGED = "owner_changed", _("Owner changed")
        RESCHEDULED = "rescheduled", _("Rescheduled with its embargo")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for moves the scheduler made on its own."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    text_hash = models.CharField(_("text fingerprint"), max_length=64, blank=True)
    answers = models.JSONField(
        _("review answers"),
        null=True,  # added in place on SQLite; empty, it leaves older entries' hashes as they were
        blank=True,
        help_text=_("A medical sign-off's answers to the review questions (`REVIEW_QUESTIONS`)."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ArticleEventQuerySet.as_manager()
    chain_on = ("article",)
    REVIEW_ACTIONS = (Action.SIGNED_OFF, Action.RE_REVIEWED)  # each vouches for the exact text it hashed

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "action", "-created_at"], name="article_event_lookup")]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor or _('the scheduler')}"

    @classmethod
    def record(
        cls, article, *, by, action, comment="", from_status=None, to_status=None, answers=None
    ) -> "ArticleEvent":
        """Append an entry for `article` as it is now: its states (unchanged unless given) and text hash."""
        return cls.objects.create(
            article=article,
            actor=by,
            action=action,
            from_status=from_status or article.status,
            to_status=to_status or article.status,
            comment=comment,
            text_hash=article.text_hash(),
            answers=answers,
        )

    def answers_shown(self) -> list[tuple[str, str, str]]:
        """(question, answer label, answer) of a sign-off's review answers, in the questions' order."""
        given = self.answers or {}
        return [
            (str(q), str(REVIEW_ANSWERS[given[k]]), given[k])
            for k, q in REVIEW_QUESTIONS.items()
            if k in given
        ]


class ArticleRevision(AppendOnly):
    """The article's text and tags as one save left them. Restoring one writes a new revision."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    article_version = models.PositiveIntegerField(_("article version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    title = models.CharField(_("headline"), max_length=200)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    diseases = models.JSONField(_("diseases"), default=list)
    therapies = models.JSONField(_("therapies"), default=list)
    text_hash = models.CharField(_("text fingerprint"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)

    chain_on = ("article",)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_number_once")]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}

    def tag_line(self, kind: str) -> str:
        return ", ".join(getattr(self, kind))


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A secret address that shows one article, as readers will see it, to someone without a login.

    The token in the address is random and also signed (see articles.previews), it expires, and an
    editor can revoke it at any time.
    """

    DEFAULT_LIFETIME = timedelta(days=7)

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="preview_links"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token, editable=False)
    audience = models.CharField(
        _("shared with"),
        max_length=200,
        help_text=_(
            "Who this link is for, for the record, e.g. “the trial's lead doctor, to check the figures”."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Preview for %(audience)s") % {"audience": self.audience}

    def get_absolute_url(self):
        from articles.previews import sign_token

        return reverse("articles:shared_preview", kwargs={"token": sign_token(self.token)})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SourceDocument(models.Model):
    """The document an article was imported from, as it came: its bytes and the text read from them, so a
    fact-checker can read the source (a translated piece's Chinese original too). Staff only: no public
    page, feed, sitemap or export reads it, and it is stored under the article, never the file's name."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="source_document")
    format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    data = models.BinaryField(_("original bytes"))
    text = models.TextField(_("text read from it"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("source document")

    def __str__(self):
        return _("%(format)s document, %(size)d bytes") % {"format": self.format, "size": len(self.data)}


class Correction(AppendOnly):
    """A dated public note on a published article: what changed and why. Readers see every one."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    note = models.TextField(
        _("note to readers"),
        max_length=1000,
        validators=[refuse_control_characters],
        help_text=_("What changed and why, in plain words, e.g. “An earlier version gave the wrong dose.”"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dated"), default=timezone.now)

    chain_on = ("article",)

    class Meta:
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note[:60]}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            Article.objects.filter(pk=self.article_id).update(correction_count=F("correction_count") + 1)
        if Correction.article.is_cached(self):  # the caller's instance counts it too
            self.article.correction_count += 1


# --- What the database refuses (articles.database) ------------------------------------------------


def history_guard(model, chain_on, settable_once=()) -> Guard:
    """The guard of one history table; `model` may be a migration's historical model."""
    meta = model._meta
    fields = [meta.get_field(name) for name in chain_on]
    return Guard(
        table=meta.db_table,
        columns=tuple(field.column for field in meta.concrete_fields),
        parents=tuple((field.column, field.related_model._meta.db_table) for field in fields),
        settable_once=tuple(meta.get_field(name).column for name in settable_once),
    )


def article_guard(article_model, event_model) -> Guard:
    """An article row that was public is never deleted, whatever deletes it (articles.signals says so
    first, in words)."""
    return Guard(
        table=article_model._meta.db_table,
        refuse_update=False,
        delete_refused_when=(
            f"OLD.status IN ('{Status.PUBLISHED}', '{Status.RETRACTED}') OR EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{event_model._meta.db_table} WHERE article_id = OLD.id AND action IN "
            f"('{ArticleEvent.Action.PUBLISHED}', '{ArticleEvent.Action.WENT_LIVE}'))"
        ),
        message="An article that was public is never deleted: retract it instead.",
    )


def history_models(models_) -> list:
    return [model for model in models_ if issubclass(model, Chained) and not model._meta.abstract]


def history_guards(models_) -> list[Guard]:
    """Every guard, for the installed models: the public article's row and each history table."""
    return [article_guard(Article, ArticleEvent)] + [
        history_guard(model, model.chain_on, model.settable_once) for model in history_models(models_)
    ]


def chain_and_guard(app_label, chained, extra_guards=lambda apps: []):
    """The migration step that hashes the history written so far, in its order. `chained` maps each
    history model's name to (chain_on, settable_once).

    The guards that then let the database refuse any change to it go up when the whole migrate is done
    (articles.apps, `post_migrate`), as after every migrate: up sooner, they would break a later
    migration that rebuilds a table they name (SQLite's way of adding a column)."""
    from django.db.migrations import RunPython

    from articles.database import drop_guards, guard_names

    def guards(apps):
        return extra_guards(apps) + [
            history_guard(apps.get_model(app_label, name), chain_on, settable_once)
            for name, (chain_on, settable_once) in chained.items()
        ]

    def forward(apps, schema_editor):
        for name, (chain_on, settable_once) in chained.items():
            chain_existing(apps.get_model(app_label, name), chain_on, settable_once)

    def backward(apps, schema_editor):
        drop_guards(schema_editor.connection, guard_names(guards(apps), schema_editor.connection))

    return RunPython(forward, backward)


def item_row_goes_first(instance, using) -> None:
    """The database keeps an item's history while the item exists. Deleting an item that may go (a draft
    that was never public), its own row goes first, in the deletion's transaction, so that its history
    rows may follow; the foreign keys are checked at commit."""
    type(instance)._base_manager.using(using).filter(pk=instance.pk)._raw_delete(using)
