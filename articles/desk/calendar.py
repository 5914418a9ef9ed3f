"""The editorial calendar: what the desk has on which day, by week or by month.

Pure functions over a date range and filters, so the rules can be tested without a request. Five kinds
of entry put an article on a day (in the desk's time zone):

* scheduled:  published with a publication time still to come, on the day it goes live;
* published:  published with a publication time in the range that has come;
* planned:    a draft or an article in review with a `planned_for` day;
* review due: a published (or scheduled) article whose next medical review falls on that day;
* embargo:    an article not retracted whose journal embargo lifts on that day.

One article can appear more than once (published on one day, review due on another). Retracted
articles are not on the calendar. Every filter is checked against an allow-list before it reaches a
query, and the whole range is read in one query, however many articles it holds.
"""

import calendar as stdlib_calendar
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.intake.spreadsheets import neutralize
from articles.models import Article, DiseaseTag, Status, TherapyTag

SCHEDULED, PUBLISHED, PLANNED, REVIEW_DUE, EMBARGO = (
    "scheduled",
    "published",
    "planned",
    "review_due",
    "embargo",
)
KINDS = {
    SCHEDULED: _("Scheduled"),
    PUBLISHED: _("Published"),
    PLANNED: _("Planned"),
    REVIEW_DUE: _("Review due"),
    EMBARGO: _("Embargo lifts"),
}
VIEWS = ("week", "month")
PLANNABLE = (Status.DRAFT, Status.IN_REVIEW)
CALENDAR_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED)


@dataclass(frozen=True)
class Filters:
    disease: str = ""  # a DiseaseTag slug
    therapy: str = ""  # a TherapyTag slug
    author: int | None = None
    status: str = ""
    kind: str = ""

    def as_params(self) -> dict[str, str]:
        params = {
            "disease": self.disease,
            "therapy": self.therapy,
            "author": str(self.author or ""),
            "status": self.status,
            "kind": self.kind,
        }
        return {key: value for key, value in params.items() if value}


@dataclass
class Choices:
    """What each filter may be set to: the allow-lists, also the options the filter form offers."""

    diseases: list = field(default_factory=list)  # [(slug, name)]
    therapies: list = field(default_factory=list)
    authors: list = field(default_factory=list)  # [(pk, name)]
    statuses: list = field(default_factory=list)
    kinds: list = field(default_factory=list)

    @classmethod
    def load(cls) -> "Choices":
        """Three queries: the two vocabularies and the people who own an article."""
        owners = (
            get_user_model()
            .objects.filter(pk__in=Article.objects.exclude(author=None).values("author_id"))
            .order_by("username")
        )
        return cls(
            diseases=list(DiseaseTag.objects.order_by("name").values_list("slug", "name")),
            therapies=list(TherapyTag.objects.order_by("name").values_list("slug", "name")),
            authors=[(user.pk, user.get_full_name() or user.get_username()) for user in owners],
            statuses=[(status.value, status.label) for status in CALENDAR_STATUSES],
            kinds=list(KINDS.items()),
        )


class FilterForm(forms.Form):
    """The calendar's filters, each a choice among what exists (`Choices`)."""

    disease = forms.ChoiceField(required=False)
    therapy = forms.ChoiceField(required=False)
    author = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)

    def __init__(self, data, choices: Choices):
        super().__init__(data)
        for name, allowed in (
            ("disease", choices.diseases),
            ("therapy", choices.therapies),
            ("author", choices.authors),
            ("status", choices.statuses),
            ("kind", choices.kinds),
        ):
            self.fields[name].choices = [("", ""), *((str(key), label) for key, label in allowed)]


def parse_filters(params, choices: Choices) -> tuple[Filters, list[str]]:
    """Filters from GET parameters, keeping only allowed values; also what was dropped and why."""
    raw = {name: (params.get(name) or "").strip() for name in FilterForm.base_fields}
    form = FilterForm(raw, choices)
    form.is_valid()
    kept = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    problems = [
        str(
            _("Unknown %(filter)s “%(value)s”: showing every %(filter)s instead.")
            % {"filter": name, "value": raw[name][:40]}
        )
        for name in form.errors
    ]
    filters = Filters(
        disease=kept.get("disease") or "",
        therapy=kept.get("therapy") or "",
        author=kept.get("author"),
        status=kept.get("status") or "",
        kind=kept.get("kind") or "",
    )
    return filters, problems


# --- Periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    view: str  # "week" or "month"
    anchor: date  # the day the user asked for
    start: date  # the first day shown (a Monday)
    end: date  # the last day shown (a Sunday)
    previous: date
    next: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def weeks(self) -> list[list[date]]:
        days = self.days
        return [days[n : n + 7] for n in range(0, len(days), 7)]

    def in_focus(self, day: date) -> bool:
        """A month view also shows the ends of the weeks it shares with its neighbours, greyed."""
        return self.view == "week" or day.month == self.anchor.month


def period(view: str, anchor: date) -> Period:
    """The week (Monday to Sunday) or the month (whole weeks, Monday to Sunday) around `anchor`."""
    if view == "month":
        first = anchor.replace(day=1)
        last = anchor.replace(day=stdlib_calendar.monthrange(anchor.year, anchor.month)[1])
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
        return Period(
            "month",
            anchor,
            first - timedelta(days=first.weekday()),
            last + timedelta(days=6 - last.weekday()),
            previous,
            following,
        )
    monday = anchor - timedelta(days=anchor.weekday())
    return Period(
        "week", anchor, monday, monday + timedelta(days=6), monday - timedelta(7), monday + timedelta(7)
    )


