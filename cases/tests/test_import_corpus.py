"""The document importer measured on documents written blind, by helpers who never read it (see
cases/tests/import_corpus.py). Each batch's first figure, scored before the importer was changed for it, is
its result; the floors below keep what the importer has since reached.

The blind batch: 32 raw documents by two helpers (11 HTML pages, 8 text dumps, 4 Markdown, 6 Word, 5 PDF
of which one is a scan with no text layer), 10 in Chinese (GB18030, GBK, Big5, UTF-8, UTF-8 with BOM, Word
and PDF), 14 following one patient; modelled on real pages, people invented.

| batch | documents (Chinese) | headlines | required tags | tag precision | forbidden | stories found | false stories | clutter lines per document | markup in headlines |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| blind, scored before any change (stop 24) | 32 (10) | 38.7% | 44.6% | 93.0% | 6 | 14.3% | 1 | 5.90 | 0 |
| blind, after Word, PDF, trafilatura and headlines (stop 24, tuned) | 32 (10) | 87.1% | 62.4% | 93.8% | 7 | 28.6% | 1 | 3.23 | 0 |
| blind, after Chinese names, salience and one-person stories (stop 24, tuned) | 32 (10) | 87.1% | 91.1% | 99.2% | 1 | 92.9% | 1 | 3.23 | 0 |
| blind, after label headlines and mastheads above the headline dropped (stop 24, tuned) | 32 (10) | 90.3% | 92.1% | 99.2% | 1 | 92.9% | 1 | 2.48 | 0 |

The fresh batch: 16 raw documents by a third helper, written after the changes above and never tuned to
(5 Chinese; 5 HTML, 3 text, 2 Markdown, 3 Word, 3 PDF of which one is a scan; 7 stories). It was stop 24's result.

| fresh, the result (stop 24, never tuned to) | 16 (5) | 73.3% | 83.8% | 92.7% | 2 | 71.4% | 0 | 1.87 | 0 |

After it was scored, one of its misses (a label headline lost to a "Donate" link) led to the last change
above; the batch then gives headlines 80.0% and 1.20 clutter lines per document, no longer a result.

The second fresh batch: 18 raw documents by two more helpers during stop 25 (6 Chinese: Big5, GBK, GB18030,
Word, PDF and a 公众号 page; 5 HTML, 4 text, 2 Markdown, 3 Word, 4 PDF of which one a scan; 10 stories),
scored before any change for it, then tuned to:

| second, scored before any change (stop 25) | 18 (6) | 82.4% | 96.4% | 95.7% | 2 | 90.0% | 0 | 2.88 | 0 |
| second, after page furniture, letterheads and PDF reflow (stop 25, tuned) | 18 (6) | 100% | 96.4% | 95.8% | 2 | 90.0% | 0 | 0.00 | 0 |
| second, after therapies not received, Taiwan names, stories told by a polite name (stop 25, tuned) | 18 (6) | 100% | 98.2% | 98.6% | 0 | 100% | 0 | 0.00 | 0 |

The same changes gave the blind batch headlines 100% and 0.23 clutter lines per document, and the first
fresh batch headlines 100% and 0.87.

The third fresh batch: 18 raw documents by two more helpers, written while the second was tuned to and
scored after every change above, never tuned to (6 Chinese: GB18030, UTF-8 with BOM, traditional UTF-8,
Word, PDF; 6 HTML, 5 text, 2 Markdown, 3 Word, 2 PDF; 10 stories):

| third, scored after the changes, never tuned to (stop 25) | 18 (6) | 88.9% | 91.8% | 97.5% | 2 | 90.0% | 0 | 1.78 | 0 |

Against the goals it meets required tags, stories and markup; headlines (88.9%), forbidden tags (2) and
clutter (1.78 lines per document) fall short. It was then tuned to (calls to action and asides on their own
line, wire and leaflet furniture, a publisher's name as a page's h1 or first title part, Chinese prose
ending in a quote no longer taken for a heading, steroids and gene editing by their Chinese names):

| third, tuned (stop 25) | 18 (6) | 100% | 95.1% | 97.7% | 2 | 90.0% | 0 | 0.39 | 0 |
| third, after first-person stories (stop 25, tuned) | 18 (6) | 100% | 96.7% | 97.7% | 2 | 100% | 0 | 0.39 | 0 |

The fourth fresh batch, 18 raw documents by two more helpers written while the third was tuned to, scored
after every change and never tuned to, was the result until the fifth (7 Chinese: GBK, Big5, GB18030, UTF-8, traditional
Word, PDF; 7 HTML, 4 text, 2 Markdown, 3 Word, 2 PDF of which one a scan; 9 stories):

| fourth, the result (stop 25, never tuned to) | 18 (7) | 70.6% | 78.7% | 98.3% | 1 | 77.8% | 0 | 1.88 | 0 |

It falls short of every goal but markup, and shows what the tuned batches hid: a US release that puts its
media contact above the headline lost its whole article (the contact line ended the release), letterheads
written "NAME | address | city" and "医院 · 新闻稿" were taken for headlines, a forum thread's furniture stayed.
Those were then mended, and therapies gained the drug names writers use (rituximab's and ibrutinib's
Chinese names, PD-1抑制剂, 类固醇, 海洋性贫血 for thalassaemia):

| fourth, tuned (stop 25) | 18 (7) | 88.2% | 95.1% | 97.2% | 1 | 88.9% | 0 | 1.06 | 0 |

The fifth fresh batch, 18 raw documents by two more helpers written while the fourth was tuned to, scored
once after every change and never tuned to, is the final result of stop 25 (6 Chinese: GBK, Big5,
GB18030, UTF-8, Word, PDF; 6 HTML, 4 text, 1 Markdown, 3 Word, 3 PDF of which one a scan; 10 stories):

| fifth, the result (stop 25, never tuned to) | 18 (6) | 88.2% | 92.6% | 97.1% | 1 | 100% | 0 | 1.12 | 0 |

Against the goals: required tags, stories and markup hold; headlines (88.2%, goal 90%), one forbidden tag
(Non-Hodgkin lymphoma in a Hodgkin story) and clutter (1.12 lines per document, goal 1) fall just short.
After it was scored, two of its misses were mended (a Chinese skip link, 跳转到主要内容, taken for the
headline; a Taiwan paper's leading "〔記者…／嘉義報導〕" credit): it then gives headlines 94.1% and 0.88
clutter lines per document, no longer a result.

Stop 26 then tuned to the fifth (a release's dateline, blog and video furniture, press-office contact lines,
Chinese headlines written "X：…", a disease named for contrast beside the one the piece is about): it gives
headlines 100%, required tags 92.6%, no forbidden tag and 0.18 clutter lines per document.

The sixth fresh batch, 18 raw documents by two more helpers written while the fifth was tuned to, scored
once after every change and never tuned to (8 Chinese: GB18030, Big5 twice, GBK, UTF-8 with BOM twice, two
PDFs; 5 HTML, 4 text, 2 Markdown, 4 Word, 3 PDF; 8 stories), is stop 26's blind figure:

| sixth, scored before any change for it (stop 26) | 18 (8) | 72.2% | 83.9% | 96.8% | 2 | 62.5% | 0 | 1.44 | 0 |

It falls short of every goal but markup and false stories: the importer's rules still carry what the
batches before taught them, and a new batch finds new shapes (a WeChat article's account line above its
headline, a letterhead naming an NHS trust, a Taiwan page dump's menu of single words, stories told in the
first person in traditional Chinese).

It was then tuned to (an NHS trust's letterhead and its postal address, a page headline "Neuroblastoma:
Finley's Story", a copied title's site name, a menu of single words under the headline, a PDF's running
header, a Chinese story told of a pseudonym "小宇（化名）" or in the first person, Taiwan's 硬皮症 and 标靶,
mycophenolate and ciclosporin in Chinese, a therapy the patient only read about):

| sixth, tuned (stop 26) | 18 (8) | 100% | 98.2% | 98.6% | 1 | 100% | 0 | 0.06 | 0 |

The same changes gave every earlier batch headlines 100%, and the first fresh batch stories 85.7% (from
71.4%) and 0.13 clutter lines per document.

The seventh fresh batch, 18 raw documents by two more helpers written while the sixth was tuned to, scored
once after every change and never tuned to (8 Chinese: GB18030, Big5 twice, GBK, UTF-8 with BOM twice, two
PDFs; 5 HTML, 4 text, 2 Markdown, 4 Word, 3 PDF; 9 stories, one told in the first person), is stop 26's
result:

| seventh, the result (stop 26, never tuned to) | 18 (8) | 88.9% | 88.9% | 98.4% | 1 | 100% | 0 | 2.33 | 0 |

Stories and markup hold; headlines (16 of 18: a newspaper's name above a first-person piece, a PDF's
"Page 1"), required tags (88.9%), one forbidden tag and clutter (2.33 lines per document, 28 of its 42
in a forum thread's furniture and a disease encyclopaedia's rails of related diseases and questions) do
not.

It was then tuned to (a forum's furniture, rails of related questions and diseases, page controls, a
two-sentence headline under a newspaper's name, vasculitis by its kinds and gene therapy as gene editing):

| seventh, tuned (stop 26) | 18 (8) | 100% | 93.3% | 100% | 0 | 100% | 0 | 0.22 | 0 |

The eighth fresh batch, 18 raw documents by two more helpers written while the seventh was tuned to, scored
once after every change and never tuned to (8 Chinese: GB18030, Big5 twice, GBK, UTF-8, UTF-8 with BOM,
two PDFs; 5 HTML, 4 text, 2 Markdown, 4 Word, 3 PDF; 9 stories, one told in the first person), is the
last result of stop 26:

| eighth, the result (stop 26, never tuned to) | 18 (8) | 83.3% | 90.7% | 100% | 0 | 77.8% | 0 | 0.83 | 0 |

Required tags (90.7%), forbidden tags (none), clutter (0.83 lines per document) and markup hold; headlines
(15 of 18: a Taiwan portal's name, an embargo line, a PDF headline wrapped over two lines) and stories (7
of 9: a Taiwan story of a 91-year-old told by her polite name, a first-person Big5 story) do not.

It was then tuned to (a story told by "我" in sentences about her own care, a grandmother called 阿嬤,
a site's name in two languages, an embargo line, a PDF headline wrapped after "with"):

| eighth, tuned (stop 26) | 18 (8) | 100% | 94.4% | 100% | 0 | 100% | 0 | 0.78 | 0 |

The ninth fresh batch, 16 raw documents by two more helpers written while the eighth was tuned to, scored
once after every change and never tuned to (7 Chinese: GB18030, Big5 twice, GBK, UTF-8, UTF-8 with BOM,
a PDF; 4 HTML, 3 text, 2 Markdown, 4 Word, 3 PDF; 8 stories, one told by the patient's daughter and one
in the first person):

| ninth, the result (stop 26, never tuned to) | 16 (7) | 93.8% | 96.6% | 98.7% | 1 | 100% | 0 | 0.69 | 0 |

Every goal holds but one: a single forbidden tag (dialysis, in a lupus story where it was only a risk she
was warned about). The headline miss is a Chinese PDF whose letterhead and page number came first.

It was then tuned to (a story's diagnosis named once, a therapy she was only warned she might need, a
dateline "EASTVALE, Ohio (June 18, 2024) --", a page header "新闻稿第1页" above a Chinese headline, Taiwan
page furniture, 地中海型贫血 by migration 0018):

| ninth, tuned (stop 26) | 16 (7) | 100% | 100% | 100% | 0 | 100% | 0 | 0.06 | 0 |

The tenth fresh batch, 16 raw documents by two more helpers written while the ninth was tuned to, scored
once after every change and never tuned to (7 Chinese: GB18030, Big5 twice, GBK, UTF-8, UTF-8 with BOM,
a PDF; 4 HTML, 3 text, 2 Markdown, 4 Word, 3 PDF; 8 stories, one told in the first person):

| tenth, the result (stop 26, never tuned to) | 16 (7) | 100% | 98.0% | 100% | 0 | 87.5% | 0 | 0.25 | 0 |

Every goal holds but stories found: 7 of 8 (87.5%, goal 90%); the one missed is told in the first person
in English.

It was then tuned to (a first-person story in English: "I was 46 when…", "My oncologist", "I got my cells";
a WeChat repost header, a reading time, a "not medical advice" line):

| tenth, tuned (stop 26) | 16 (7) | 100% | 98.0% | 100% | 0 | 100% | 0 | 0.06 | 0 |

The eleventh fresh batch, 16 raw documents by two more helpers written while the tenth was tuned to, scored
once and never tuned to (7 Chinese: GB18030, Big5 twice, GBK, UTF-8, UTF-8 with BOM, a PDF; 4 HTML, 3
text, 2 Markdown, 4 Word, 3 PDF; 8 stories, two told in the first person), is stop 26's last result:

| eleventh, the result (stop 26, never tuned to) | 16 (7) | 87.5% | 92.2% | 96.5% | 2 | 100% | 0 | 0.75 | 0 |

Required tags, stories, clutter and markup hold; headlines (14 of 16: a Chinese breadcrumb above a text
dump's headline, a leaflet's programme line above a PDF's) and forbidden tags (a donor transplant and CAR-T
that were discussed but not given) do not.

It was then tuned to (a donor transplant "discussed and set aside", options a doctor "talked me through",
a list whose entries open with the disease, "2. 淋巴瘤：…", a leaflet's department line above its headline,
its help line and review dates, previous and next links, a Taiwan reporter's credit line, picture credits;
"supportive care" is no longer a synonym of palliative care, by migration 0019):

| eleventh, tuned (stop 27) | 16 (7) | 100% | 100% | 100% | 0 | 100% | 0 | 0.00 | 0 |

The twelfth fresh batch, 18 raw documents by two more helpers written while the eleventh was tuned to,
scored once after every change above and never tuned to (8 Chinese: GB18030, Big5 twice, GBK, UTF-8,
UTF-8 with BOM, Word, PDF; 4 HTML, 5 text, 3 Markdown, 3 Word, 3 PDF of which one a scan; 8 stories: a
boy of 9, a man of 67, a woman of 72, therapies discussed but not given), is stop 27's result:

| twelfth, the result (stop 27, never tuned to) | 18 (8) | 94.1% | 92.0% | 100% | 0 | 100% | 0 | 0.29 | 0 |

Every goal holds: headlines 16 of 17 (the scan has none; the miss is a breadcrumb "Patient Stories >
Blood Disorders" above a text dump's headline), required tags 92.0% with no forbidden tag, stories 8 of
8 with none false, 0.29 clutter lines per document, no markup, and the scan's error.

It was then tuned to (a one-step breadcrumb "Patient Stories > Blood Disorders", "Listen to this article · 5
min", "Read next:", a paywall counting "2 of your 3 free articles", "(opens in a new window)", a Taiwan
site's reminder line; Taiwan's names for hydroxychloroquine and MDS, two myeloma antibodies, by
migration 0021; a drug named in "a daratumumab-based combination"):

| twelfth, tuned (stop 27) | 18 (8) | 100% | 98.0% | 100% | 0 | 100% | 0 | 0.00 | 0 |

The goals, on a fresh batch never tuned to: headlines 90%, required tags 90% with no forbidden tag, stories
90%, at most one clutter line per document, no markup in any headline.
"""

