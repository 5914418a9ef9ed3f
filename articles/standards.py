"""What the desk holds health news to: the checks a text meets before it goes to review, and the questions
its medical reviewer answers at sign-off.

The checks (`check_article`) run in the article form as the writer types and again at submission, where
those the desk set to "block" in `NEWSDESK_CONTENT_CHECKS` refuse it and the rest warn. They read an
article instance, saved or not, and nothing else: the form's live check builds one from what is typed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import REVIEW_ANSWERS, REVIEW_QUESTIONS, StudyPhase, StudyType
from articles.richtext import plain_text

BLOCK, WARN, OFF = "block", "warn", "off"
LEVELS = (BLOCK, WARN, OFF)
CHECKS = ("plain_summary", "reading_grade", "hype", "alt_text", "length", "evidence")
CHECKED_CHARACTERS = 100_000  # of each text: a pasted book is checked on its first pages, in bounded time


@dataclass(frozen=True)
class Finding:
    check: str  # a key of NEWSDESK_CONTENT_CHECKS
    field: str  # the form field it is about
    message: str
    blocking: bool = False


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    grades: dict[str, float] = field(default_factory=dict)  # field -> reading grade, where measured

    @property
    def reading_target(self) -> int:
        return settings.NEWSDESK_READING_GRADE

    @property
    def grade_lines(self) -> list[tuple[str, float]]:
        return [(FIELD_NAMES[name], grade) for name, grade in self.grades.items()]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


def check_level(check: str) -> str:
    return settings.NEWSDESK_CONTENT_CHECKS.get(check, WARN)


def check_article(article, image_alts: list[str] | None = None) -> Report:
    """Every content check the desk runs, on `article` as it is now (saved or not), with the alt texts of
    its pictures in the text (`image_alts`: as typed in the form; else as saved)."""
    report = Report()
    texts = {
        "title": article.title or "",
        "standfirst": article.standfirst or "",
        "plain_summary": article.plain_summary or "",
        "body": plain_text(article.body or ""),
    }
    texts = {name: text[:CHECKED_CHARACTERS] for name, text in texts.items()}
    for check, found in [
        ("plain_summary", _plain_summary(article)),
        ("reading_grade", _reading_grades(texts, report.grades)),
        ("hype", _hype(texts)),
        ("alt_text", _alt_texts(article, image_alts)),
        ("length", _lengths(texts)),
        ("evidence", _evidence(article)),
    ]:
        level = check_level(check)
        if level != OFF:
            report.findings += [Finding(check, f.field, f.message, level == BLOCK) for f in found]
    return report


def submission_problems(article) -> list[str]:
    """What the desk's blocking checks say stands between `article` and review."""
    return [f.message for f in check_article(article).blocking]


# --- The plain-language summary ---------------------------------------------------------------------


def _plain_summary(article) -> list[Finding]:
    if not (article.plain_summary or "").strip():
        return [
            Finding(
                "plain_summary",
                "plain_summary",
                _("Write the plain-language summary: two to four short sentences a patient can follow."),
            )
        ]
    return []


# --- Reading grade ------------------------------------------------------------------------------------

GRADED_FIELDS = ("standfirst", "plain_summary", "body")
FEWEST_WORDS = 12  # fewer than this and a reading grade means little
FIELD_NAMES = {
    "title": gettext_lazy("headline"),
    "standfirst": gettext_lazy("standfirst"),
    "plain_summary": gettext_lazy("plain-language summary"),
    "body": gettext_lazy("body"),
}


