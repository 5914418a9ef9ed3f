"""The de-identification scanner, measured against the team's labelled table (tuned; a regression check)
and the client's own documents. Its real figures come from the blind corpora: see test_corpus.py."""

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.scanner import KINDS, Finding, find_identifiers
from cases.tests.scanner_cases import CASES, NEGATIVES
from cases.tests.scanner_report import SEED_ACCEPT, full_score, scan_speed, score, seed_documents

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result():
    return full_score()


def test_the_labelled_set_has_at_least_150_identifiers_and_10_of_every_kind():
    table = Counter(
        kind for text, labels in CASES for kind, label in labels for _ in re.finditer(re.escape(label), text)
    )
    assert sum(table.values()) >= 150
    assert set(table) <= set(KINDS)
    assert min(table.values()) >= 10, table
    assert all(label in text for text, labels in CASES for _, label in labels)


@pytest.mark.skipif(not seed_documents(), reason="the client's source documents are not here")
def test_no_sentence_of_the_client_documents_is_copied_into_the_repository():
    def runs(text):
        words = re.findall(r"\w+", text.casefold())
        return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}

    seeds = set().union(*(runs(text) for _, text, _ in seed_documents()))
    for path in [*map(str, (ROOT / "cases" / "scanner").glob("*.py")), "cases/tests/scanner_cases.py",
                 "cases/tests/test_scanner.py"]:  # fmt: skip
        assert not runs((ROOT / path).read_text(encoding="utf-8")) & seeds, path


def test_scan_speed_is_measured(capsys):
    size, seconds = scan_speed()
    with capsys.disabled():
        print(f"\n[scanner] {size} characters in {seconds * 1000:.0f} ms")


def test_recall_is_at_least_95_percent(result):
    assert result.recall() >= 0.95, result.missed


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_kind_falls_below_90_percent(result, kind):
    assert result.recall(kind) >= 0.90, [m for m in result.missed if m[0] == kind]


def test_precision_is_at_least_60_percent(result):
    """What is not known to be safe is flagged, so precision falls; a review tool may ask for 60%."""
    assert result.precision() >= 0.60, result.false_alarms


@pytest.mark.skipif(not seed_documents(), reason="the client's source documents are not here")
def test_every_identifier_the_client_flagged_is_found():
    for name, text, labels in seed_documents():
        missed = score([(text, labels)], accept=SEED_ACCEPT).missed
        assert not missed, (name, missed)


# The desk's list of public names (cases.PublicName) holds brand names no word list knows.
DESK_PUBLIC_NAMES = ["Kymriah", "Yescarta", "Carvykti", "Abecma", "Breyanzi", "Tecartus"]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_plain_medical_news_raises_no_alarm(sentence):
    assert find_identifiers(sentence, safe_names=DESK_PUBLIC_NAMES) == []


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Grandma Sun is 93.", "nickname", "Grandma Sun"),
        ("Uncle Li came back.", "nickname", "Uncle Li"),
        ("Ms. A said it helped.", "person_name", "Ms. A"),
        ("Mr. Smith was discharged.", "person_name", "Mr. Smith"),
        ("Seen in August 2016.", "date", "August 2016"),
        ("Seen on 12/03/2021.", "date", "12/03/2021"),
        ("Seen on 3 March.", "date", "3 March"),
        ("The 92-year-old went home.", "age_over_89", "92-year-old"),
        ("The 42-year-old went home.", "age", "42-year-old"),
        ("Dr. Rosa Diaz treated her.", "clinician_name", "Dr. Rosa Diaz"),
    ],
)
def test_the_examples_in_the_brief(text, kind, found):
    assert (kind, found) in [(f.kind, f.text) for f in find_identifiers(text)]


def test_a_year_alone_is_not_a_date_and_a_province_is_not_a_place():
    assert find_identifiers("In 2016 she moved to Anhui Province.") == []


