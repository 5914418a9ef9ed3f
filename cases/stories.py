"""Patient stories in imported documents: whether a text follows one patient's course, and the facts of
it (sex, age band, treatment year, outcome in the third person, follow-up), in English and Chinese.
The importer (cases.importer) makes a draft story from them; the privacy gate then clears its text."""

import re
from collections import Counter
from dataclasses import dataclass

from articles.intake.documents import is_chinese, split_sentences


@dataclass
class PatientFacts:
    age: int | None = None
    age_band: str | None = None
    sex: str | None = None
    treatment_year: int | None = None
    outcome: str = ""
    follow_up: str = ""  # how long after treatment the story last saw the patient: "18 months", "一年"


_FEMALE = (
    r"woman|female|girl|lady|mother|grandmother|grandma|granny|wife|daughter|aunt|auntie|Ms\.?|Mrs\.?|Miss"
)
_MALE = r"man|male|boy|gentleman|father|grandfather|grandpa|husband|son|uncle|Mr\.?"
_GROUP_NOUNS = r"patients|participants|people|children|adults|women|men|subjects|volunteers|boys|girls"
_INDIVIDUAL = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<age>\d{{1,3}})[\s-]year[\s-]old\s+(?:(?:\w+\s+){{0,2}})?(?P<who>{_FEMALE}|{_MALE}|patient|child)\b"
    rf"|\b(?P<named>(?:Ms|Mrs|Mr|Miss)\.?\s+[A-Z]\w*|[A-Z][a-z]+),\s+(?:an?\s+)?(?P<age4>\d{{1,3}})(?:[\s-]year[\s-]old\b|,)"
    rf"|\b(?P<age2>\d{{1,3}})[\s-]year[\s-]old\s+(?P<honorific>(?:Ms|Mrs|Miss|Mr)\.?\s+[A-Z]\w*)"
    rf"|\b(?P<kin>Grandma|Grandpa|Granny|Grandpa|Uncle|Auntie|Aunt|Little|Brother|Sister|Old)\s+[A-Z][a-z]+"
    rf"|\b(?P<hon>(?:Ms|Mrs|Miss|Mr)\.?\s+[A-Z]\w*)\b"
    rf"|^[ \t]*Age[ \t]*[:：]\s*(?P<age3>\d{{1,3}})"
    rf"|\b(?:is|was|an?|aged)\s+(?P<age5>\d{{1,3}})(?:[\s-]years?[\s-]old\b(?!\s+(?:\w+\s+)?(?:{_GROUP_NOUNS})\b)|(?=[,.;]))"
    rf"|\b[Tt]he\s+(?:little\s+|young\s+|elderly\s+|old\s+)?(?P<who2>boy|girl|toddler|baby|grandmother|grandfather|old man|old woman)\b",
    re.MULTILINE,
)
_AGGREGATE = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of)\s+(?:\w+\s+){0,2}"
    rf"(?:{_GROUP_NOUNS})\b|\bcohort\b|\baged between\b|\b(?:\d+|two|three|four|five) of (?:the )?\d+\b",
    re.IGNORECASE,
)
_GENDER_LABEL = re.compile(
    r"^[ \t]*(?:gender|sex)[ \t]*[:：]\s*(female|male|f|m)\b", re.IGNORECASE | re.MULTILINE
)
_SINGULAR = r"\b(?:[Ss]he|[Hh]er|[Hh]e|[Hh]is|[Hh]im|the patient)\b"
_PATIENT_EVENT = re.compile(
    r"\b(?:diagnosed|received|underwent|undergoing|was treated|was given|relapsed|was admitted|developed|"
    r"was told|went home|was discharged|infused|had (?:a|an|two|three|several)\b|lived with|living with|"
    r"suffered|offered (?:him|her)|treated|remains? in|relapses?)",
    re.IGNORECASE,
)
_OUTCOME_WORDS = re.compile(
    r"\b(?:remission|relapse[sd]?|recurrence|recurred|disease[- ]free|symptom[- ]free|free of|cured|recovered|"
    r"normal|no longer|stopped|off (?:all )?(?:steroids|medication)|discharged|improved|disappeared|resolved|"
    r"survived|no (?:sign|signs|evidence|trace) of|complete response|back (?:to|at|on|behind|in)|"
    r"returned to (?:work|school)|doing well|are gone|is gone)\b",
    re.IGNORECASE,
)
_THERAPY_WORDS = re.compile(
    r"CAR[\s-]?T|transplant|chemotherapy|infusion|immunotherapy|radiotherapy|surgery|therapy|treatment", re.I
)
# A named treatment rather than "treatment": what a story's key therapy year hangs on.
_SPECIFIC_THERAPY = re.compile(
    r"CAR[\s-]?T|transplant|chemo|radiotherapy|radiation|surgery|operation|antibod|infusion|gene therapy|"
    r"immunotherapy|trial|\w+(?:mab|cel|nib|tinib|mib)\b",
    re.IGNORECASE,
)