def _reading_grades(texts: dict[str, str], grades: dict[str, float]) -> list[Finding]:
    target = settings.NEWSDESK_READING_GRADE
    found = []
    for name in GRADED_FIELDS:
        grade = reading_grade(texts[name])
        if grade is None:
            continue
        grades[name] = grade
        if grade > target:
            found.append(
                Finding(
                    "reading_grade",
                    name,
                    _("The %(field)s reads at school grade %(grade)s; the desk aims for %(target)s or "
                      "below. Use shorter sentences and everyday words, and explain medical terms.")
                    % {"field": FIELD_NAMES[name], "grade": f"{grade:.0f}", "target": target},
                )
            )  # fmt: skip
    return found


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_chinese(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    return bool(letters) and len(HAN.findall(text)) / letters > 0.3


def reading_grade(text: str) -> float | None:
    """The school grade a reader needs for `text`: Flesch-Kincaid for English (textstat), and for Chinese
    an estimate of the same scale from sentence length and the share of uncommon words. None when the
    text is too short to say."""
    text = text.strip()
    if not text:
        return None
    if is_chinese(text):
        return _chinese_grade(text)
    import textstat  # loads its pronouncing dictionary on first use: only the desk's processes pay

    if textstat.lexicon_count(text) < FEWEST_WORDS:
        return None
    return max(0.0, round(textstat.flesch_kincaid_grade(text), 1))


CHINESE_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def _chinese_grade(text: str) -> float | None:
    import rjieba
    from wordfreq import zipf_frequency

    sentences = [s for s in CHINESE_SENTENCE_END.split(text) if HAN.search(s)]
    words = [w for w in rjieba.cut(text) if HAN.search(w)]
    if len(words) < FEWEST_WORDS or not sentences:
        return None
    characters = sum(len(HAN.findall(s)) for s in sentences)
    per_sentence = characters / len(sentences)
    uncommon = sum(1 for w in words if zipf_frequency(w, "zh") < 3.0) / len(words)
    # On the Flesch-Kincaid scale: a sentence of 20 characters is about a sentence of 10 English words.
    return max(0.0, round(0.2 * per_sentence + 40 * uncommon - 2.0, 1))


# --- Hype -----------------------------------------------------------------------------------------------

# Words that sell a treatment rather than report it, as health-news reviewers list them.
HYPE_EN = [
    r"break-?throughs?", r"ground-?breaking", r"game[- ]?chang(?:er|ers|ing)", r"miracles?",
    r"miraculous(?:ly)?",
    r"cur(?:e|es|ed|ing)", r"revolution(?:ary|i[sz]e[sd]?|i[sz]ing)", r"wonder drugs?", r"magic bullets?",
    r"silver bullets?", r"holy grail", r"life-?chang(?:ing|er)", r"unprecedented", r"paradigm shift",
    r"transformative", r"landmark", r"astonishing(?:ly)?", r"stunning(?:ly)?", r"amazing(?:ly)?",
    r"incredible", r"remarkabl[ey]", r"spectacular(?:ly)?", r"extraordinary", r"dramatic(?:ally)?",
    r"first-ever", r"world-first", r"cutting-edge", r"state-of-the-art", r"new hope", r"beats? cancer",
    r"revolutions?", r"home runs?", r"(?:medical )?marvels?", r"jaw-dropping", r"life[- ]?savers?",
    r"first[- ]of[- ]its[- ]kind", r"quantum leaps?", r"triumphs?", r"most exciting", r"biggest advance",
    r"countless lives", r"second chance at life", r"changes? everything", r"rewrites? the (?:text)?books?",
    r"a thing of the past", r"once and for all", r"game over", r"one weird trick", r"finally here",
    r"the answer to", r"(?:world's|the) most advanced", r"cracked", r"all (?:cancers|diseases)",
]  # fmt: skip
# Claims of certainty, safety and permanence that no study makes: "proves", "100% effective", "forever".
OVERCLAIMS_EN = [
    r"prove[sdn]?",
    r"100 ?(?:%|per ?cent|percent) (?:effective|safe|accura\w*|success\w*|cure\w*|protect\w*)",
    r"(?:completely|totally|perfectly|entirely) safe", r"risk-free", r"no side[- ]effects",
    r"without (?:any )?side[- ]effects", r"side[- ]effect[- ]free",
    r"guarantee[sd]?", r"forever", r"for good", r"never (?:again|have to worry)", r"zero risk",
    r"the end of \w+", r"rid \w+ of", r"wipes? out", r"wiped out", r"eradicat(?:es?|ed|ing)",
    r"slash(?:es|ed)?",
    r"melts? away", r"in (?:its|their) tracks", r"conquer(?:s|ed)?", r"ends? (?:migraines?|cancer|diabetes|"
    r"pain|epilepsy|seizures|allergies|asthma|obesity|dementia|alzheimer's)", r"boosts? (?:your )?immunity",
    r"keeps? (?:colds?|flu|cancer|disease) away",
]  # fmt: skip
# Medical and regulatory names that contain one of them.
NOT_HYPE_EN = re.compile(
    r"break-?through (?:therapy|therapies|device|devices|designation|status|medicine|program|programme)"
    r"|break-?through (?:pain|infections?|bleeding|seizures?|disease|neutropenia|fever|symptoms?)"
    r"|cure rates?|cure fraction|curing light|dramatic(?:ally)? (?:drop|fall|decline|rise|increase)"
    r"|cured (?:meats?|hams?|pork|fish|salmon|sausages?|foods?)|ground-?breaking (?:ceremony|event)"
    r"|(?:to|must|will|would|could|can|may|might|yet|not) prove\b"
    r"|cracked (?:ribs?|teeth|tooth|bones?|skin|heels?|lips?|nipples?)",
    re.IGNORECASE,
)
NEGATIONS_EN = re.compile(
    r"(?:\b(?:not|no|never|nor|neither|without|\w+n't|\w+n’t|cannot|far from|rather than|instead of|hardly|"
    r"nothing like|not yet|no longer|too (?:early|soon) to)\b(?:\W+\w+){0,2}"
    r"|\bshort of\b(?:\W+\w+){0,4}|\bso-called"
    # Declining a word: "warned against calling it a breakthrough", "would not use the word miracle".
    r"|\b(?:not|never|\w+n't|\w+n’t|against|avoid\w*|resist\w*|refus\w+ to|reluctant to|wary of|"
    r"cautio\w+ against|too (?:early|soon) to)\W+"
    r"(?:\w+\W+){0,5}?(?:call\w*|use the (?:word|term)|label\w*|describ\w+|term\w*)(?:\W+\w+){0,5})\W*$",
    re.IGNORECASE,
)
EMPHASIS_EN = re.compile(
    r"\b(?:not (?:just|only|merely|simply)|nothing short of|no less than)\W+(?:\w+\W+){0,1}$", re.IGNORECASE
)
HYPE_ZH = [
    "突破性", "重大突破", "历史性突破", "奇迹", "神奇", "神药", "特效药", "治愈", "根治", "痊愈", "革命性",
    "颠覆性", "颠覆", "里程碑", "划时代", "史无前例", "前所未有", "重磅", "攻克", "福音", "神器", "药到病除",
    "新希望", "希望之光", "世界首创", "全球首个", "全球首例", "国际领先", "填补空白", "彻底改变", "起死回生",
    "救命药", "妙手回春", "重获新生", "新纪元", "特效", "奇效", "神效", "一次见效", "立竿见影", "完全消失",
    "告别病痛", "一劳永逸", "令人震惊", "改写.{0,6}命运", "彻底摆脱", "零副作用", "无副作用",
    "没有任何副作用", "完全没有副作用", "绝对安全", "零(?:风险|失误|并发症|复发)", "一[片次针剂贴]见效",
    "彻底(?:告别|摆脱|取代|治愈|治好|根除|改变|消除|解决)", "再也不", "永不", "终结", "消灭", "逆转",
    "横空出世",
    "没有之一", "(?:全球|世界|国际)?最先进", "(?:安全性|准确率|有效率|保护率|治愈率|成功率)(?:达|高达)?100%",
    "100%(?:有效|治愈|安全)", "终身免疫", "不再复发", "根除", "克星", "所有癌症", "一切癌症", "百病",
]  # fmt: skip
NOT_HYPE_ZH = re.compile(
    r"突破性(?:治疗|疗法)(?:药物|品种|认定|资格)|突破性(?:出血|疼痛|感染)|突破痛|治愈率(?!(?:达|高达)?100%)|治愈系|根治性|"
    r"根治术|一针见血|爆发痛|根除(?:治疗|方案|率)|逆转录"
    r"|\S{0,8}(?:奇迹|神奇|希望|福音)\S{0,6}(?:基金会?|协会|公益|项目|计划|中心)"  # an organisation's name
)
NEGATIONS_ZH = re.compile(
    r"(?:不是|并非|并不|不等于|不代表|不意味着|不足以|不能|无法|尚无|暂无|尚不能|尚未|不会|没有|谈不上|远非|而非|"
    r"不可能|不算|不必|不要|切勿|别把|谨慎使用)\S{0,8}$"
)  # fmt: skip

TOO_EARLY_ZH = re.compile(r"\S{0,6}(?:为时尚早|为时过早|言之过早)")
# A cause or a certainty claimed from a study that cannot show one: a survey, an observation, an animal.
WEAK_EVIDENCE = re.compile(
    r"\b(?:survey|questionnaire|observational|cohort|mice|mouse|rats?|worms?|animals?|zebrafish|yeast|"
    r"lab dish|petri dish|in the lab|cell cultures?)\b|调查|问卷|观察性|小鼠|大鼠|动物|线虫|细胞实验",
    re.IGNORECASE,
)
CAUSAL_CLAIMS = re.compile(
    r"(?<![\w-])(?:prevents?|protects?|will protect|reverses?|stops?|causes?|cures?|boosts?|lowers? your|"
    r"adds? (?:\w+ ){0,2}(?:years|decades) to your life)(?![\w-])"
    r"|能预防|可预防|预防|证明|证实|能逆转|逆转|延长\S{0,3}年|活到\d+岁",
    re.IGNORECASE,
)
HYPE_PATTERN = re.compile(
    r"(?<![\w-])(?:" + "|".join(HYPE_EN + OVERCLAIMS_EN) + r")(?![\w-])|" + "|".join(HYPE_ZH), re.IGNORECASE
)


def hype_phrases(text: str) -> list[str]:
    """The hype words of `text` as written, each once, in order; negated uses ("not a cure", "并非根治") and
    the names of designations and symptoms ("Breakthrough Therapy designation", "breakthrough pain")
    are not hype."""
    excused = [m.span() for m in NOT_HYPE_EN.finditer(text)] + [m.span() for m in NOT_HYPE_ZH.finditer(text)]
    headline = _title_case(text)
    found = []
    for match in HYPE_PATTERN.finditer(text):
        start, end = match.span()
        if any(a <= start < b or a < end <= b for a, b in excused):
            continue
        before = text[max(0, start - 40) : start]
        clause = re.split(r"[.;:!?。；：！？,，]", before)[-1]
        if HAN.match(match.group()) or match.group()[:1].isdigit():
            if NEGATIONS_ZH.search(clause) or TOO_EARLY_ZH.match(text, end):
                continue
        elif (NEGATIONS_EN.search(clause) and not EMPHASIS_EN.search(clause)) or _in_a_name(
            text, match, headline
        ):
            continue
        if match.group() not in found:
            found.append(match.group())
    for sentence in re.split(r"(?<=[.!?。！？])\s*", text):
        if WEAK_EVIDENCE.search(sentence):
            for match in CAUSAL_CLAIMS.finditer(sentence):
                clause = re.split(r"[.;:!?。；：！？,，]", sentence[: match.start()])[-1]
                negated = NEGATIONS_ZH if HAN.match(match.group()) else NEGATIONS_EN
                if not negated.search(clause) and match.group() not in found:
                    found.append(match.group())
    return found


def _in_a_name(text: str, match, headline: bool) -> bool:
    """A capital letter inside a sentence marks a name: "Children's Miracle Network", "Race for the Cure",
    "Breakthrough T1D". Not in a headline with a capital to every word."""
    word = match.group()
    if not word[:1].isupper() or headline or (len(word) > 2 and word.isupper()):
        return False  # lower case, a headline's capitals, or shouting
    before = text[max(0, match.start() - 60) : match.start()].rstrip()
    if not before or before[-1] in ".!?:;\"“‘'(–—-\n":
        return False  # the start of a sentence or a quote
    near = (
        re.findall(r"[\w'’-]+", before)[-3:]
        + re.findall(r"[\w'’-]+", text[match.end() : match.end() + 40])[:1]
    )
    return any(w[:1].isupper() for w in near)


def _title_case(text: str) -> bool:
    """A headline with a capital to most words: short, one sentence."""
    if len(text) > 200 or re.search(r"[.!?]\s+\S", text.strip()):
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    long_words = [w for w in words if len(w) > 3]
    if not long_words or len(words) > 16:
        return False
    return sum(w[0].isupper() for w in long_words) / len(long_words) > 0.6


def _hype(texts: dict[str, str]) -> list[Finding]:
    found = []
    for name, text in texts.items():
        phrases = hype_phrases(text)
        if phrases:
            quoted = ", ".join(f"“{p}”" for p in phrases)
            found.append(
                Finding(
                    "hype",
                    name,
                    _("The %(field)s says %(words)s. Say what was found, for whom and how sure it is, "
                      "instead of how exciting it is.")
                    % {"field": FIELD_NAMES[name], "words": quoted},
                )
            )  # fmt: skip
    return found


# --- Alt text -----------------------------------------------------------------------------------------

IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)\b", re.IGNORECASE)
CAMERA_NAME = re.compile(
    r"^(?:IMG|DSC|DSCN|DSCF|PXL|DCIM|MVIMG|P\d{3,}|Screenshot|Screen Shot|photo|image|mmexport|微信图片|"
    r"截图|屏幕截图|(?:WhatsApp|WeChat|Signal|Telegram) (?:Image|Photo))[\s_-]*[\d_-]{3,}"
    # A camera or a phone, named alone: "Shot on iPhone 14 Pro", "Canon EOS R5", "华为Mate 60 Pro拍摄".
    r"|^(?:shot on |taken with |photographed (?:on|with) )?(?:iPhone|Canon|Nikon|Sony|Fujifilm|Olympus|Leica|"
    r"Panasonic|Samsung|Galaxy|Pixel|Huawei|Xiaomi|OPPO|vivo|华为|小米|荣耀|苹果)[\w\s-]*?\d[\w\s-]*?(?:拍摄)?$"
    r"|^shot on \w+",
    re.IGNORECASE,
)  # fmt: skip
PLACEHOLDERS = {
    "image", "img", "photo", "photograph", "picture", "pic", "graphic", "figure", "untitled", "alt",
    "alt text", "alt text here", "insert alt text", "image description", "description here", "placeholder",
    "hero", "hero image", "banner", "thumbnail", "icon", "logo", "null", "none",
    "n/a", "todo", "tbd", "test", "图片", "照片", "图", "配图", "插图", "无标题", "图像", "示意图", "头图",
}  # fmt: skip
STOCK_AGENCY = re.compile(
    r"(?:getty(?: images)?|shutterstock|istock(?:photo)?|alamy|adobe stock|unsplash|pexels|reuters|"
    r"ap(?: photo)?|afp|xinhua|视觉中国|图虫|新华社|东方ic|全景网)(?:[\s/_-]*[\w.-]*\d[\w.-]*)?"
)  # an agency's name alone, or with its picture's number
CREDIT_ONLY = re.compile(
    r"^(?:photo|image|picture|credit|courtesy|source|©|\(c\)|图片来源|图片|摄影|图|来源|供图)\s*(?:by|:|：|/)?\s*"
    r"\S.{0,60}$|^©",
    re.IGNORECASE,
)


