"""Importing source documents: the client's five give what expected.json says, and so do our own."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Status
from cases.importer import Vocabularies, import_document
from cases.models import Case, PrivacyStatus
from cases.tests.scanner_report import SEEDS

DOCUMENTS = Path(__file__).resolve().parent / "documents"
EXPECTED = SEEDS / "expected.json"
needs_seeds = pytest.mark.skipif(not EXPECTED.exists(), reason="the client's source documents are not here")

pytestmark = pytest.mark.django_db


def run(*paths, **options):
    out = []
    try:
        call_command("import_documents", *map(str, paths), stdout=_Sink(out), stderr=_Sink(out), **options)
    except CommandError as error:
        return "".join(out), error
    return "".join(out), None


class _Sink:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def report(tmp_path, *paths, **options):
    target = tmp_path / "report.json"
    output, error = run(*paths, report=str(target), **options)
    return json.loads(target.read_text()), output, error


@pytest.fixture
def expected():
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["docs"]


@needs_seeds
class TestTheClientsDocuments:
    """Acceptance: importing ../shared/seeds/ matches ../shared/seeds/expected.json."""

    @pytest.fixture
    def imported(self, vocabulary, tmp_path, expected):
        rows, _, error = report(tmp_path, SEEDS)
        assert error is None
        return {Path(row["file"]).name: row for row in rows}

    def test_every_document_imports_as_a_draft(self, imported, expected):
        assert set(imported) == set(expected)
        for _name, row in imported.items():
            assert row["error"] is None, row
            assert Article.objects.get(pk=row["article_id"]).status == Status.DRAFT

    def test_every_title(self, imported, expected):
        for name, doc in expected.items():
            title = imported[name]["title"]
            if doc["title_in_text"]:
                assert title == doc["title"], name
            else:
                assert title and title not in doc["boilerplate_lines"], name
            body = Article.objects.get(pk=imported[name]["article_id"]).body
            assert not body.startswith(f"<p>{title}</p>"), name

    def test_every_required_tag_and_no_forbidden_one(self, imported, expected):
        for name, doc in expected.items():
            for kind in ("disease", "therapy"):
                got = set(imported[name][f"{kind.replace('y', 'ie') if kind == 'therapy' else kind}s"])
                for required in doc[f"{kind}_tags"]:
                    accepted = {required, *doc[f"{kind}_tags_also_accept"].get(required, [])}
                    assert got & accepted, (name, required, got)
                assert not got & set(doc[f"{kind}_tags_forbidden"]), (name, got)

    def test_tag_precision(self, imported, expected):
        right = wrong = 0
        for name, doc in expected.items():
            for kind, key in (("disease", "diseases"), ("therapy", "therapies")):
                allowed = {*doc[f"{kind}_tags"], *doc[f"{kind}_tags_optional"]}
                for substitutes in doc[f"{kind}_tags_also_accept"].values():
                    allowed |= set(substitutes)
                for tag in imported[name][key]:
                    right, wrong = (right + 1, wrong) if tag in allowed else (right, wrong + 1)
        precision = right / (right + wrong)
        print(f"tag precision on the client's documents: {right}/{right + wrong} = {precision:.0%}")
        assert precision >= 0.9

    def test_patient_stories_become_pending_cases_with_their_facts(self, imported, expected):
        for name, doc in expected.items():
            row = imported[name]
            if not doc["has_patient_story"]:
                assert row["case_id"] is None, name
                continue
            case = Case.objects.get(pk=row["case_id"])
            facts = doc["patient"]
            assert case.privacy_status == PrivacyStatus.PENDING
            assert case.age_band == facts["age_band"], name
            assert case.sex == facts["sex"], name
            assert facts["diagnosis_tag"] in case.diseases.names() or set(case.diseases.names()) & set(
                doc["disease_tags_also_accept"].get(facts["diagnosis_tag"], [])
            ), name
            assert set(facts["therapy"]) & set(case.therapies.names()), name
            raw = (SEEDS / name).read_bytes().decode(doc["encoding"])
            assert case.treatment_year and str(case.treatment_year) in raw, name  # a year the story gives
            assert case.outcome, name
            assert list(case.articles.all()) == [Article.objects.get(pk=row["article_id"])]
            for flag in doc["privacy_flags"]:
                if flag["type"] in (
                    "person_name",
                    "nickname",
                    "pseudonym",
                    "doctor_name",
                    "hospital",
                    "place",
                ):
                    assert flag["text"] not in case.label and flag["text"] not in case.outcome, (name, flag)

    def test_no_boilerplate_left_in_any_body(self, imported, expected):
        from articles.richtext import plain_text

        for name, doc in expected.items():
            article = Article.objects.get(pk=imported[name]["article_id"])
            lines = {line.strip() for line in plain_text(article.body).splitlines()}
            for line in doc["boilerplate_lines"]:
                assert line not in lines, (name, line)
            for fragment in doc["boilerplate_fragments"]:
                assert fragment not in article.body, (name, fragment)

    def test_every_privacy_flag_is_found_and_stored_for_review(self, imported, expected):
        for name, doc in expected.items():
            article = Article.objects.get(pk=imported[name]["article_id"])
            found = [f["text"] for f in article.privacy_findings]
            for flag in doc["privacy_flags"]:
                assert any(flag["text"] in text or text in flag["text"] for text in found), (name, flag)
            assert article.privacy_findings == imported[name]["findings"]


class TestOurOwnDocuments:
    def test_other_diseases_therapies_clutter_and_encodings(self, vocabulary, tmp_path):
        rows, output, error = report(tmp_path, DOCUMENTS)
        by_name = {Path(r["file"]).name: r for r in rows}
        myeloma = by_name["myeloma-story-cp1252.txt"]
        assert (
            myeloma["title"] == "Bispecific antibody brings a second remission for a grandfather with myeloma"
        )
        assert myeloma["diseases"] == ["Multiple myeloma"]
        assert "Bispecific antibody therapy" in myeloma["therapies"]
        case = Case.objects.get(pk=myeloma["case_id"])
        assert (case.age_band, case.sex, case.treatment_year) == ("70-79", "male", 2022)
        assert case.label == "Man in his 70s with multiple myeloma"
        assert by_name["arthritis-news-utf16.txt"]["diseases"] == ["Rheumatoid arthritis"]
        assert (
            "Hematopoietic stem cell transplantation" not in by_name["arthritis-news-utf16.txt"]["therapies"]
        )
        assert by_name["arthritis-news-utf16.txt"]["case_id"] is None  # an audit of 412 patients
        teen = Case.objects.get(pk=by_name["transplant-gb18030.txt"]["case_id"])
        assert teen.label == "Girl in their teens with acute myeloid leukemia"
        assert by_name["lupus-explainer-bom-crlf.md"]["diseases"] == ["Systemic lupus erythematosus"]
        hostile = Article.objects.get(pk=by_name["hostile-page.html"]["article_id"])
        assert (
            "script" not in hostile.body
            and "javascript" not in hostile.body
            and "onerror" not in hostile.body
        )
        assert hostile.source_publisher == "City Hospital News"

    def test_unreadable_files_get_one_line_errors_and_the_rest_still_import(self, vocabulary, tmp_path):
        rows, output, error = report(tmp_path, DOCUMENTS)
        errors = {Path(r["file"]).name: r["error"] for r in rows if r["error"]}
        assert errors == {
            "empty.txt": "empty.txt: empty",
            "photo-not-text.txt": "photo-not-text.txt: binary file, not text",
            "scanned-release.pdf": "scanned-release.pdf: the PDF has no text layer (a scan or a photo); run it "
            "through OCR, or paste its text into a .txt file, and import that",
        }
        assert error is not None and "3 failed" in str(error)  # the exit code says something failed
        assert Article.objects.count() == len(rows) - 3

    def test_the_size_limit(self, vocabulary, settings):
        settings.NEWSDESK_MAX_DOCUMENT_BYTES = 100
        result = import_document("big.txt", b"Title\n\n" + b"word " * 100, vocabularies=Vocabularies())
        assert result.error == "big.txt: over the 0 MB limit" or "limit" in result.error
        assert Article.objects.count() == 0

    def test_the_report_has_the_agreed_shape(self, vocabulary, tmp_path):
        rows, _, _ = report(tmp_path, DOCUMENTS / "myeloma-story-cp1252.txt")
        assert set(rows[0]) == {"file", "article_id", "title", "diseases", "therapies", "case_id", "findings",
                                "error", "note", "format", "language", "dropped"}  # fmt: skip
        assert {"kind", "text"} == set(rows[0]["findings"][0])
        assert (rows[0]["format"], rows[0]["language"]) == ("txt", "en")

    def test_a_word_press_release_imports_with_its_headline_style_and_without_its_release_furniture(
        self, vocabulary, tmp_path
    ):
        import docx

        document = docx.Document()
        document.add_paragraph("FOR IMMEDIATE RELEASE")
        document.add_heading("CAR-T cell therapy gives a retired teacher with myeloma a second remission", 1)
        document.add_paragraph(
            "A 67-year-old retired teacher with multiple myeloma is in remission a year after CAR-T cell "
            "therapy, her haematology team said on Tuesday. She had relapsed twice after chemotherapy."
        )
        document.add_paragraph("-ENDS-")
        document.add_paragraph("Media contact: the press office, 01632 960418")
        path = tmp_path / "release.docx"
        document.save(path)
        [row], _, _ = report(tmp_path, path)
        assert row["error"] is None and row["format"] == "docx"
        assert row["title"] == "CAR-T cell therapy gives a retired teacher with myeloma a second remission"
        assert "Multiple myeloma" in row["diseases"] and "CAR-T cell therapy" in row["therapies"]
        assert {"FOR IMMEDIATE RELEASE", "-ENDS-", "Media contact: the press office, 01632 960418"} <= set(
            row["dropped"]
        )
        assert "01632" not in Article.objects.get(pk=row["article_id"]).body

    def test_the_original_document_is_kept_beside_the_draft_for_staff_only(
        self, vocabulary, tmp_path, client, users
    ):
        from django.urls import reverse

        from articles.intake.resources import ArticleResource
        from articles.models import SourceDocument

        path = DOCUMENTS / "myeloma-release.pdf"
        [row], _, _ = report(tmp_path, path)
        source = SourceDocument.objects.get(article_id=row["article_id"])
        assert bytes(source.data) == path.read_bytes() and "FOR IMMEDIATE RELEASE" in source.text
        assert (source.format, source.language) == ("pdf", "en")
        client.force_login(users["writer"])
        form = client.get(reverse("admin:articles_article_change", args=[row["article_id"]])).content.decode()
        assert "Read the original pdf document" in form and "FOR IMMEDIATE RELEASE" in form
        assert "FOR IMMEDIATE RELEASE" not in ArticleResource().export().csv

    def test_a_pdf_press_release_imports_and_a_scan_is_refused_with_what_to_do(self, vocabulary, tmp_path):
        rows, _, _ = report(tmp_path, DOCUMENTS / "myeloma-release.pdf", DOCUMENTS / "scanned-release.pdf")
        text, scan = rows
        assert text["error"] is None and text["format"] == "pdf"
        assert "myeloma" in text["title"] and "Multiple myeloma" in text["diseases"]
        assert "no text layer" in scan["error"] and "OCR" in scan["error"]


class TestReimport:
    def test_reimporting_updates_the_draft_and_duplicates_nothing(self, vocabulary, tmp_path):
        source = tmp_path / "story.txt"
        shutil.copy(DOCUMENTS / "myeloma-story-cp1252.txt", source)
        run(source)
        first = Article.objects.get()
        source.write_bytes(source.read_bytes().replace(b"Eighteen months", b"Two years"))
        run(source)
        assert Article.objects.count() == 1 and Case.objects.count() == 1
        updated = Article.objects.get()
        assert updated.pk == first.pk and "Two years" in updated.body
        assert updated.revisions.count() == 2

    def test_published_content_is_never_touched(self, vocabulary, tmp_path, users):
        from articles import workflow

        source = tmp_path / "story.txt"
        shutil.copy(DOCUMENTS / "lupus-explainer-bom-crlf.md", source)
        run(source)
        article = Article.objects.get()
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=article.created_at)
        before = Article.objects.get().body
        source.write_bytes(source.read_bytes() + b"\n\nA new paragraph.\n")
        rows, _, _ = report(tmp_path, source)
        assert Article.objects.get().body == before
        assert rows[0]["note"].startswith("Already published")
        assert workflow  # the workflow, not the importer, is how published text changes

    def test_a_dry_run_saves_nothing(self, vocabulary, tmp_path):
        rows, output, error = report(tmp_path, DOCUMENTS / "myeloma-story-cp1252.txt", dry_run=True)
        assert rows[0]["title"] and rows[0]["article_id"] is None
        assert Article.objects.count() == 0 and Case.objects.count() == 0
        assert "(dry run)" in output


def test_a_missing_path_is_a_clear_error(db):
    _, error = run("/no/such/folder")
    assert error is not None and "No such file or folder" in str(error)


def test_progress_goes_to_a_terminal_only(vocabulary, tmp_path):
    output, _ = run(DOCUMENTS / "lupus-explainer-bom-crlf.md")
    assert "[###" not in output and re.search(r"1 of 1 documents imported", output)


class TestAdminImport:
    def _upload(self, client, *files):
        from django.urls import reverse

        return client.post(reverse("admin:import_documents"), {"files": list(files)}, follow=True)

    def _file(self, name):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(name, (DOCUMENTS / name).read_bytes())

    def test_preview_then_confirm(self, client, users, vocabulary):
        import io
        import zipfile

        from django.core.files.uploadedfile import SimpleUploadedFile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("folder/arthritis.txt", (DOCUMENTS / "arthritis-news-utf16.txt").read_bytes())
            archive.writestr("__MACOSX/._junk", b"junk")
        client.force_login(users["editor"])
        preview = self._upload(
            client, self._file("myeloma-story-cp1252.txt"), SimpleUploadedFile("batch.zip", buffer.getvalue())
        )
        page = preview.content.decode()
        assert "Preview: nothing has been saved yet" in page
        assert (
            "Bispecific antibody brings a second remission" in page
            and "Man in his 70s with multiple myeloma" in page
        )
        assert "Biologic medicines keep rheumatoid arthritis in check" in page
        assert Article.objects.count() == 0
        job_page = preview.redirect_chain[-1][0]

        done = client.post(job_page, follow=True)
        assert "2 document(s) imported as drafts" in done.content.decode()
        assert Article.objects.filter(status=Status.DRAFT, author=users["editor"]).count() == 2

    def test_the_preview_asks_for_a_headline_where_the_source_gives_a_label_and_lists_what_it_left_out(
        self, client, users, vocabulary
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        text = (
            "Myelofibrosis (MF)-02\n\nShare this page\n\nA 58-year-old farmer with myelofibrosis is "
            "back at work a year after a donor stem cell transplant, his team said. He had needed "
            "transfusions every fortnight before it.\n\nHe is now well.\n"
        )
        client.force_login(users["editor"])
        page = self._upload(client, SimpleUploadedFile("case.txt", text.encode())).content.decode()
        assert "Needs a headline" in page and "the source's is a label" in page
        assert (
            "Suggestion: <span data-suggestion>A 58-year-old farmer with myelofibrosis is back at work"
            in page
        )
        assert "clutter line left out" in page and ">Share this page</label>" in page

    def test_only_users_who_may_import(self, client, users):
        from django.urls import reverse

        client.force_login(users["writer"])
        assert client.get(reverse("admin:import_documents")).status_code == 403
        assert (
            "Import documents"
            not in client.get(reverse("admin:articles_article_changelist")).content.decode()
        )
        client.force_login(users["editor"])
        assert "Import documents" in client.get(reverse("admin:articles_article_changelist")).content.decode()

    def test_other_files_are_refused_with_a_message(self, client, users, vocabulary):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(users["editor"])
        page = self._upload(client, SimpleUploadedFile("virus.exe", b"MZ...")).content.decode()
        assert "virus.exe is not a .txt, .md, .html, .docx, .pdf or .zip file." in page


def drafted(name, text):
    """`text` imported as the document `name`, which must be read without an error."""
    result = import_document(name, text.encode(), vocabularies=Vocabularies())
    assert result.error is None, result.error
    return result


class TestTagsAndStoriesOnWhatThePieceIsAbout:
    """Issue 21, items 4, 5 and 7, from the second fresh batch's misses (our own sentences)."""

    def draft(self, vocabulary, name, text):
        return drafted(name, text)

    def test_a_therapy_the_patient_could_not_have_is_not_tagged(self, vocabulary):
        result = self.draft(
            vocabulary,
            "welder.txt",
            "Retired fitter back at work after CAR-T cell therapy for lymphoma\n\n"
            "Gary Rowe, 68, was told in 2023 that his diffuse large B-cell lymphoma had come back. "
            "Because of his heart, a stem cell transplant was not considered safe for him. "
            "He received CAR-T cell therapy in March. His scans have been clear since, and he is back in his "
            "workshop most mornings. He says he feels better than he has in years. His wife says he sleeps well.\n",
        )
        assert "CAR-T cell therapy" in result.therapies
        assert "Hematopoietic stem cell transplantation" not in result.therapies

    def test_therapies_only_weighed_as_options_are_not_tagged(self, vocabulary):
        result = self.draft(
            vocabulary,
            "options.txt",
            "Baker returns to his ovens after an immunotherapy drip for lymphoma\n\n"
            "Tom Ash, 59, had chemotherapy for his lymphoma in 2019. When it came back, a donor stem cell "
            "transplant was discussed and set aside. His doctor talked him through options: more chemotherapy, "
            "a second transplant or CAR-T cell therapy.\n\n"
            "In the end he had an immune checkpoint inhibitor every three weeks. A year on, his scans are "
            "clear and he is back at the bakery before dawn.\n",
        )
        assert "Immune checkpoint inhibitors" in result.therapies
        assert "Hematopoietic stem cell transplantation" not in result.therapies
        assert "CAR-T cell therapy" not in result.therapies

    def test_the_diseases_a_list_opens_its_entries_with_are_what_an_explainer_is_about(self, vocabulary):
        result = self.draft(
            vocabulary,
            "explainer.txt",
            "骨髓移植能治哪些病？\n\n"
            "骨髓移植是把健康的造血干细胞输入患者体内，重建造血和免疫功能的治疗方法，下面介绍常见的适应证和注意事项，供患者和家属参考。\n\n"
            "1. 白血病：部分急性髓系白血病患者在缓解后接受移植以降低复发风险。\n\n"
            "2. 淋巴瘤：复发的患者可以考虑自体移植。\n\n"
            "3. 再生障碍性贫血：重型患者有合适供者时可以移植。\n",
        )
        assert {"Leukemia", "Lymphoma", "Aplastic anemia"} <= set(result.diseases)

    def test_a_broad_term_up_top_does_not_make_a_narrower_one_named_in_passing_the_topic(self, vocabulary):
        result = self.draft(
            vocabulary,
            "trial.txt",
            "Two bispecific antibodies together slow relapsed myeloma\n\n"
            "A pairing of two off-the-shelf immunotherapy drugs kept multiple myeloma in check for a year.\n\n"
            "The bispecific antibodies each bind a myeloma cell and a T cell. In the trial, 90 patients took "
            "both bispecific antibodies every two weeks.\n\n"
            "Some had already had CAR-T cell therapy; their responses were similar.\n",
        )
        assert "Bispecific antibody therapy" in result.therapies
        assert "CAR-T cell therapy" not in result.therapies

    def test_a_sibling_named_for_contrast_is_no_topic_where_another_narrower_term_explains_the_broad_one(
        self, vocabulary
    ):
        result = self.draft(
            vocabulary,
            "hodgkin.md",
            "# Teacher, 31, on life after Hodgkin lymphoma\n\n"
            "A teacher says she nearly ignored the only symptom she had.\n\n"
            "She was training for a half-marathon when she noticed a small lump above her collarbone.\n\n"
            "A biopsy confirmed classical Hodgkin lymphoma, and she began chemotherapy within a month.\n\n"
            "## About lymphoma\n\n"
            "Hodgkin lymphoma is one of the less common forms of lymphoma, far rarer than non-Hodgkin "
            "lymphoma, and most people with it are cured.\n\n"
            "Her last scan showed no sign of the disease, and she is back in the classroom.\n",
        )
        assert result.diseases[0] == "Hodgkin lymphoma"
        assert "Non-Hodgkin lymphoma" not in result.diseases

    def test_taiwan_and_hong_kong_names_of_a_disease_tag_it(self, vocabulary):
        result = self.draft(
            vocabulary,
            "tw.txt",
            "少年接受CAR-T細胞治療後重返校園\n\n"
            "十八歲的少年三年前確診B細胞急性淋巴性白血病，經化學治療與骨髓移植後復發，去年接受CAR-T細胞治療，至今未再復發。\n",
        )
        assert result.diseases[0] == "B-cell acute lymphoblastic leukemia"

    def test_a_chinese_story_told_by_the_patients_polite_name_is_a_story(self, vocabulary):
        result = self.draft(
            vocabulary,
            "grandma.txt",
            "九旬老人战胜淋巴瘤\n\n"
            "今年5月，家人发现吴奶奶颈部长了包块，活检确诊为弥漫大B细胞淋巴瘤。\n\n"
            "医生对吴奶奶做了老年综合评估，选择了减量化疗方案。\n\n"
            "六个疗程后，吴奶奶的病灶完全消失，如今每天都下楼晒太阳。\n",
        )
        assert result.case_label, "no story was drafted"


