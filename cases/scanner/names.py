"""Names no cue marks: what is not known to be safe is flagged.

A capitalised word is safe when it is on a safe list: ordinary words the scanner knows (a sentence's
first word, a heading's words, when common in English), the desk's vocabularies and public names, large
places, and words of institutions and medicine. Everything else is a candidate:
- a word that is a person's name (names-dataset) makes its run of capitalised words a person's name;
- a run followed by an institution, street or place word is that;
- anything else is a name not known to be safe, for the privacy officer to judge.
A name found once is flagged at every later occurrence, whole or in part ("Maya Ortega" ... "Ortega").
"""

import re
from collections.abc import Iterable

from cases.scanner import english
from cases.scanner.findings import Finding
from cases.scanner.patterns import LOWER, UPPER, bounded
from cases.scanner.words import person_names, zipf

TOKEN = bounded(
    rf"(?<![\w'’-])(?:(?:Mc|Mac|O['’]|D['’])?[{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)?|[A-Z]{{2,20}})(?![\w])"
)
GAP = re.compile(r"[ \t]|[ \t](?:de|da|del|van|von|bin|al|la|le)[ \t]|-")
SENTENCE_END = re.compile(r"(?:^|[.!?:•·*#>|\"“”]|\n)[\s\"“”'‘’*•-]{0,6}$")
HEADING_SHARE = 0.6