def test_findings_carry_kind_text_and_offsets_into_the_original():
    text = "Call 020 7946 0321 or write to tom.ray@mail.test about Mr. Ray."
    findings = find_identifiers(text)
    assert [(f.kind, f.text) for f in findings] == [
        ("phone", "020 7946 0321"),
        ("email", "tom.ray@mail.test"),
        ("person_name", "Mr. Ray"),
    ]
    assert all(isinstance(f, Finding) and text[f.start : f.end] == f.text for f in findings)


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_never_fails_and_stays_in_bounds_on_any_text(text):
    findings = find_identifiers(text)
    assert all(0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.text for f in findings)
    assert all(f.kind in KINDS for f in findings)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end))


@given(st.lists(st.sampled_from([s for s, _ in CASES] + NEGATIVES), min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_joining_sentences_finds_what_each_sentence_finds(sentences):
    """Joining may merge or reclassify names (a name found in one sentence is a name in every other), but
    every stretch flagged alone is still flagged."""
    joined = " ".join(sentences)
    together = find_identifiers(joined)
    offset = 0
    for sentence in sentences:
        for f in find_identifiers(sentence):
            start, end = f.start + offset, f.end + offset
            assert any(g.start < end and start < g.end for g in together), (f, sentence)
        offset += len(sentence) + 1


def test_the_scanner_is_pure_python_without_django():
    code = "import sys, cases.scanner; assert 'django' not in sys.modules; print('ok')"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.stdout.strip() == "ok", run.stderr


# Forms written for this check by hand (not taken from any corpus): toll-free numbers with a leading 1,
# short-link and country domains, campaign hashtags, Chinese account names, ages with "at", "of" and
# "just".
@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("The hotline is 1-800-555-0199.", "phone", "1-800-555-0199"),
        ("More at bit.ly/3xYzAbc", "url", "bit.ly/3xYzAbc"),
        ("Search #TeamLeo on TikTok", "url", "#TeamLeo"),
        ("关注公众号：爱心小屋", "url", "爱心小屋"),
        ("At 93 she is our oldest patient.", "age_over_89", "93"),
        ("a teenager of 16 from the coast", "age", "16"),
        ("when she was just four", "age", "four"),
        ("She was diagnosed at nineteen.", "age", "nineteen"),
        ("Father Sean, who at ninety still says Mass", "age_over_89", "ninety"),
        ("He turned 61 two weeks before.", "age", "61"),
        ("a father of three in his forties", "age", "forties"),
        ("My husband Declan (Dec to everyone) was ill.", "nickname", "Dec"),
        ("The Chair, Fiona Lindsay (FL), thanked everyone. FL then closed the meeting.", "nickname", "FL"),
        ("Inquest reference 0419/2024 was read out.", "id_number", "0419/2024"),
        ("policy no. P/141121/01/2023/004578 covered it", "id_number", "P/141121/01/2023/004578"),
        ("收款账户：6230 5801 2233 4719 006", "id_number", "6230 5801 2233 4719 006"),
        ("护士小叶（叶晓雯）说", "nickname", "小叶"),
        ("8.6　入院，血液科", "date", "8.6"),
    ],
)
def test_more_contact_and_age_forms_are_flagged(sentence, kind, expected):
    assert any(f.kind == kind and expected in f.text for f in find_identifiers(sentence)), find_identifiers(
        sentence
    )