class TestTheStoryItDrafts:
    """Issue 21, item 5: a story's narrative and follow-up come from the document, anonymised as the privacy
    desk's replace step would, never left empty."""

    def test_the_narrative_and_follow_up_are_filled_and_anonymised(self, vocabulary):
        text = (
            "Teacher back in class after CAR-T for lymphoma\n\n"
            "Moira Quennell, 52, from Ballykeel, was diagnosed with diffuse large B-cell lymphoma in 2021. "
            "She had two rounds of chemotherapy before her cancer came back on 14 March 2023.\n\n"
            "She received CAR-T cell therapy that summer. Eighteen months later she is in remission and "
            "back teaching. Call 07700 900461 for the support group.\n"
        )
        result = import_document("teacher.txt", text.encode(), vocabularies=Vocabularies())
        case = Case.objects.get(pk=result.case_id)
        assert case.follow_up == "eighteen months"
        assert "<p>" in case.narrative and "back teaching" in case.narrative
        for identifier in ("Moira", "Quennell", "Ballykeel", "14 March 2023", "07700"):
            assert identifier not in case.narrative, identifier
        assert "the patient" in case.narrative
        assert case.privacy_status == PrivacyStatus.PENDING  # the officer still reviews it

    def test_a_chinese_story_gets_its_narrative_and_follow_up_in_chinese(self, vocabulary):
        text = (
            "九旬老人战胜淋巴瘤\n\n"
            "今年5月，家人发现吴奶奶颈部长了包块，活检确诊为弥漫大B细胞淋巴瘤。她住在青石镇。\n\n"
            "医生为吴奶奶选择了减量化疗方案。她完成了六个疗程，病情缓解。\n\n"
            "随访一年，吴奶奶没有复发，每天下楼晒太阳。\n"
        )
        result = import_document("nainai.txt", text.encode(), vocabularies=Vocabularies())
        case = Case.objects.get(pk=result.case_id)
        assert case.follow_up == "一年"
        assert "吴奶奶" not in case.narrative and "青石镇" not in case.narrative and "患者" in case.narrative