INSTITUTION = {
    w.casefold()
    for w in [
        "Hospital",
        "Hospitals",
        "Clinic",
        "Infirmary",
        "Hospice",
        "Sanatorium",
        "Medical",
        "University",
        "College",
        "Institute",
        "Centre",
        "Center",
        "Foundation",
        "Trust",
        "School",
        "Academy",
        "Polyclinic",
        "Surgery",
        "Practice",
        "Children's",
    ]
}
STREET = {w.casefold() for w in english.STREET_WORDS.replace("\\b", "").split("|")}
PLACE = {w.casefold() for w in english.PLACE_WORDS.split("|")}
ORG_SAFE = {
    w.casefold()
    for w in [
        "Department",
        "Division",
        "Unit",
        "Ward",
        "Service",
        "Services",
        "Programme",
        "Program",
        "Laboratory",
        "Lab",
        "Board",
        "Office",
        "Committee",
        "Council",
        "Ministry",
        "Agency",
        "Administration",
        "Association",
        "Society",
        "Federation",
        "Network",
        "Alliance",
        "Group",
        "Registry",
        "Consortium",
        "Press",
        "Release",
        "Media",
        "Communications",
        "Newsroom",
        "Editor",
        "Editorial",
        "Staff",
        "Reporter",
        "Writer",
        "Photo",
        "Photograph",
        "Image",
        "Caption",
        "Credit",
        "Video",
        "Audio",
        "Podcast",
        "Newsletter",
        "Website",
        "Site",
        "Blog",
        "Article",
        "Story",
        "Stories",
        "Feature",
        "Features",
        "Interview",
        "Update",
        "Updates",
        "Latest",
        "Topics",
        "Topic",
        "Tags",
        "Tag",
        "Category",
        "Categories",
        "Hematology",
        "Haematology",
        "Oncology",
        "Rheumatology",
        "Immunology",
        "Nephrology",
        "Neurology",
        "Cardiology",
        "Pediatrics",
        "Paediatrics",
        "Radiology",
        "Pathology",
        "Genetics",
        "Surgery",
        "Dermatology",
        "Endocrinology",
        "Gastroenterology",
        "Urology",
        "Pulmonology",
        "Psychiatry",
        "Psychology",
        "Pharmacy",
        "Nursing",
        "Obstetrics",
        "Gynaecology",
        "Gynecology",
        "Transfusion",
        "Cellular",
        "Biotherapy",
        "Immunotherapy",
        "Therapeutics",
        "Sciences",
        "Science",
        "Rare",
        "Orphan",
        "Autoimmune",
        "Infectious",
        "Diseases",
        "Intensive",
        "Care",
        "Emergency",
        "Outpatient",
        "Inpatient",
        "Day",
        "Ward",
        "Bed",
        "Room",
        "Floor",
        "Building",
        "Wing",
        "Block",
        "Campus",
        "Professor",
        "Prof",
        "Dr",
        "Doctor",
        "Nurse",
        "Sister",
        "Director",
        "Chief",
        "Head",
        "Dean",
        "President",
        "Consultant",
        "Associate",
        "Assistant",
        "Senior",
        "Junior",
        "Principal",
        "Lead",
        "Attending",
        "Resident",
        "Fellow",
        "Registrar",
        "Surgeon",
        "Physician",
        "Officer",
        "Manager",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Sir",
        "Madam",
        "Dame",
        "Lady",
        "Lord",
        "Honourable",
        "Hon",
        "Rev",
        "Reverend",
        "Awareness",
        "Month",
        "Week",
        "Day",
        "Year",
        "Years",
        "Annual",
        "Congress",
        "Conference",
        "Symposium",
        "Meeting",
        "Summit",
        "Forum",
        "Session",
        "Guidelines",
        "Guideline",
        "Protocol",
        "Criteria",
        "Score",
        "Index",
        "Scale",
        "Trial",
        "Trials",
        "Study",
        "Studies",
        "Phase",
        "Cohort",
        "Arm",
        "Part",
        "Chapter",
        "Section",
        "Figure",
        "Table",
        "Appendix",
        "Box",
        "Panel",
        "Q",
        "A",
        "Question",
        "Answer",
        "FAQ",
        "FAQs",
        "Tips",
        "Facts",
        "Key",
        "Points",
        "Share",
        "Print",
        "Email",
        "Tweet",
        "Like",
        "Follow",
        "Subscribe",
        "Donate",
        "Donation",
        "Donations",
        "Appeal",
        "Fund",
        "Fundraising",
        "Charity",
        "Read",
        "Minutes",
        "Minute",
        "Min",
        "Views",
        "View",
        "Comments",
        "Reply",
        "Login",
        "Logout",
        "Register",
        "Search",
        "Menu",
        "Home",
        "Back",
        "Top",
        "Skip",
        "Content",
        "Main",
        "Navigation",
        "Footer",
        "Header",
        "Cookie",
        "Cookies",
        "Accept",
        "Reject",
        "Settings",
        "Privacy",
        "Policy",
        "Terms",
        "Notice",
        "Standfirst",
        "Headline",
        "Byline",
        "Kicker",
        "Lede",
        "Dateline",
        "Subhead",
        "Caption",
        "Captions",
        "Correction",
        "Corrections",
        "Draft",
        "Copyright",
        "All",
        "Rights",
        "Reserved",
        "Reserved",
        "Contact",
        "Us",
        "About",
        "Careers",
        "Jobs",
        "Find",
        "Doctor",
        "Locations",
        "Patients",
        "Visitors",
        "Appointments",
        "Appointment",
        "Refer",
        "Referral",
        "Referrals",
        "English",
        "Chinese",
        "Language",
        "Translate",
    ]
}
ACRONYMS = {
    w.casefold()
    for w in [
        "CAR",
        "CART",
        "ALL",
        "AML",
        "CLL",
        "CML",
        "MDS",
        "MM",
        "NHL",
        "DLBCL",
        "FL",
        "MCL",
        "HL",
        "SLE",
        "LN",
        "RA",
        "MS",
        "SSc",
        "IIM",
        "DM",
        "PM",
        "IgG",
        "IgA",
        "IgM",
        "CD",
        "BCMA",
        "CRS",
        "ICANS",
        "GVHD",
        "HSCT",
        "BMT",
        "ASCT",
        "PET",
        "CT",
        "MRI",
        "ECG",
        "EEG",
        "ICU",
        "HDU",
        "NICU",
        "PICU",
        "ER",
        "ED",
        "GP",
        "NHS",
        "FDA",
        "EMA",
        "NMPA",
        "NIH",
        "WHO",
        "CDC",
        "NICE",
        "MHRA",
        "TGA",
        "ASH",
        "ASCO",
        "EHA",
        "EULAR",
        "ACR",
        "ESMO",
        "AACR",
        "NEJM",
        "JAMA",
        "BMJ",
        "DNA",
        "RNA",
        "mRNA",
        "PCR",
        "HIV",
        "AIDS",
        "HPV",
        "COVID",
        "SARS",
        "ICD",
        "QOL",
        "CR",
        "PR",
        "SD",
        "PD",
        "ORR",
        "OS",
        "PFS",
        "EFS",
        "MRD",
        "FAQ",
        "PDF",
        "URL",
        "RSS",
        "USA",
        "UK",
        "US",
        "EU",
        "UN",
        "UAE",
        "PRC",
        "SAR",
        "ROC",
        "OK",
        "TV",
        "CEO",
        "CFO",
        "COO",
        "CMO",
        "MD",
        "PhD",
        "RN",
        "NP",
        "PA",
        "BSc",
        "MSc",
        "MBBS",
        "FRCP",
        "FRCPath",
        "CBE",
        "OBE",
        "MBE",
        "II",
        "III",
        "IV",
        "VI",
        "VII",
        "VIII",
        "IX",
        "XI",
        "XII",
        "AM",
        "PM",
        "BST",
        "GMT",
        "UTC",
        "EST",
        "PST",
        "CST",
        "AI",
        "IT",
        "IVF",
        "IVIG",
        "TB",
        "RSV",
        "ADHD",
        "COPD",
        "IBD",
        "IBS",
        "ALS",
        "CKD",
        "ESRD",
        "AKI",
        "DVT",
        "PE",
        "MI",
        "TIA",
        "ALT",
        "AST",
        "LDH",
        "CRP",
        "ESR",
        "WBC",
        "RBC",
        "BP",
        "HR",
        "BMI",
        "NEWS",
        "ID",
        "NO",
        "TEL",
        "FAX",
        "CV",
        "ICT",
        "RNAi",
        "UK's",
    ]
}
EPONYM = bounded(
    r"(?:['’]s)?[ \t]+(?:syndrome|disease|lymphoma|sarcoma|palsy|phenomenon|sign|test|scale|score|classification|criteria|procedure|operation|tumou?r|cells?|ataxia|dystrophy)\b"
)
MEDICAL_ENDINGS = re.compile(
    r"(?:ology|ologist|ologists|itis|oma|omas|emia|aemia|osis|pathy|ectomy|otomy|plasty|therapy|therapies|"
    r"cyte|cytes|mab|cel|leucel|nib|tinib|stat|vir|pril|sartan|olol|azole|mycin|cillin|platin|rubicin|"
    r"taxel|mide|tide|parin|cept|kin|kine|kines|gen|genic|genesis|plasia|penia|philia|trophy|scopy|"
    r"gram|graphy|ase|ases|ine|ines|ide|ides|ol|one|ate|gene|genes|ucel|mab|umab|ximab|zumab|ysis|sis|ment|tion|sion|ness|ity)$"
)