_SAYS = re.compile(
    r"\b(?:she|he)\s+(?:said|says|added|adds|explained|explains|noted|notes|told|continued|warned|stressed|cautioned)\b",
    re.IGNORECASE,
)
_SINGULAR_WORDS = re.compile(r"\b(?:she|her|he|his|him)\b", re.IGNORECASE)
# A patient telling their own story: "I was diagnosed", "my lymphoma", "my consultant"
_FIRST_PERSON_PATIENT = re.compile(
    r"\bI\s+was\s+diagnosed\b|\bI\s+(?:had|have|needed|received|started)\s+(?:\S+\s+){0,4}?(?:\w+(?:a?emia|oma|itis|"
    r"osis|gravis)|lupus|cancer|disease|syndrome|disorder|transplant|transfusions?|chemo(?:therapy)?|infusions?)\b"
    r"|\b[Mm]y\s+(?:diagnosis|cancer|lymphoma|leuk(?:a)?emia|myeloma|lupus|tumou?r|treatment|transplant|"
    r"chemo(?:therapy)?|consultant|haematologist|hematologist|oncologist|relapse|GP|scans?|biopsy|infusion|"
    r"marrow|platelets|blood counts?|symptoms|medication|donor|(?:T[ -])?cells|temperature|blood pressure)\b"
    r"|\bI was \d{1,2} when\b|\bI (?:got|was given) (?:my |the )?(?:cells|infusion|transplant|chemo)"
)
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|I'm|I’m|I've|I’ve)\b")
_PLURAL_WORDS = re.compile(
    r"\b(?:patients|participants|people|they|their|them|children|adults)\b", re.IGNORECASE
)
_ZH_SINGULAR = re.compile("[她他](?![们們])")
# "我确诊…", "我每天吃…": the narrator is the patient ("我院", "我科" are the hospital's own voice)
_ZH_FIRST_PERSON_PATIENT = re.compile(
    "我(?:今年|的病|确诊|確診|被诊断|被診斷|患上|患有|得了|住院|接受|做了|每天吃|吃药|吃藥|回诊|回診|复查|複查|发病|發病)"
)
_ZH_FIRST_PERSON = re.compile("我(?![们們院科])")
# a sentence in which the narrator's own body, illness or care is told: "我掛急診", "我的類固醇減到…"
_ZH_FIRST_PERSON_CARE = re.compile(
    "我(?![们們院科])[^。！？]{0,30}(?:诊|診|病|药|藥|医|醫|治疗|治療|手术|手術|住院|急|症|检查|檢查|服用|插管|复发|復發|"
    "类固醇|類固醇|激素|化疗|化療|移植|输血|輸血)"
)
_ZH_PSEUDONYM = re.compile(r"([\u4e00-\u9fff]{2,3})\s*[（(](?:化名|化名\S{0,4}|假名)[)）]")
_ZH_PLURAL = re.compile(r"\d+\s*(?:例|名|位)|[她他][们們]|受试者|受試者|入组|入組|队列|隊列")
_ZH_AGE = re.compile(r"(\d{1,3})\s?[岁歲]")
_ZH_FEMALE = re.compile(
    "女士|女孩|姑娘|妈妈|媽媽|母亲|母親|阿姨|奶奶|外婆|阿嬤|她|女儿|女兒|女性|女教师|女老师"
)
_ZH_MALE = re.compile("先生|男孩|小伙|爸爸|父亲|父親|大爷|爷爷|外公|阿公|他|儿子|兒子|男性")


_ZH_PERSON_NAME = re.compile(
    "[\u4e00-\u9fff](?:奶奶|爷爷|阿姨|叔叔|大爷|大妈|女士|先生|婆婆|伯伯|阿婆|阿公|某)|阿嬤|阿嬷|阿媽|老奶奶|老爷爷|老爺爺|(?<![\u4e00-\u9fff])[小老阿][\u4e00-\u9fff](?=[，。、说的是在])"
)


