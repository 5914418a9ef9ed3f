"""The editorial calendar: what lands on which day, filters, week and month edges, the exports."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.desk import calendar
from articles.desk.calendar import PLANNED, PUBLISHED, REVIEW_DUE, SCHEDULED, Filters
from articles.models import DiseaseTag, Status, TherapyTag

pytestmark = pytest.mark.django_db

# Wednesday 11 November 2026, noon, in the desk's time zone.
NOW = datetime(2026, 11, 11, 12, 0, tzinfo=timezone.get_default_timezone())
WEEK = (date(2026, 11, 9), date(2026, 11, 15))  # Monday to Sunday


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: date, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_default_timezone())


def placed(found):
    return [(entry.day, entry.kind, entry.article.title) for entry in found]


class TestPlacement:
    def test_each_kind_of_entry_lands_on_its_day(self, make_article):
        make_article(title="Goes live Friday", status=Status.PUBLISHED, published_at=at(date(2026, 11, 13)))
        make_article(title="Went out Monday", status=Status.PUBLISHED, published_at=at(date(2026, 11, 9)))
        make_article(title="Draft for Thursday", planned_for=date(2026, 11, 12))
        make_article(title="In review for Sunday", status=Status.IN_REVIEW, planned_for=date(2026, 11, 15))
        make_article(
            title="Review due Tuesday",
            status=Status.PUBLISHED,
            published_at=at(date(2025, 11, 10)),
            review_due=date(2026, 11, 10),
        )

        assert placed(calendar.entries(*WEEK)) == [
            (date(2026, 11, 9), PUBLISHED, "Went out Monday"),
            (date(2026, 11, 10), REVIEW_DUE, "Review due Tuesday"),
            (date(2026, 11, 12), PLANNED, "Draft for Thursday"),
            (date(2026, 11, 13), SCHEDULED, "Goes live Friday"),
            (date(2026, 11, 15), PLANNED, "In review for Sunday"),
        ]

    def test_an_article_can_be_on_two_days(self, make_article):
        make_article(
            title="Both",
            status=Status.PUBLISHED,
            published_at=at(date(2026, 11, 9)),
            review_due=date(2026, 11, 14),
        )
        assert [(e.day, e.kind) for e in calendar.entries(*WEEK)] == [
            (date(2026, 11, 9), PUBLISHED),
            (date(2026, 11, 14), REVIEW_DUE),
        ]

    def test_what_is_not_on_the_calendar(self, make_article, users):
        make_article(title="Undated draft")
        make_article(title="Published with a planned day", status=Status.PUBLISHED,
                     published_at=at(date(2026, 1, 5)), planned_for=date(2026, 11, 12))  # fmt: skip
        make_article(title="Draft with a review date", review_due=date(2026, 11, 12))
        make_article(title="Next week", planned_for=date(2026, 11, 16))
        assert calendar.entries(*WEEK) == []

    def test_an_entry_is_placed_on_the_desk_s_local_day(self, make_article):
        with timezone.override("Europe/Berlin"):
            # 23:30 UTC on Sunday is already Monday in Berlin.
            make_article(
                title="Midnight",
                status=Status.PUBLISHED,
                published_at=datetime(2026, 11, 8, 23, 30, tzinfo=UTC),
            )
            assert placed(calendar.entries(*WEEK)) == [(date(2026, 11, 9), PUBLISHED, "Midnight")]

    def test_entries_of_a_day_are_ordered_by_time_then_headline(self, make_article):
        day = date(2026, 11, 13)
        make_article(title="b later", status=Status.PUBLISHED, published_at=at(day, 15))
        make_article(title="a earlier", status=Status.PUBLISHED, published_at=at(day, 8))
        make_article(title="Z planned", planned_for=day)
        make_article(title="y planned", planned_for=day)
        assert [e.article.title for e in calendar.entries(day, day)] == [
            "y planned",
            "Z planned",
            "a earlier",
            "b later",
        ]


class TestFilters:
    @pytest.fixture
    def desk(self, make_article, users, vocabulary):
        sle = DiseaseTag.objects.get(slug="systemic-lupus-erythematosus")
        car_t = TherapyTag.objects.get(slug="car-t-cell-therapy")
        day = date(2026, 11, 12)
        return {
            "lupus": make_article(title="Lupus", planned_for=day, author=users["writer"], diseases=[sle]),
            "cart": make_article(
                title="CAR-T",
                status=Status.IN_REVIEW,
                planned_for=day,
                author=users["other_writer"],
                therapies=[car_t],
            ),  # fmt: skip
            "both": make_article(
                title="Both",
                status=Status.PUBLISHED,
                published_at=at(day),
                author=users["writer"],
                diseases=[sle],
                therapies=[car_t],
            ),  # fmt: skip
        }

    def titles(self, filters):
        return sorted(e.article.title for e in calendar.entries(*WEEK, filters))

    def test_by_disease_therapy_owner_status_and_kind(self, desk, users):
        assert self.titles(Filters(disease="systemic-lupus-erythematosus")) == ["Both", "Lupus"]
        assert self.titles(Filters(therapy="car-t-cell-therapy")) == ["Both", "CAR-T"]
        assert self.titles(Filters(author=users["other_writer"].pk)) == ["CAR-T"]
        assert self.titles(Filters(status=Status.IN_REVIEW)) == ["CAR-T"]
        assert self.titles(Filters(kind=PLANNED)) == ["CAR-T", "Lupus"]
        assert self.titles(Filters(kind=SCHEDULED, disease="systemic-lupus-erythematosus")) == ["Both"]

    def test_filters_are_checked_against_allow_lists(self, desk, users):
        choices = calendar.Choices.load()
        params = {"disease": "systemic-lupus-erythematosus", "therapy": "no-such-therapy",
                  "author": "1 OR 1=1", "status": "retracted", "kind": "scheduled"}  # fmt: skip
        filters, problems = calendar.parse_filters(params, choices)

        assert filters == Filters(disease="systemic-lupus-erythematosus", kind=SCHEDULED)
        assert len(problems) == 3 and all("showing every" in p for p in problems)
        assert {pk for pk, _name in choices.authors} == {
            users["other_writer"].pk,
            users["writer"].pk,
        }  # owners only


class TestPeriods:
    def test_a_week_runs_monday_to_sunday(self):
        week = calendar.period("week", date(2026, 11, 15))  # a Sunday
        assert (week.start, week.end) == WEEK
        assert (week.previous, week.next) == (date(2026, 11, 2), date(2026, 11, 16))
        assert len(week.days) == 7 and all(week.in_focus(d) for d in week.days)

    def test_a_month_is_whole_weeks_and_greys_its_neighbours_days(self):
        month = calendar.period("month", date(2026, 11, 20))
        assert (month.start, month.end) == (date(2026, 10, 26), date(2026, 12, 6))
        assert len(month.weeks) == 6 and all(len(w) == 7 for w in month.weeks)
        assert not month.in_focus(date(2026, 10, 31)) and month.in_focus(date(2026, 11, 30))
        assert (month.previous, month.next) == (date(2026, 10, 1), date(2026, 12, 1))

    def test_months_across_a_year_end(self):
        december = calendar.period("month", date(2026, 12, 31))
        assert december.next == date(2027, 1, 1) and december.end == date(2027, 1, 3)
        assert calendar.period("month", date(2027, 1, 1)).previous == date(2026, 12, 1)

    def test_the_first_and_last_day_of_a_period_are_included(self, make_article):
        make_article(title="Monday 00:00", status=Status.PUBLISHED, published_at=at(date(2026, 11, 9), 0))
        make_article(title="Sunday 23:00", status=Status.PUBLISHED, published_at=at(date(2026, 11, 15), 23))
        make_article(
            title="Next Monday 00:00", status=Status.PUBLISHED, published_at=at(date(2026, 11, 16), 0)
        )
        assert [e.article.title for e in calendar.entries(*WEEK)] == ["Monday 00:00", "Sunday 23:00"]


class TestExport:
    def test_csv_has_one_row_per_entry_with_neutralised_cells(self, make_article, users):
        make_article(
            title='=HYPERLINK("http://evil.example")', planned_for=date(2026, 11, 12), author=users["writer"]
        )
        make_article(title="Plain", status=Status.PUBLISHED, published_at=at(date(2026, 11, 13), 10))

        rows = list(
            csv.reader(io.StringIO(calendar.as_csv(calendar.entries(*WEEK), lambda a: f"/admin/{a.pk}/")))
        )

        assert rows[0] == calendar.CSV_HEADERS
        assert rows[1][:6] == [
            "2026-11-12",
            "",
            "Planned",
            '\'=HYPERLINK("http://evil.example")',
            "Draft",
            "writer",
        ]
        assert rows[2][:5] == ["2026-11-13", "10:00", "Scheduled", "Plain", "Scheduled"]  # not yet public

    def test_icalendar_has_an_all_day_event_per_entry(self, make_article):
        make_article(title="Lupus, a plan; with " + "long " * 20 + "words", planned_for=date(2026, 11, 12))
        text = calendar.as_ics(
            calendar.entries(*WEEK), lambda a: f"https://desk.example/{a.pk}/", host="desk.example"
        )

        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        assert "DTSTART;VALUE=DATE:20261112\r\n" in text and "DTEND;VALUE=DATE:20261113\r\n" in text
        assert "SUMMARY:Planned: Lupus\\, a plan\\; with" in text
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

    def test_the_admin_exports_with_the_current_filters(self, client, users, make_article):
        make_article(title="Mine", planned_for=date(2026, 11, 12), author=users["writer"])
        make_article(title="Theirs", planned_for=date(2026, 11, 12), author=users["other_writer"])
        client.force_login(users["medical_reviewer"])
        url = reverse("admin:articles_article_calendar_export", args=["csv"])
        response = client.get(url, {"date": "2026-11-12", "author": users["writer"].pk})

        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="editorial-calendar-2026-11-09-to-2026-11-15.csv"' in response["Content-Disposition"]
        body = response.content.decode()
        assert "Mine" in body and "Theirs" not in body
        ics = client.get(
            reverse("admin:articles_article_calendar_export", args=["ics"]), {"date": "2026-11-12"}
        )
        assert ics["Content-Type"].startswith("text/calendar") and ics.content.count(b"BEGIN:VEVENT") == 2
        assert client.get(reverse("admin:articles_article_calendar_export", args=["xlsx"])).status_code == 404


class TestCalendarPage:
    def test_the_week_shows_seven_days_and_links_each_item(self, client, users, make_article):
        article = make_article(title="Draft for Thursday", planned_for=date(2026, 11, 12))
        client.force_login(users["writer"])
        page = client.get(reverse("admin:articles_article_calendar"), {"date": "2026-11-12"}).content.decode()

        assert page.count('class="calendar-day') == 7
        assert reverse("admin:articles_article_change", args=[article.pk]) in page
        assert "?view=week&amp;date=2026-11-02" in page and "?view=week&amp;date=2026-11-16" in page
        assert "<caption" in page or '<h3><time datetime="2026-11-12">' in page

    def test_the_month_shows_whole_weeks(self, client, users):
        client.force_login(users["editor"])
        page = client.get(
            reverse("admin:articles_article_calendar"), {"view": "month", "date": "2026-11-20"}
        ).content.decode()
        assert page.count('class="calendar-day') == 42
        assert "Editorial calendar: November 2026" in page

    def test_bad_parameters_say_what_was_shown_instead(self, client, users):
        client.force_login(users["editor"])
        response = client.get(
            reverse("admin:articles_article_calendar"), {"view": "year", "date": "soon", "status": "x"}
        )
        text = response.content.decode()
        assert response.status_code == 200
        assert "showing the week" in text and "showing today" in text and "showing every status" in text

    def test_only_people_who_may_view_articles_see_it(self, client, django_user_model, users):
        outsider = django_user_model.objects.create_user("outsider", "o@example.test", "pw", is_staff=True)
        client.force_login(outsider)
        assert client.get(reverse("admin:articles_article_calendar")).status_code == 403
        assert client.get(reverse("admin:articles_article_calendar_export", args=["csv"])).status_code == 403

    def test_it_is_linked_from_the_article_list_and_the_admin_home(self, client, users):
        client.force_login(users["writer"])
        link = reverse("admin:articles_article_calendar")
        assert link in client.get(reverse("admin:articles_article_changelist")).content.decode()
        assert link in client.get(reverse("admin:index")).content.decode()

    @pytest.mark.parametrize("view", ["week", "month"])
    def test_the_number_of_queries_does_not_grow_with_the_number_of_articles(
        self, client, users, make_article, django_assert_max_num_queries, view
    ):
        client.force_login(users["editor"])
        url = reverse("admin:articles_article_calendar")

        def count_queries():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"view": view, "date": "2026-11-12"}).status_code == 200
            return len(queries)

        make_article(title="One", planned_for=date(2026, 11, 12), author=users["writer"])
        few = count_queries()
        for n in range(30):
            make_article(
                title=f"Many {n}",
                status=[Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED][n % 3],
                planned_for=date(2026, 11, 9) + timedelta(days=n % 7),
                published_at=at(date(2026, 11, 9) + timedelta(days=n % 7)) if n % 3 == 2 else None,
                review_due=date(2026, 11, 9) + timedelta(days=n % 7) if n % 3 == 2 else None,
                author=users["writer" if n % 2 else "other_writer"],
            )
        with django_assert_max_num_queries(few):
            client.get(url, {"view": view, "date": "2026-11-12"})