def safe_words(extra: Iterable[str] = ()) -> set[str]:
    """Casefolded words that never make a name on their own: the built-in lists and `extra`."""
    words = set(english.NOT_NAMES) | english.LARGE_PLACES | ORG_SAFE | ACRONYMS | INSTITUTION
    words |= {m.casefold() for m in english.MONTHS.split("|")} | {
        d.casefold() for d in english.WEEKDAYS.split("|")
    }
    for phrase in extra:
        words |= {w.casefold() for w in re.findall(r"[^\W\d_]+", phrase) if len(w) > 1}
    return words


def _is_name(word: str) -> bool:
    return word in person_names() or word.capitalize() in person_names()


def _sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_END.search(text[max(0, start - 12) : start]))


def _heading_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in title case, where capitals say nothing about names."""
    spans, pos = [], 0
    for line in text.split("\n"):
        words = re.findall(r"[A-Za-z][\w'’-]*", line[:400])
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= HEADING_SHARE * len(words):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


# Given names that are also everyday words stand before a surname the scanner flags; these never do.
NOT_GIVEN_NAMES = (
    {m.casefold() for m in english.MONTHS.split("|")}
    | {d.casefold() for d in english.WEEKDAYS.split("|")}
    | {
        "the",
        "dear",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "professor",
        "nurse",
        "sister",
        "our",
        "my",
        "new",
        "st",
    }
)


def _given_name(word: str) -> bool:
    return (
        word[:1].isupper()
        and word[1:].islower()
        and word.casefold() not in NOT_GIVEN_NAMES
        and _is_name(word)
    )


def scan(text: str, safe: set[str]) -> list[Finding]:
    """Runs of capitalised words that are not known to be safe, with the kind their last word suggests."""
    headings = _heading_lines(text)
    tokens = list(TOKEN.finditer(text))
    found: list[Finding] = []
    run: list[tuple[re.Match, str]] = []

    def verdict(m: re.Match) -> str:
        word = m.group(0)
        low = word.casefold()
        if low in safe or low.rstrip("s") in safe:
            return "safe"
        if word.isupper():
            if re.match(r"-?\d", text[m.end() : m.end() + 2]):
                return "safe"  # CARTITUDE-1, ZUMA-7, CD19: a trial or a marker
            if len(word) >= 3 and _is_name(word.capitalize()) and zipf(low) < 4.0:
                return "name"  # CALLER (DENISE), ABOUT ROS
            if len(word) > 6 or low in INSTITUTION:
                return "safe" if low in safe or zipf(low) >= 3.0 else "unknown"
            return "acronym" if zipf(low) < 3.0 else "safe"
        initial = _sentence_start(text, m.start()) or any(a <= m.start() < b for a, b in headings)
        common = zipf(low)
        if _is_name(word) and not (initial and common >= 4.0):
            return "name" if common < 4.0 or not initial else "weak"
        if MEDICAL_ENDINGS.search(low) and len(low) > 6:
            return "safe"
        if EPONYM.match(text, m.end()):
            return "safe"  # Sjogren's syndrome, Hodgkin lymphoma: named after a doctor, not a patient
        if initial:
            return "unknown" if common < 3.5 else "safe"
        return "unknown" if common < 4.8 or not low.isalpha() else "safe"

    def close():
        tags = [v for _, v in run]
        words = [m for m, v in run]
        if run and any(v in ("name", "unknown", "acronym") for v in tags):
            first = next(i for i, v in enumerate(tags) if v != "safe")
            last = max(i for i, v in enumerate(tags) if v != "safe")
            if first and tags[first] in ("name", "unknown") and _given_name(words[first - 1].group(0)):
                first -= 1  # "Summer MacInnes", "Hope Okafor": an everyday word that is a given name
                tags[first] = "name"
            start, end = words[first].start(), words[last].end()
            after = text[end : end + 40]
            follower = re.match(r"[ \t]{1,3}(?:of[ \t]{1,3})?([A-Z][\w'’]{1,20})", after)
            next_word = follower.group(1).casefold() if follower else ""
            last_word = words[-1].group(0).casefold()
            if (
                any(w.group(0).casefold() in INSTITUTION for w in words[first:])
                and words[-1].group(0).isupper()
            ):
                last_word = next(
                    w.group(0).casefold() for w in words[first:] if w.group(0).casefold() in INSTITUTION
                )
            if last_word in INSTITUTION or next_word in INSTITUTION:
                kind = "hospital"
                end = words[-1].end()
            elif last_word in STREET or next_word in STREET:
                kind = "address"
            elif last_word in PLACE or next_word in PLACE:
                kind = "place"
            elif "name" in tags[first : last + 1]:
                kind = "person_name"
            elif tags[first : last + 1] == ["acronym"]:
                kind = "hospital"
            else:
                kind = "proper_noun"
            found.append(Finding(kind, text[start:end], start, end))
        elif len(run) >= 2 and tags.count("weak") >= 1 and all(v in ("weak", "name") for v in tags):
            found.append(Finding("person_name", "", words[0].start(), words[-1].end()))
        run.clear()

    previous_end = -1
    for m in tokens:
        if run and not GAP.fullmatch(text[previous_end : m.start()]):
            close()
        run.append((m, verdict(m)))
        previous_end = m.end()
    close()
    return [Finding(f.kind, text[f.start : f.end], f.start, f.end) for f in found]


_PLACE_SUFFIX = re.compile("(?:镇|乡|村|县|市|区|街道|社区|嘎查|苏木|旗)$")


def every_occurrence(text: str, found: list[Finding], safe: set[str], limit: int = 300) -> list[Finding]:
    """Each person's name found once, found again wherever it or a part of it stands alone: "Maya Ortega"
    ... "Ortega"; 贺丽君 ... 丽君."""
    parts: dict[str, str] = {}
    for f in found:
        if f.kind == "url" and len(f.text) >= 3 and not re.search(r"[/.@:]", f.text) and len(parts) < limit:
            parts.setdefault(f.text, "url")  # a user name, wherever it stands again
            continue
        if f.kind == "place" and f.text not in safe and len(parts) < limit and len(f.text) >= 2:
            parts.setdefault(f.text, "place")  # 包头 ... 包头, Kamloops ... Kamloops
            bare = _PLACE_SUFFIX.sub("", f.text)
            if len(bare) >= 2 and bare != f.text and not bare.isascii():
                parts.setdefault(bare, "place")  # 灵溪镇 ... 灵溪
            continue
        if f.kind not in ("person_name", "nickname", "clinician_name") or len(parts) >= limit:
            continue
        words = re.findall(rf"[{UPPER}][{LOWER}'’-]+|[\u4e00-\u9fff]{{2,6}}", f.text)
        if re.fullmatch("[A-Z]{2,4}", f.text):
            words = [f.text]  # "AJ", "HOPE": a name in capitals
        for word in words:
            # An everyday word counts when it is the given name of a full name ("Summer MacInnes").
            everyday = (
                word.casefold() in safe
                and not (len(words) >= 2 and word == words[0] and _given_name(word))
                and not (word.isupper() and f.kind == "nickname")  # "FL", initials a page gave
            )
            if len(word) < 2 or everyday or english.KINSHIP_WORD.fullmatch(word):
                continue
            parts.setdefault(word, f.kind)
            if len(word) == 3 and not word.isascii() and "某" not in word:
                parts.setdefault(word[1:], f.kind)  # the given name alone
    if not parts:
        return []
    more = []
    for group in (sorted((p for p in parts if p.isascii()), key=len, reverse=True),
                  sorted((p for p in parts if not p.isascii()), key=len, reverse=True)):  # fmt: skip
        if not group:
            continue
        pattern = "|".join(map(re.escape, group))
        if group[0].isascii():
            pattern = r"(?<![\w'’-])(?:" + pattern + r")(?![\w])"
        more += [
            Finding(parts[m.group(0)], m.group(0), m.start(), m.end()) for m in re.finditer(pattern, text)
        ]
    return more