def alt_text_problem(alt: str) -> str | None:
    """Why `alt` does not describe a picture (a file name, a placeholder, a credit line), or None."""
    text = unicodedata.normalize("NFKC", alt).strip()
    bare = text.strip(" .:-_\"'“”").lower()
    if not text:
        return _("Describe the picture for readers who cannot see it.")
    if re.match(r"^(?:https?://|www\.)", bare):
        return _("The alt text is a web address. Describe what the picture shows instead.")
    if (
        IMAGE_FILE.search(text)
        or CAMERA_NAME.match(text)
        or re.fullmatch(r"[a-z0-9_.-]*\d[a-z0-9_.-]*", bare)
    ):
        return _("The alt text looks like a file name. Describe what the picture shows instead.")
    if bare in PLACEHOLDERS or re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", bare):
        return _("The alt text is a placeholder. Describe what the picture shows instead.")
    if STOCK_AGENCY.fullmatch(bare):
        return _("The alt text is a credit line. Put it in the credit field and describe the picture here.")
    if CREDIT_ONLY.match(text) and not _describes(text):
        return _("The alt text is a credit line. Put it in the credit field and describe the picture here.")
    return None


def _describes(text: str) -> bool:
    """A credit-like start followed by a real description ("Photo of the new lab at dusk")."""
    return bool(re.match(r"^(?:photo|image|picture)\s+(?:of|showing|shows)\s+\w", text, re.IGNORECASE))