def _follows_one_person(text: str) -> bool:
    """Whether the narration keeps to one person: singular pronouns (not a source's "she said") outnumber
    groups of patients, in English or in Chinese."""
    if is_chinese(text):
        # the narration names its one patient by a polite or pet name as often as by 她 or 他 ("周奶奶")
        named = Counter(_ZH_PERSON_NAME.findall(text)).most_common(1)
        singular = len(_ZH_SINGULAR.findall(text)) + (named[0][1] if named and named[0][1] >= 3 else 0)
        if pseudonym := _ZH_PSEUDONYM.search(text):  # "小宇（化名）": the story's one patient, named again
            singular += text.count(pseudonym.group(1)[-2:])
        if len(_ZH_FIRST_PERSON_PATIENT.findall(text)) + len(_ZH_FIRST_PERSON_CARE.findall(text)) >= 3:
            singular += len(_ZH_FIRST_PERSON.findall(text))
        plural = len(_ZH_PLURAL.findall(text))
        return singular >= 3 and singular >= 2 * plural
    singular = len(_SINGULAR_WORDS.findall(text)) - 2 * len(_SAYS.findall(text))
    if len(_FIRST_PERSON_PATIENT.findall(text)) >= 2:
        singular += len(_FIRST_PERSON.findall(text))
    return singular >= 6 and singular >= len(_PLURAL_WORDS.findall(text))


def _chinese_story(text: str) -> PatientFacts:
    """The facts of a Chinese story: the first age given, the sex its words give, the latest year of
    treatment, and an outcome written from the story's good news, about "她" or "他"."""
    facts = PatientFacts()
    if age := _ZH_AGE.search(text):
        facts.age = int(age.group(1)) if 0 < int(age.group(1)) < 120 else None
    if facts.age is not None:
        facts.age_band = "90+" if facts.age >= 90 else f"{facts.age // 10 * 10}-{facts.age // 10 * 10 + 9}"
        if facts.age >= 90:
            facts.age = None
    female, male = len(_ZH_FEMALE.findall(text)), len(_ZH_MALE.findall(text))
    facts.sex = "female" if female > male else "male" if male > female else None
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)\s?年", text)]
    facts.treatment_year = max(years) if years else None
    who = "她" if facts.sex == "female" else "他" if facts.sex == "male" else "患者"
    news = [phrase for pattern, phrase in (
        (re.compile("停药|停藥"), "停药后病情保持稳定"),
        (re.compile("缓解|緩解|未复发|未復發|稳定|穩定"), "治疗后病情缓解"),
        (re.compile("出院"), "已经出院"),
        (re.compile("重返校园|重返校園|复学|復學|回到学校|回到學校"), "已重返校园"),
        (re.compile("重返工作|重返岗位|重返講台|重返讲台|上班|复工|復工"), "已重返工作岗位"),
    ) if pattern.search(text)]  # fmt: skip
    facts.outcome = f"{who}{'，'.join(news[:2])}。" if news else ""
    facts.follow_up = follow_up(text)
    return facts


def patient_story(text: str) -> PatientFacts | None:
    """The facts of the one patient `text` follows, or None for explainers, trials and cohorts."""
    if is_chinese(text):
        return _chinese_story(text) if _follows_one_person(text) else None
    individuals = list(_INDIVIDUAL.finditer(text))
    aggregate = _AGGREGATE.findall(text)
    singular_mentions = len(re.findall(r"\b(?:she|her|he|his|him)\b", text, re.IGNORECASE))
    named = [
        m
        for m in individuals
        if m.group("kin") or m.group("hon") or m.group("honorific") or m.group("named") or m.group("age3")
    ]
    follows = _follows_one_person(text)
    if not follows and (not individuals or (aggregate and not named and len(individuals) < 2)):
        return None
    if not follows and singular_mentions < 3 and len(individuals) < 2:
        return None
    first_person = len(_FIRST_PERSON_PATIENT.findall(text)) >= 2
    events = [
        s
        for s in split_sentences(text)
        if (_PATIENT_EVENT.search(s) or _GOOD_NEWS.search(s))
        and (re.search(_SINGULAR, s) or _INDIVIDUAL.search(s) or (first_person and _FIRST_PERSON.search(s)))
    ]
    if not events:
        return None  # someone is introduced, but nobody's illness or treatment is told
    facts = PatientFacts()
    for m in individuals:
        age = next((m.group(g) for g in ("age", "age2", "age3", "age4", "age5") if m.group(g)), None)
        if _PAST_AGE.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # "since I was 19": the age something began at, not the patient's
        if age and facts.age is None and 0 < int(age) < 120:
            facts.age = int(age)
    if facts.age is not None:
        facts.age_band = "90+" if facts.age >= 90 else f"{facts.age // 10 * 10}-{facts.age // 10 * 10 + 9}"
        if facts.age >= 90:
            facts.age = None  # an exact age over 89 identifies; only the band is kept
    facts.sex = _sex(text, individuals)
    facts.treatment_year = _treatment_year(text)
    facts.outcome = _outcome(text)
    if first_person and _FIRST_PERSON.search(facts.outcome):
        facts.outcome = _third_person_outcome(facts.outcome)
    facts.follow_up = follow_up(text)
    return facts