def test_a_patient_telling_their_own_story_is_a_story_told_of_them(vocabulary):
    """A charity's first-person story is one patient's course; its outcome is written about the patient."""
    text = (
        "CAR-T gave me my life back\n\n"
        "I was diagnosed with follicular lymphoma in 2019, when I was 61. My consultant said it was slow-growing, "
        "so at first we watched and waited.\n\n"
        "In 2022 my lymphoma came back after two rounds of chemotherapy, and my haematologist suggested CAR-T cell "
        "therapy. I had my infusion that spring and spent three weeks on the ward.\n\n"
        "Two years on I'm in remission and back in my allotment every morning. I feel like me again.\n"
    )
    result = import_document("own-story.txt", text.encode(), vocabularies=Vocabularies())
    case = Case.objects.get(pk=result.case_id)
    assert case.age_band == "60-69" and "CAR-T cell therapy" in result.therapies
    assert case.outcome == "The patient is in remission."


def test_the_age_something_began_at_is_not_the_patients_age(vocabulary):
    text = (
        "My lupus update, six months after CAR-T\n\n"
        "I was diagnosed with lupus at university. My lupus nephritis came back twice, and my rheumatologist "
        "suggested CAR-T cell therapy last year, when I was 33.\n\n"
        "At three months my antibodies were negative for the first time since I was 19. I'm in remission and "
        "off prednisone, and my treatment is finished. My husband says I laugh again.\n"
    )
    result = import_document("blog.txt", text.encode(), vocabularies=Vocabularies())
    assert Case.objects.get(pk=result.case_id).age_band != "10-19"


