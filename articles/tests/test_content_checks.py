"""Content checks before review (#25, item 5): health-news checks shown in the form as the writer types
and run again at submission, where the desk's blocking ones refuse it; the medical reviewer's quality
questions, answered and kept with the sign-off; the evidence box readers see."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from articles import workflow
from articles.models import REVIEW_QUESTIONS, Article, ArticleEvent, Status, StudyPhase, StudyType
from articles.standards import alt_text_problem, check_article, hype_phrases, reading_grade
from articles.tests.test_admin import ANSWERED
from articles.tests.test_workflow import write

pytestmark = pytest.mark.django_db

PLAIN = (
    "Doctors took some of each patient's own white blood cells. They changed the cells in a lab so the "
    "cells could find the faulty ones. Then they put the cells back. Most patients felt better within a "
    "month, and some had a fever for a few days."
)
DENSE = (
    "Autologous CD19-directed chimeric antigen receptor T-cell therapy, administered following "
    "lymphodepleting fludarabine and cyclophosphamide conditioning, induced sustained drug-free "
    "remission in patients with refractory systemic lupus erythematosus, with concomitant normalisation "
    "of complement concentrations and resolution of proteinuria."
)


def checks_of(report, check):
    return [f for f in report.findings if f.check == check]


class TestHype:
    @pytest.mark.parametrize(
        "text, words",
        [
            (
                "A breakthrough for lupus: the miracle cure patients waited for",
                ["breakthrough", "miracle", "cure"],
            ),
            ("Doctors call the cell therapy a game-changer.", ["game-changer"]),
            ("这种疗法被称为治疗白血病的神药，有望根治。", ["神药", "根治"]),
        ],
    )
    def test_words_that_sell_rather_than_report_are_named(self, text, words):
        assert hype_phrases(text) == words

    @pytest.mark.parametrize(
        "text",
        [
            "The therapy received the FDA's Breakthrough Therapy designation in 2024.",
            "Patients may have breakthrough pain between doses.",
            "The treatment is not a cure, but it can keep the disease quiet for years.",
            "该药物获得国家药监局突破性治疗药物认定。",
            "目前红斑狼疮尚无根治方法。",
            "Secure, accurate dosing matters.",
            "The study was funded by the Children's Miracle Network.",
        ],
    )
    def test_designations_symptoms_denials_and_names_are_not_hype(self, text):
        assert hype_phrases(text) == []


class TestReadingGrade:
    def test_plain_english_meets_grade_eight_and_an_abstract_does_not(self):
        assert reading_grade(PLAIN) <= 8 < reading_grade(DENSE)

    def test_chinese_is_graded_on_the_same_scale(self):
        plain = "医生先从病人身上取一些血。然后在实验室里改造血里的免疫细胞。改好的细胞再输回病人体内。大多数病人一个月后感觉好多了。"
        dense = (
            "本研究采用自体CD19靶向嵌合抗原受体T细胞疗法，在氟达拉滨联合环磷酰胺清淋预处理后序贯回输，"
            "于难治性系统性红斑狼疮患者中诱导持续无药缓解，并伴随补体水平正常化及蛋白尿显著缓解。"
        )
        assert reading_grade(plain) <= 8 < reading_grade(dense)

    def test_a_text_too_short_to_grade_is_not_graded(self):
        assert reading_grade("Lupus news.") is None

    def test_the_desk_sets_the_target(self, make_article):
        article = make_article(body=f"<p>{DENSE}</p>")
        assert [f.field for f in checks_of(check_article(article), "reading_grade")] == ["body"]
        with override_settings(NEWSDESK_READING_GRADE=40):
            assert checks_of(check_article(article), "reading_grade") == []


class TestAltText:
    @pytest.mark.parametrize(
        "alt", ["IMG_4821.JPG", "DSC01234", "hero-final-v2.png", "photo", "图片", "https://example.org/a.jpg",
                "Photo: Hospital archive", "微信图片_20240101"],
    )  # fmt: skip
    def test_a_file_name_a_placeholder_an_address_or_a_credit_is_not_a_description(self, alt):
        assert alt_text_problem(alt) is not None

    @pytest.mark.parametrize(
        "alt", ["A nurse adjusts an infusion line beside a hospital bed", "Dr. Lin at the lab bench",
                "Photo of the new cell-therapy lab at dusk", "护士在病床边调整输液管"],
    )  # fmt: skip
    def test_a_real_description_passes(self, alt):
        assert alt_text_problem(alt) is None


class TestTheReport:
    def test_a_draft_missing_its_summary_is_blocked_and_says_what_to_write(self, make_article):
        report = check_article(make_article(plain_summary=""))
        assert [f.field for f in report.blocking] == ["plain_summary"]
        assert "two to four short sentences" in report.blocking[0].message

    def test_research_news_needs_its_phase_and_size(self, make_article):
        article = make_article(study_type=StudyType.RANDOMISED)
        assert {f.field for f in checks_of(check_article(article), "evidence")} == {
            "study_phase",
            "study_size",
        }
        article.study_phase, article.study_size = StudyPhase.PHASE_3, 412
        assert checks_of(check_article(article), "evidence") == []
        assert article.evidence == ["Randomised controlled trial", "412 people", "Phase 3"]

    def test_a_laboratory_study_has_no_phase_and_needs_no_people(self, make_article):
        article = make_article(study_type=StudyType.LABORATORY, study_phase=StudyPhase.NONE)
        assert checks_of(check_article(article), "evidence") == []
        article.study_phase = StudyPhase.PHASE_1
        assert checks_of(check_article(article), "evidence")

    def test_headline_and_standfirst_lengths_count_a_chinese_character_as_two(self, make_article):
        standfirst = (
            "新疗法让红斑狼疮患者停药后仍保持缓解，研究团队将继续随访观察。"  # 31 characters, 62 columns
        )
        long_chinese = make_article(title="嵌合抗原受体T细胞疗法" * 5, standfirst=standfirst)  # 105 columns
        assert [f.field for f in checks_of(check_article(long_chinese), "length")] == ["title"]

    def test_every_check_blocks_warns_or_is_off_as_the_desk_sets(self, make_article):
        article = make_article(
            plain_summary="", standfirst="A miracle for lupus patients, doctors say today."
        )
        levels = {"plain_summary": "warn", "hype": "block", "reading_grade": "off", "length": "off"}
        with override_settings(NEWSDESK_CONTENT_CHECKS=levels):
            report = check_article(article)
        assert [f.check for f in report.blocking] == ["hype"]
        assert [f.check for f in report.warnings] == ["plain_summary"]

    def test_a_pasted_book_is_checked_in_bounded_time(self, make_article):
        article = Article(title="x", body="<p>" + "A miracle, the Miracle. 调查证实。" * 100_000 + "</p>")
        report = check_article(article)
        assert checks_of(report, "hype")


class TestAtSubmission:
    def test_a_blocking_check_refuses_submission_with_what_to_fix(self, users, make_article):
        article = make_article(author=users["writer"], plain_summary="")
        with pytest.raises(ValidationError, match="plain-language summary"):
            workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        assert Article.objects.get(pk=article.pk).status == Status.DRAFT

    def test_warnings_do_not_stop_it_and_are_said_again_on_submitting(self, client, users, make_article):
        article = make_article(author=users["writer"], standfirst="A breakthrough for lupus patients today.")
        client.force_login(users["writer"])
        response = client.post(
            reverse("admin:articles_article_move", args=[article.pk, "submit"]), follow=True
        )
        assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
        said = [str(m) for m in response.context["messages"]]
        assert any("“breakthrough”" in m for m in said), said

    def test_bulk_submission_is_held_to_the_same_checks(self, client, users, make_article):
        ready, unready = (
            make_article(author=users["writer"]),
            make_article(author=users["writer"], plain_summary=""),
        )
        client.force_login(users["writer"])
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "submit_selected", "_selected_action": [ready.pk, unready.pk]},
        )
        assert Article.objects.get(pk=ready.pk).status == Status.IN_REVIEW
        assert Article.objects.get(pk=unready.pk).status == Status.DRAFT


class TestInTheForm:
    def test_the_form_shows_the_checks_of_the_saved_text(self, client, users, make_article):
        article = make_article(author=users["writer"], plain_summary="")
        client.force_login(users["writer"])
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert 'id="content-checks"' in page and "To fix before review" in page
        assert 'href="#id_plain_summary"' in page

    def test_the_live_check_answers_for_the_text_as_typed(self, client, users):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(users["writer"])
        url = reverse("admin:articles_article_content_checks")
        typed = {"title": "Cell therapy for lupus", "standfirst": "A miracle cure, doctors say.",
                 "plain_summary": PLAIN, "body": f"<p>{PLAIN}</p>", "study_size": "99999999999999"}  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, typed)
        assert not [q for q in queries if "articles_" in q["sql"]]  # the checks read no table of the desk
        page = response.content.decode()
        assert response.status_code == 200 and "“miracle”, “cure”" in page
        assert "To fix before review" not in page

    def test_only_people_who_write_may_ask(self, client, users):
        client.force_login(users["medical_reviewer"])
        response = client.post(reverse("admin:articles_article_content_checks"), {"title": "x"})
        assert response.status_code == 403
        assert client.get(reverse("admin:articles_article_content_checks")).status_code in (403, 405)


class TestReviewQuestions:
    def submit(self, users, article):
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])

    def test_the_sign_off_records_an_answer_to_each_question(self, client, users, make_article):
        article = make_article(author=users["writer"])
        self.submit(users, article)
        client.force_login(users["medical_reviewer"])
        answers = ANSWERED | {"costs": "no", "availability": "not_applicable"}
        client.post(reverse("admin:articles_article_sign_off", args=[article.pk]), answers)
        review = Article.objects.get(pk=article.pk).current_sign_off()
        assert review.answers == {key: answers[key] for key in REVIEW_QUESTIONS}
        assert review.entry_hash == review.expected_hash()  # the answers are in the chained record

    def test_a_sign_off_with_a_question_unanswered_is_refused(self, client, users, make_article):
        article = make_article(author=users["writer"])
        self.submit(users, article)
        client.force_login(users["medical_reviewer"])
        unanswered = {k: v for k, v in ANSWERED.items() if k != "harms"}
        response = client.post(
            reverse("admin:articles_article_sign_off", args=[article.pk]), unanswered, follow=True
        )
        assert Article.objects.get(pk=article.pk).current_sign_off() is None
        assert "Answer each of the review questions" in response.content.decode()

    def test_unknown_answers_are_refused_by_the_workflow_itself(self, users, make_article):
        article = make_article(author=users["writer"])
        self.submit(users, article)
        with pytest.raises(ValidationError):
            workflow.sign_off(article, by=users["medical_reviewer"], answers={"benefits": "maybe"})
        assert not ArticleEvent.objects.filter(action=ArticleEvent.Action.SIGNED_OFF).exists()

    def test_the_editor_sees_a_no_opened_on_the_article(self, client, users, make_article):
        article = make_article(author=users["writer"])
        self.submit(users, article)
        workflow.sign_off(article, by=users["medical_reviewer"], answers=ANSWERED | {"harms": "no"})
        client.force_login(users["editor"])
        page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert '<details class="review-answers" open>' in page
        assert 'class="answer-no"' in page


class TestTheSignedText:
    def test_the_summary_and_the_evidence_are_covered_by_the_sign_off(self, client, users, make_article):
        article = make_article(author=users["writer"])
        workflow.transition(article, to=Status.IN_REVIEW, by=users["writer"])
        workflow.sign_off(article, by=users["medical_reviewer"], answers=ANSWERED)
        write(
            client,
            article,
            users["writer"],
            study_type=StudyType.RANDOMISED,
            study_size="40",
            study_phase="2",
        )
        assert article.current_sign_off() is None

    def test_an_article_without_them_keeps_the_fingerprint_it_was_signed_under(self, make_article):
        article = make_article(plain_summary="")
        before = article.text_hash()
        import hashlib

        old = "\x1f".join([article.title.strip(), article.standfirst.strip(), article.body.strip()])
        assert before == hashlib.sha256(old.encode()).hexdigest()


class TestOnThePublicPage:
    def test_readers_get_in_short_and_the_evidence_at_a_glance(self, client, make_article):
        article = make_article(
            status=Status.PUBLISHED, plain_summary="Most patients felt better in a month.",
            study_type=StudyType.RANDOMISED, study_size=1204, study_phase=StudyPhase.PHASE_3,
        )  # fmt: skip
        page = client.get(article.get_absolute_url()).content.decode()
        assert "In short" in page and "Most patients felt better in a month." in page
        assert "Evidence at a glance" in page and "1,204 people" in page and "Phase 3" in page