_THIRD_PERSON = [
    (re.compile(r"\b(?:remission|no (?:sign|signs|evidence|trace) of|cancer-free|disease-free|clear)\b", re.I),
     "The patient is in remission."),
    (re.compile(r"\b(?:back (?:at|to) work|returned to work|back (?:at|to) school|teaching again)\b", re.I),
     "The patient is back at work or school."),
    (re.compile(r"\b(?:discharged|home again|went home|back home)\b", re.I), "The patient is home again."),
    (re.compile(r"\b(?:relapse|came back|returned)\b", re.I), "The patient's illness came back."),
]  # fmt: skip


def _third_person_outcome(sentence: str) -> str:
    """A first-person outcome ("I'm in remission now") told of the patient, as a story's outcome is."""
    return next(
        (said for pattern, said in _THIRD_PERSON if pattern.search(sentence)), "The patient is doing well."
    )


_SPAN = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|a)"
_FOLLOW_UP = re.compile(
    rf"\b(?:(?P<n>{_SPAN})(?:\s+and\s+a\s+half)?[\s-]+(?P<unit>years?|months?|weeks?)\s+(?:later|after|on|since|out|"
    rf"post)\b|(?:for|of)\s+(?:more than |over |nearly |almost |about )?(?P<n2>{_SPAN})\s+(?P<unit2>years?|months?)"
    r"(?=[^.!?]{0,40}\b(?:remission|disease-free|cancer-free|free of|without (?:a )?relapse|symptom-free)\b)"
    rf"|(?:remission|disease-free|cancer-free|follow-up)\s+(?:of|for)\s+(?:more than |over )?(?P<n3>{_SPAN})\s+"
    r"(?P<unit3>years?|months?))",
    re.IGNORECASE,
)
_ZH_SPAN = "(?:\\d{1,2}|[一二两三四五六七八九十半]{1,3})"
_ZH_FOLLOW_UP = re.compile(
    f"(?:随访|隨訪|追踪|追蹤|至今)(?:已|满|滿|已满|已滿|已经|已經|有)?(?P<n>{_ZH_SPAN})(?:个|個)?(?:多)?(?P<unit>年|月)"
    f"|(?P<n2>{_ZH_SPAN})(?:个|個)?(?:多)?(?P<unit2>年|月)(?:来|來|过去了|過去了)"
)


def follow_up(text: str) -> str:
    """How long the story followed the patient after treatment, as it says so: the last such span."""
    if is_chinese(text):
        found = list(_ZH_FOLLOW_UP.finditer(text))
        if not found:
            return ""
        m = found[-1]
        n, unit = m.group("n") or m.group("n2"), m.group("unit") or m.group("unit2")
        return f"{n}{'个月' if unit == '月' else '年'}"
    found = list(_FOLLOW_UP.finditer(text))
    if not found:
        return ""
    m = found[-1]
    n = next(m.group(g) for g in ("n", "n2", "n3") if m.group(g)).lower()
    unit = next(m.group(g) for g in ("unit", "unit2", "unit3") if m.group(g)).lower().rstrip("s")
    n = "1" if n in ("a", "one") else n
    return f"{n} {unit}" + ("" if n == "1" else "s")


_PAST_AGE = re.compile(r"\bsince\s+(?:I|she|he|they)\s+$", re.IGNORECASE)