import pytest

from cases.tests.import_corpus import score

pytestmark = pytest.mark.django_db

# (headlines, required tags, tag precision, forbidden, stories found, false stories, clutter per document)
FLOORS = {
    "blind": (1.0, 0.96, 0.99, 1, 0.92, 1, 0.15),
    "fresh": (1.0, 0.86, 0.95, 1, 0.85, 0, 0.15),
    "second": (1.0, 1.0, 0.98, 0, 1.0, 0, 0.05),
    "third": (1.0, 0.98, 0.98, 1, 1.0, 0, 0.4),
    "fourth": (1.0, 0.96, 0.97, 1, 0.88, 0, 0.25),
    "fifth": (1.0, 0.92, 0.98, 0, 1.0, 0, 0.15),
    "sixth": (1.0, 0.98, 0.98, 1, 1.0, 0, 0.1),
    "seventh": (1.0, 0.93, 1.0, 0, 1.0, 0, 0.25),
    "eighth": (1.0, 0.94, 1.0, 0, 1.0, 0, 0.7),
    "ninth": (1.0, 1.0, 1.0, 0, 1.0, 0, 0.1),
    "tenth": (1.0, 0.97, 1.0, 0, 1.0, 0, 0.1),
    "eleventh": (1.0, 1.0, 1.0, 0, 1.0, 0, 0.05),
    "twelfth": (1.0, 0.98, 1.0, 0, 1.0, 0, 0.05),
}


# `make test` scores the latest result; `make test-full` every batch, the first blind one included.
FAST = {"twelfth"}


@pytest.mark.parametrize(
    "batch", [pytest.param(batch, marks=() if batch in FAST else pytest.mark.slow) for batch in FLOORS]
)
def test_a_batch_keeps_what_the_importer_reached(batch, vocabulary, users):
    result = score(batch, by=users["writer"])
    figures = result.figures()
    print(f"\n[importer, {batch} batch]\n" + result.report())
    headlines, required, precision, forbidden, stories, false_stories, clutter = FLOORS[batch]
    assert figures["headlines"] >= headlines, result.misses
    assert figures["required_tags"] >= required, result.misses
    assert figures["tag_precision"] >= precision, result.misses
    assert figures["forbidden_tags"] <= forbidden, result.misses
    assert figures["stories_found"] >= stories, result.misses
    assert figures["false_stories"] <= false_stories, result.misses
    assert figures["clutter_per_document"] <= clutter, result.misses
    assert figures["markup_in_headlines"] == 0, result.misses