# Shapes the fourth and fifth blind batches showed missing (stop 22); sentences are our own, people invented.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("She grew up in Tūrangawaewae and moved to Ōtaki.", "Ōtaki"),
        ("Tevita, who's eleven, hates hospital food.", "eleven"),
        ("Gwen left home at sixteen and never looked back.", "sixteen"),
        ("Cards from Ivo (6) and Petra (9) lined the window.", "(6)"),
        ("Patient here, 58F. Two cycles in.", "58F"),
        ("Just before his fourth birthday the bruises began.", "fourth birthday"),
        ("By the time she was four days old she needed oxygen.", "four days old"),
        ("Her review is on the 19th, so fingers crossed.", "the 19th"),
        ("The service starts at 2.30pm in the chapel.", "2.30pm"),
        ("His hospital number (K8812093) is on every letter.", "K8812093"),
        ("The van, 11-KY-2045, waited outside.", "11-KY-2045"),
        ("Ring the ward hotline at 6544 1290 any time.", "6544 1290"),
        ("Posted by u/lymph_dad_77 yesterday", "u/lymph_dad_77"),
        ("托豆豆妈妈带来了一封信。", "豆豆"),
        ("患者：蒋**  来自安徽", "蒋**"),
        ("求助人：周*航，今年十二岁。", "周*航"),
        ("班主任请冯校长也来看看孩子。", "冯校长"),
        ("地址：某路18号 邮编：315000", "315000"),
        ("她是四年级三班的学生。", "四年级三班"),
        ("孩子从出生5个月起就反复感染。", "出生5个月"),
        ("关注她的账号“@米粒妈的日记”了解近况。", "米粒妈的日记"),
        ("于先生每天都来陪护。", "于先生"),
        ("俞振邦今年退休。后来俞振邦又去复查。", "俞振邦"),
        ("发起人：柯明远（患者父亲）", "柯明远"),
        # From the seventh batch: names with no Han surname, everyday words as given names, known cities.
        ("牧民阿力木·托合提骑车来复诊。", "阿力木·托合提"),
        ("十二岁的岩温坐在窗边。岩温说他想回学校。", "岩温"),
        ("Meadow Thistlewood is nine. Later Meadow rang the bell.", "Meadow"),
        ("他从大庆赶来复查。", "大庆"),
        ("阿明每天下班都来陪她。", "阿明"),
        ("小雨妈妈在群里说孩子退烧了。", "小雨"),
        ("预约电话：(04)2205-3366。", "2205-3366"),
        ("Clinic on Sun 3/23, bring the forms.", "Sun 3/23"),
        # Ages in obituaries, alumni notes and birthday lists (stop 25, from the twentieth batch)
        ("She was 87 — eighty-eight in May, she kept telling us.", "87"),
        ("Odile (Varga) Brenner '61, 84, died at home.", "84"),
        ("She is the first resident to reach 100.", "100"),
        ("BIRTHDAYS Pim Oosterhout – 93 (4 April)", "93"),
        ("Residents: Ivy Marsh (12th, 91!), Len Cobb (17th)", "91"),
        ("Her grandson Kieran (nineteen) signed up too.", "nineteen"),
        ("Walter (a cheerful 86) spent a month on the ward.", "86"),
        ("先妣陈门吴氏享寿九十有二，生于1931年。", "享寿九十有二"),
    ],
)
def test_shapes_the_blind_batches_found_missing_are_flagged(sentence, expected):
    findings = find_identifiers(sentence)
    assert any(expected in f.text or f.text in expected for f in findings), findings


@pytest.mark.parametrize(
    "sentence",
    [
        "我和妈妈一起去了医院。",
        "妈妈经常说要按时吃药。",
        "他从美国和华南地区的研究中获益。",
        "主任医师查房后调整了方案。",
        "The 20th century brought antibiotics; the 3rd cycle was delayed.",
        "Results are due on the 2nd day of treatment.",
        "The trial hopes to reach 100 patients by spring; it was 40 last year.",
        "Phase 2 (2023) enrolled Adults (18 to 65).",
        "他一生享有盛誉，也享受过平静的晚年。",
    ],
)
def test_the_new_shapes_leave_ordinary_words_alone(sentence):
    assert find_identifiers(sentence) == [], find_identifiers(sentence)


def test_in_chinese_text_the_english_patterns_point_at_the_original_characters():
    text = (
        "联系人：邹先生，电话 0571-8765 4321，邮箱 helper@example.org。2023年3月5日入院，Dr Lena Marsh 主刀。"
    )
    findings = find_identifiers(text)
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert {"helper@example.org", "Lena Marsh"} <= {f.text for f in findings} | {
        f.text.removeprefix("Dr ") for f in findings
    }