def _sex(text, individuals) -> str | None:
    if label := _GENDER_LABEL.search(text):
        return "female" if label.group(1).lower().startswith("f") else "male"
    for m in individuals:
        word = (
            m.group("who")
            or m.group("who2")
            or m.group("kin")
            or m.group("hon")
            or m.group("honorific")
            or m.group("named")
            or "-"
        )
        word = word.split()[-1] if m.group("who2") else word.split()[0]
        if re.fullmatch(_FEMALE, word, re.IGNORECASE) or word.lower() in ("sister",):
            return "female"
        if re.fullmatch(_MALE, word, re.IGNORECASE) or word.lower() in ("brother",):
            return "male"
    she = len(re.findall(r"\b(?:she|her|hers)\b", text, re.IGNORECASE))
    he = len(re.findall(r"\b(?:he|his|him)\b", text, re.IGNORECASE))
    if max(she, he) >= 3 and max(she, he) >= 2 * min(she, he):
        return "female" if she > he else "male"
    return None


_PERSON_IN_SENTENCE = re.compile(
    rf"{_SINGULAR}|\b(?:Grandma|Grandpa|Granny|Uncle|Aunt|Auntie|Ms|Mrs|Mr|Miss)\.?\s+[A-Z]"
)
# Years that date the illness, not its treatment: "diagnosed in 2013", "since 2015".
_NOT_TREATMENT = re.compile(r"\b(?:diagnosed|diagnosis|onset|born|since|noticed|began)\b(?:\s+in)?\s*$", re.I)


def _treatment_year(text) -> int | None:
    """The year the patient received the key treatment: the latest year given in a sentence that names both
    the patient and a specific therapy (the last line of treatment is the one a story is about); failing
    that, one next to a general 'treatment'; failing that, None."""
    best: list[tuple[int, int]] = []  # (weight, year)
    for sentence in split_sentences(text):
        found = [
            (m.start(), int(m.group(0)))
            for m in re.finditer(r"\b(?:19|20)\d\d\b", sentence)
            if not _NOT_TREATMENT.search(sentence[max(0, m.start() - 20) : m.start()])
        ]
        if not found or not _PERSON_IN_SENTENCE.search(sentence):
            continue
        specific = list(_SPECIFIC_THERAPY.finditer(sentence))
        general = list(_THERAPY_WORDS.finditer(sentence))
        if not specific and not general:
            continue
        weight = 2 if specific else 1
        for anchor in specific or general:
            distances = [(abs(at - anchor.start()), year) for at, year in found]
            best.append((weight, min(distances)[1]))
    if not best:
        return None
    top = max(weight for weight, _ in best)
    return max(year for weight, year in best if weight == top)


_GOOD_NEWS = re.compile(
    r"\b(?:remission|disease[- ]free|symptom[- ]free|free of|cured|recovered|normal|no longer|stopped|"
    r"off (?:all )?(?:steroids|medication)|discharged|improved|disappeared|resolved|survived|"
    r"no (?:sign|signs|evidence|trace) of|complete response|back (?:to|at|on|behind|in)|returned to (?:work|school)|"
    r"doing well|are gone|is gone|(?:not|no|never|without)\s+(?:\w+\s+){0,2}(?:relapse|recur)\w*)",
    re.IGNORECASE,
)
_BAD_NEWS = re.compile(r"\b(?:worsen\w*|weakened|deteriorat\w*|died|progressed|spread)\b", re.IGNORECASE)


def _outcome(text) -> str:
    """One sentence from the text on how the patient is now: good or bad news about them, told late in the
    story, preferring narration to quotes and the patient to patients in general."""
    sentences = split_sentences(text)
    best, best_score = "", 0.0
    for index, sentence in enumerate(sentences):
        if not 20 <= len(sentence) <= 300 or not _OUTCOME_WORDS.search(sentence):
            continue
        good = bool(_GOOD_NEWS.search(sentence))
        relapse_only = not good and re.search(r"\b(?:relapse|recur)\w*", sentence, re.IGNORECASE)
        score = 3.0 if good else 1.0
        score -= 2 if relapse_only or _BAD_NEWS.search(sentence) and not good else 0
        score += (
            1
            if _PERSON_IN_SENTENCE.search(sentence)
            or re.search(r"\b(?:elderly|old) (?:man|woman)\b", sentence)
            else 0
        )
        score -= 1 if re.search(r"[\"“”]|\b(?:I|my)\b", sentence) else 0
        score -= 1 if re.search(r"\bpatients\b|\b(?:gradually|generally|usually|often)\b", sentence) else 0
        score += index / max(1, len(sentences))  # later is likelier the result
        if score > best_score:
            best, best_score = sentence, score
    return best.strip(' "“”')