def _alt_texts(article, image_alts) -> list[Finding]:
    found = []
    if (article.hero_alt or "").strip() and (problem := alt_text_problem(article.hero_alt)):
        found.append(Finding("alt_text", "hero_alt", problem))
    if image_alts is None:
        image_alts = list(article.images.values_list("alt", flat=True)) if article.pk else []
    for alt in image_alts:
        if problem := alt_text_problem(alt):
            found.append(
                Finding("alt_text", "images", _("A picture in the text: %(problem)s") % {"problem": problem})
            )
    return found


# --- Lengths -------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Characters as a page lays them out: a Chinese character takes two columns, as it does on screen."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.strip())


def _lengths(texts: dict[str, str]) -> list[Finding]:
    found = []
    for name, (shortest, longest) in settings.NEWSDESK_TEXT_LENGTHS.items():
        width = display_width(texts.get(name, ""))
        if not width:
            continue
        if width > longest:
            message = _("The %(field)s is %(n)s characters long; keep it under %(most)s so it is read whole "
                        "in lists and search results.")  # fmt: skip
        elif width < shortest:
            message = _(
                "The %(field)s is %(n)s characters long; at least %(least)s says enough to choose it by."
            )
        else:
            continue
        found.append(
            Finding("length", name, message % {"field": FIELD_NAMES[name], "n": width, "most": longest,
                                               "least": shortest})
        )  # fmt: skip
    return found


# --- Evidence at a glance -------------------------------------------------------------------------------


def _evidence(article) -> list[Finding]:
    if not article.study_type:
        return []
    found = []
    if not article.study_phase:
        found.append(
            Finding("evidence", "study_phase",
                    _("Research news: give the trial's phase, or say it is not a trial of a medicine."))
        )  # fmt: skip
    if not article.study_size and article.study_type != StudyType.LABORATORY:
        found.append(
            Finding("evidence", "study_size", _("Research news: say how many people took part in the study."))
        )
    if article.study_type == StudyType.LABORATORY and article.study_phase not in ("", StudyPhase.NONE):
        found.append(
            Finding(
                "evidence",
                "study_phase",
                _("A laboratory or animal study has no trial phase: choose “No phase”."),
            )
        )
    return found


# --- The medical reviewer's questions --------------------------------------------------------------------


def answers_problem(answers: dict) -> str | None:
    """Why `answers` are not one known answer to each review question (`REVIEW_QUESTIONS`), or None."""
    if set(answers) != set(REVIEW_QUESTIONS) or not all(a in REVIEW_ANSWERS for a in answers.values()):
        return _("Answer each of the review questions before signing off.")
    return None