class TestStoriesTheSixthBatchTaught:
    """Stories found on the sixth blind batch's shapes: a Chinese patient named by a pseudonym, a patient
    telling their own story in Chinese or in a question-and-answer interview, and a therapy the patient only
    read about."""

    def draft(self, name, text):
        return drafted(name, text)

    def test_a_chinese_story_about_a_pseudonymous_child_is_a_story(self, vocabulary):
        result = self.draft(
            "boy.txt",
            "告别输血：地贫男孩基因治疗一年后\n\n"
            "上午，9岁的小舟（化名）拿到了基因治疗满一年的复查报告，已经连续11个月没有输过血。\n\n"
            "小舟8个月大时确诊重型β地中海贫血，此后每隔几周就要输一次血。医院计划今年再纳入10名患者。\n\n"
            "小舟完成回输后，在层流病房住了5周。\n\n"
            "现在，小舟每周上三次游泳课，妈妈说孩子终于可以和同学一起春游了。\n",
        )
        assert result.case_label, "no story was drafted"

    def test_a_patient_telling_her_own_story_in_chinese_is_a_story(self, vocabulary):
        result = self.draft(
            "me.txt",
            "十年，我学会和硬皮病一起生活\n\n"
            "我今年四十八岁，是两个女儿的妈妈，也是一名会计。十年前，我连这个病的名字都没听过。\n\n"
            "三十八岁那年，我确诊了系统性硬化症。医生说这个病无法根治，但可以控制。\n\n"
            "接下来两年，我每天吃低剂量的激素和免疫抑制剂，肺功能一度稳定。\n\n"
            "移植后第六年，我的皮肤明显变软，手指能握笔、能打电脑。\n",
        )
        assert result.case_label, "no story was drafted"
        assert result.diseases[0] == "Systemic sclerosis"

    def test_a_patient_answering_an_interview_is_a_story(self, vocabulary):
        result = self.draft(
            "qa.txt",
            "A teenager looks back on her transplant year\n\n"
            "A year after a bone marrow transplant for severe aplastic anemia, a student is back on the court.\n\n"
            "How did you find out something was wrong?\n\n"
            "I kept getting bruises I couldn't explain. A biopsy showed my marrow was almost empty, and I had "
            "severe aplastic anemia.\n\n"
            "What treatment did you have first?\n\n"
            "I needed transfusions twice a week while the team looked for a donor. My donor was a stranger.\n\n"
            "How are you now?\n\n"
            "My blood counts are normal, and I am back at school.\n",
        )
        assert result.case_label, "no story was drafted"

    def test_a_therapy_the_patient_only_read_about_is_not_tagged(self, vocabulary):
        result = self.draft(
            "ln.txt",
            "狼疮性肾炎女孩重返讲台\n\n"
            "24岁的小禾（化名）三年前确诊狼疮性肾炎，曾经做过透析。\n\n"
            "她接受了激素和吗替麦考酚酯治疗，小禾的尿蛋白逐渐转阴。\n\n"
            "在病友群里，小禾也看到过CAR-T治疗狼疮的新闻，专门去问过医生。\n\n"
            "如今小禾病情稳定，已经回到学校教书。\n",
        )
        assert "Immunosuppressive therapy" in result.therapies
        assert "CAR-T cell therapy" not in result.therapies

    def test_a_patient_telling_her_own_illness_in_traditional_chinese_is_a_story(self, vocabulary):
        result = self.draft(
            "mg.txt",
            "眼皮垂下來只是太累？我拖了半年才知道是重症肌無力\n\n"
            "我叫小青，今年三十四歲。去年春天，我常常覺得眼皮很重，一直以為是加班太累。\n\n"
            "後來我吃飯吃到一半就嚼不動，家人帶我掛急診，醫師安排了抽血和肌電圖，確診是重症肌無力。\n\n"
            "我開始服用改善症狀的藥，也用了類固醇，我的臉圓了一圈，但力氣慢慢回來了。\n\n"
            "今年我做了胸腺切除手術，現在已經能正常上班。\n",
        )
        assert result.case_label, "no story was drafted"

    def test_a_story_of_a_grandmother_told_by_her_polite_name_is_a_story(self, vocabulary):
        result = self.draft(
            "ama.txt",
            "91歲阿嬤腰痛以為老化 竟是多發性骨髓瘤\n\n"
            "高齡91歲的阿嬤去年起腰痛不止，家人以為只是老化，直到阿嬤連站都站不穩才就醫。\n\n"
            "檢查後阿嬤確診為多發性骨髓瘤，醫師為阿嬤安排了較溫和的治療方案。\n\n"
            "治療半年後，阿嬤已能扶著助行器在家中走動。\n",
        )
        assert result.case_label, "no story was drafted"

    def test_a_story_that_names_its_diagnosis_once_is_tagged_with_it(self, vocabulary):
        result = self.draft(
            "dad.txt",
            "“爸爸，这次换我来守护你”——女儿讲述父亲的移植之路\n\n"
            "去年春天，爸爸总说累，脸色也越来越差。我们带他去医院，做了骨髓穿刺，最后确诊为骨髓增生异常综合征。\n\n"
            "医生说移植是他唯一的机会。配型结果出来，我和爸爸是半相合，我决定给他捐献。\n\n"
            "移植后第100天，爸爸的血象恢复正常，他又能下楼散步了。\n",
        )
        assert result.diseases[:1] == ["Myelodysplastic syndromes"]

    def test_a_therapy_the_patient_was_only_warned_she_might_need_is_not_tagged(self, vocabulary):
        result = self.draft(
            "lupus.txt",
            "Teacher's lupus in remission a year after CAR-T\n\n"
            "A primary school teacher whose lupus had damaged her kidneys is off every medicine a year after a "
            "single infusion of her own engineered immune cells.\n\n"
            "Her consultants warned that she could need dialysis within a few years. She received CAR-T cell "
            "therapy in a trial last spring.\n\n"
            "Her kidney function has been stable since, and she is back in the classroom.\n",
        )
        assert "CAR-T cell therapy" in result.therapies and "Dialysis" not in result.therapies

    def test_a_patient_telling_his_own_story_in_english_is_a_story(self, vocabulary):
        result = self.draft(
            "me.html",
            "<html><body><h1>Where I was one year after CAR-T</h1>"
            "<p>I was 46 when a lump under my jaw turned out to be diffuse large B-cell lymphoma, and for the "
            "next eighteen months my life was measured in cycles of chemotherapy.</p>"
            "<p>My oncologist told me plainly that a stem cell transplant was no longer a realistic option.</p>"
            "<p>I got my cells in March. Two days later my temperature hit 104, and the team moved fast.</p>"
            "<p>A year on, my scans are clear and I am back at work.</p></body></html>",
        )
        assert result.case_label, "no story was drafted"