# --- Entries --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str
    article: Article

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def when(self) -> datetime | None:
        """The publication time for scheduled and published entries; planned and review days have none."""
        if self.kind in (SCHEDULED, PUBLISHED):
            return timezone.localtime(self.article.published_at)
        if self.kind == EMBARGO:
            return timezone.localtime(self.article.embargo.lifts_at)
        return None


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The first moment of `start` and of the day after `end`, in the desk's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def entries(
    start: date, end: date, filters: Filters = Filters(), *, now: datetime | None = None
) -> list[Entry]:
    """Every entry from `start` to `end` (both included) that passes `filters`, by day, then time, then
    headline. One query, whatever the number of articles."""
    now = now or timezone.now()
    since, until = _day_bounds(start, end)
    kinds = {filters.kind} if filters.kind else set(KINDS)
    went_out = Q(status=Status.PUBLISHED, published_at__gte=since, published_at__lt=until)
    wanted = Q(pk__in=[])
    if SCHEDULED in kinds:
        wanted |= went_out & Q(published_at__gt=now)
    if PUBLISHED in kinds:
        wanted |= went_out & Q(published_at__lte=now)
    if PLANNED in kinds:
        wanted |= Q(status__in=PLANNABLE, planned_for__gte=start, planned_for__lte=end)
    if REVIEW_DUE in kinds:
        wanted |= Q(status=Status.PUBLISHED, review_due__gte=start, review_due__lte=end)
    if EMBARGO in kinds:
        wanted |= Q(embargo__lifts_at__gte=since, embargo__lifts_at__lt=until) & ~Q(status=Status.RETRACTED)
    articles = Article.objects.filter(wanted)
    if filters.status:
        articles = articles.filter(status=filters.status)
    if filters.author:
        articles = articles.filter(author_id=filters.author)
    if filters.disease:  # a subquery, so that an article with two matching links is not listed twice
        articles = articles.filter(pk__in=Article.objects.filter(diseases__slug=filters.disease).values("pk"))
    if filters.therapy:
        articles = articles.filter(
            pk__in=Article.objects.filter(therapies__slug=filters.therapy).values("pk")
        )
    articles = articles.select_related("author", "embargo").only(
        "pk", "title", "status", "published_at", "awaiting_go_live", "planned_for", "review_due",
        "author__username", "author__first_name", "author__last_name", "embargo__journal", "embargo__paper",
        "embargo__lifts_at", "embargo__time_zone",
    )  # fmt: skip

    found = []
    for article in articles:
        if (
            article.status == Status.PUBLISHED
            and article.published_at
            and since <= article.published_at < until
        ):
            kind = SCHEDULED if article.published_at > now else PUBLISHED
            if kind in kinds:
                found.append(Entry(timezone.localdate(article.published_at), kind, article))
        if (
            PLANNED in kinds
            and article.status in PLANNABLE
            and article.planned_for
            and start <= article.planned_for <= end
        ):
            found.append(Entry(article.planned_for, PLANNED, article))
        if (
            REVIEW_DUE in kinds
            and article.status == Status.PUBLISHED
            and article.review_due
            and start <= article.review_due <= end
        ):
            found.append(Entry(article.review_due, REVIEW_DUE, article))
        if (
            EMBARGO in kinds
            and article.embargo_id
            and article.status != Status.RETRACTED
            and since <= article.embargo.lifts_at < until
        ):
            found.append(Entry(timezone.localdate(article.embargo.lifts_at), EMBARGO, article))
    return sorted(
        found,
        key=lambda e: (
            e.day,
            e.when or datetime.min.replace(tzinfo=UTC),
            e.article.title.casefold(),
            e.article.pk,
        ),
    )


def by_day(found: list[Entry], days: list[date]) -> list[tuple[date, list[Entry]]]:
    grouped = {day: [] for day in days}
    for entry in found:
        grouped.setdefault(entry.day, []).append(entry)
    return [(day, grouped[day]) for day in days]


# --- Export ---------------------------------------------------------------------------------------

CSV_HEADERS = ["date", "time", "kind", "headline", "status", "owner", "admin address"]


def owner_name(article) -> str:
    return (article.author.get_full_name() or article.author.get_username()) if article.author else ""


def as_csv(found: list[Entry], link) -> str:
    """The entries as CSV, every cell formula-neutralised. `link(article)` gives the admin address."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for entry in found:
        writer.writerow(
            neutralize(str(cell))
            for cell in [
                entry.day.isoformat(),
                entry.when.strftime("%H:%M") if entry.when else "",
                entry.kind_label,
                entry.article.title,
                entry.article.status_label,
                owner_name(entry.article),
                link(entry.article),
            ]
        )
    return out.getvalue()


def as_ics(found: list[Entry], link, *, host: str, stamp: datetime | None = None) -> str:
    """The entries as an iCalendar file of all-day events, for a desk calendar app (written by icalendar,
    which escapes and folds the lines as RFC 5545 asks)."""
    import icalendar  # noqa: PLC0415 - only the export needs it

    stamp = (stamp or timezone.now()).astimezone(UTC)
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Newsdesk//Editorial calendar//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    for entry in found:
        event = icalendar.Event()
        event.add("uid", f"article-{entry.article.pk}-{entry.kind}-{entry.day:%Y%m%d}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", f"{entry.kind_label}: {entry.article.title}")
        event.add("url", link(entry.article))
        feed.add_component(event)
    return feed.to_ical().decode()
