"""English: identifiers with a shape (dates, ages, phone numbers, addresses, record numbers) and the
cues around people, clinicians, institutions and places. `cases.scanner.names` adds what no cue marks.

    >>> [(f.kind, f.text) for f in scan("Grandma Sun, 93, was seen on 3 March.")]
    [('nickname', 'Grandma Sun'), ('age_over_89', '93'), ('date', '3 March')]
"""

import re

from cases.scanner.findings import Finding
from cases.scanner.patterns import LOWER, UPPER, bounded, reader
from cases.scanner.words import person_names

# --- Word lists ------------------------------------------------------------------------------------

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
HONORIFICS = r"(?:Mr|Mrs|Ms|Miss|Mx|Madam|Mme|Sir|MR|MRS|MS|MISS)\.?"
KINSHIP = (
    "Grandma|Grandpa|Granny|Grandmother|Grandfather|Gran|Grandad|Granddad|Gramps|Nan|Nana|Uncle|Aunt|"
    "Auntie|Aunty|Cousin|Brother|Sister|"
    "Mama|Papa|Mother|Father|Baby|Little|Old|Big Brother|Big Sister|Xiao|Lao|A-"
)
KINSHIP_WORD = bounded(rf"(?:{KINSHIP})")
CLINICIAN_TITLES = r"(?:Dr|Doctor|Prof|Professor|Director|Nurse|Dean|Matron|Sister)\.?"
CLINICIAN_ROLES = (
    "doctor|physician|surgeon|nurse|professor|director|hematologist|haematologist|oncologist|"
    "rheumatologist|immunologist|nephrologist|neurologist|cardiologist|pediatrician|paediatrician|"
    "radiologist|pathologist|geneticist|researcher|scientist|investigator|consultant|specialist|"
    "chief|head|dean|pharmacist|psychologist|therapist|midwife|registrar|resident|clinician|expert|"
    "practitioner|matron|anaesthetist|anesthetist|obstetrician|gynaecologist|gynecologist|dermatologist|"
    "gastroenterologist|endocrinologist|urologist|pulmonologist|transplant specialist|dietitian|"
    "physiotherapist|paramedic|intensivist|internist|hepatologist|oncology nurse"
)
INSTITUTION_WORDS = (
    r"Hospital|Hospitals|Clinic|Infirmary|Medical Cent(?:er|re)|Cancer Cent(?:er|re)|Health Cent(?:er|re)|"
    r"Children's Hospital|Health System|Hospice|Sanatorium|Medical College|Medical School|Medical University|"
    r"Unit|Centre|Center"
)
STREET_WORDS = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
    r"Crescent|Close|Square|Sq|Highway|Hwy|Parkway|Pkwy|Alley|Row|Gardens|Hill|Walk"
)
PLACE_WORDS = (
    r"District|County|Village|Town|Township|City|Borough|Prefecture|Municipality|Parish|Suburb|Ward|"
    r"Heights|Springs|Falls|Beach|Hamlet|Estate|Subdistrict|Commune|Neighbourhood|Neighborhood|"
    r"Elementary|Primary|Academy|Church|Chapel|Mosque|Temple|Parish Church|Marae"
)

# Capitalised words that are never personal names or small places in our texts.
NOT_NAMES = {
    word.casefold()
    for word in """
    The A An And Or But If In On At Of For From To With By As After Before During Since Until When While
    This That These Those Her His Their Our Its My Your We They He She It I You Who What Where Why How
    According Also However Although Because Despite Eventually Finally Hearing Given Meanwhile Now Then
    Today Yesterday Tomorrow Recently Currently Previously Later Last Next Early Late Mid Both Each Every
    New Old Young Elderly Dear Patient Patients Doctor Doctors Team Study Trial Research News Story Case
    Department Hospital University College Institute Center Centre School Faculty Medical Medicine Health
    Clinic Clinical Affiliated First Second Third Fourth Fifth People's General Central Provincial Municipal
    National International Chinese English American British European German French Japanese Korean Indian
    Female Male Gender Age Name Nationality Diagnosis Treatment Therapy Outcome Follow Follow-up Result
    Results Symptoms Conclusion Background Methods Summary Abstract Introduction Discussion Note Notes
    Lupus Systemic Erythematosus Leukemia Leukaemia Lymphoma Myeloma Cancer Cancers Disease Syndrome Acute
    Chronic Lymphoblastic Myeloid Cell Cells T-Cell T-Cells B-Cell CAR CAR-T Gamma Delta Immune Immunotherapy
    Chemotherapy Transplant Transplantation Stem Bone Marrow Blood Kidney Lung Breast Brain Heart Liver
    Rheumatoid Arthritis Sclerosis Myositis Nephritis Vasculitis Hepatitis Measles Mumps Rubella Tetanus
    Diphtheria Phase Stage Grade Type Science Nature Lancet Journal Medicine Cell Blood NEJM JAMA BMJ FDA
    NMPA EMA NIH WHO Share Tweet Facebook Twitter LinkedIn WeChat Weibo Email Print Comment Comments Read
    More Related Previous Next Home Page Published Updated Uploaded Posted Source Copyright Privacy Policy
    Terms Contact Subscribe Advertisement Sponsored Leave Message Submit Reply Search Menu Login Sign
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Spring Summer Autumn Fall Winter Christmas Easter
    Professor Dr Director Nurse Dean Mr Mrs Ms Miss Grandma Grandpa Uncle Aunt Auntie Granny
    God Lord Internet Web Online Google Covid COVID-19 Omicron Western Eastern Northern Southern Asia Africa
    Europe America Americas Oceania Antarctica Yes No Not None All Some Many Most Few Several One Two Three
    Therefore Thus Moreover Furthermore Additionally Fortunately Unfortunately Overall Instead Otherwise
    Indeed Still Yet Soon Once Together Initially Subsequently Ultimately Specifically Notably Importantly
    Interestingly Similarly Likewise Nevertheless Nonetheless Hence Consequently Accordingly Here There
    Doctors Nurses Researchers Scientists Experts Families Parents Children Adults Women Men Everyone
    """.split()  # noqa: SIM905 - a word list reads best as words
}

# Places as large as a state or province, or larger: naming these is allowed.
LARGE_PLACES = {
    p.casefold()
    for p in """
    China USA US UK Britain England Scotland Wales Ireland Canada Mexico Brazil Argentina Chile Peru
    Colombia Germany France Italy Spain Portugal Netherlands Belgium Switzerland Austria Sweden Norway
    Denmark Finland Poland Greece Turkey Russia Ukraine Israel Egypt Nigeria Kenya Ethiopia India Pakistan
    Bangladesh Japan Korea Taiwan Vietnam Thailand Malaysia Singapore Indonesia Philippines Australia
    Zealand Iran Iraq Saudi Arabia Emirates Qatar Africa Asia Europe America Oceania
    Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho
    Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota
    Mississippi Missouri Montana Nebraska Nevada Hampshire Jersey Carolina Dakota Ohio Oklahoma Oregon
    Pennsylvania Rhode Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming
    Ontario Quebec Alberta Columbia Manitoba Saskatchewan Nova Scotia Brunswick Newfoundland
    Anhui Beijing Chongqing Fujian Gansu Guangdong Guangxi Guizhou Hainan Hebei Heilongjiang Henan Hubei
    Hunan Jiangsu Jiangxi Jilin Liaoning Mongolia Ningxia Qinghai Shaanxi Shandong Shanghai Shanxi
    Sichuan Tianjin Tibet Xinjiang Yunnan Zhejiang Hong Kong Macau Macao Bavaria Catalonia Queensland
    Victoria Tasmania Province State States Kingdom Republic Union
    """.split()  # noqa: SIM905
}

NAME_WORD = (
    rf"[{UPPER}](?:['’][A-Z])?[{LOWER}]+(?:['’-][{UPPER}{LOWER}][{LOWER}]+)?"  # "Ann", "O'Brien", "Rātā"
)
# The same at the start of a word, with the boundary checked after the capital: a pattern that opens with
# a character class lets the engine jump between capitals instead of trying every position.
NAME_START = rf"[{UPPER}](?<![\w][{UPPER}])" + NAME_WORD[len(UPPER) + 2 :]


def name_after(*before: str) -> str:
    """NAME_WORD just after one of `before` (fixed-width patterns, or "^" for the text's start), checked
    after its capital like NAME_START, so the pattern still opens with a character class."""
    checks = "|".join(f"(?<={b}[{UPPER}])" for b in before)
    return rf"[{UPPER}](?:{checks})" + NAME_WORD[len(UPPER) + 2 :]


ORG_CONTINUATION = bounded(
    r"\s*(?:'s\s+)?(?:University|Hospital|Medical|Institute|College|Clinic|Center|Centre|School|Department|"
    r"Province|State|County|Team|Foundation|Society|Association|Group|Trial|Study|Syndrome|Disease)\b"
)

# --- Patterns --------------------------------------------------------------------------------------

_EMAIL = bounded(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = bounded(r"\b(?:https?://|www\.)[^\s<>\"')]+[^\s<>\"').,;:!?]", re.IGNORECASE)
_IPV4 = bounded(r"\d(?<!\w\d)\d{0,2}(?:\.\d{1,3}){3}\b")  # each part checked to be 255 or less
_IPV6 = bounded(r"(?<![\w:])[0-9a-f]{1,4}(?::{1,2}[0-9a-f]{1,4}){2,7}(?![\w:])", re.IGNORECASE)
_ID_KEYWORD = bounded(
    r"\b(?:MRN|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|"
    r"hosp(?:ital)?\.? (?:number|no\.?|ID)|"
    r"patient (?:ID|number|no\.?)|case (?:number|no\.?)|admission (?:number|no\.?)|bed (?:number|no\.?)|"
    r"NHS (?:number|no\.?)|SSN|social security(?: number)?|insurance (?:ID|number|no\.?)|"
    r"member (?:ID|number)|policy (?:number|no\.?)|account (?:number|no\.?)|passport(?: number| no\.?)?|"
    r"ID(?: card)?(?: number| no\.?)?|licen[cs]e (?:number|no\.?)|beneficiary (?:number|ID)|"
    r"certificate (?:number|no\.?)|serial (?:number|no\.?)|matric(?:ulation)? (?:number|no\.?)|"
    r"(?:registration|student|staff|IP|OP|CR|body|plate) (?:number|no\.?)|UHID|paybill|EIN|ABN|reg\.)"
    r"\s*(?:is\s+|was\s+)?[:#,(]?\s*"
    r"(?P<value>[A-Z]{1,4}\s\d{3,}(?:\s\d{3,}){0,3}|(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9/-]{2,}(?:\s\d{3,}){0,2})",
    re.IGNORECASE,
)
_BARE_URL = bounded(
    r"(?<![\w@./-])(?:[a-z0-9-]{2,40}\.){1,3}(?:com|org|net|edu|gov|co\.uk|org\.uk|nhs\.uk|ac\.uk|ie|au|ca|cn|hk|sg|io|info|blog|ly|me|gl|gle|gd|tv|us|nz|in|my|tw|jp|app|link|site|page|online|health|care)"
    r"(?:/[^\s<>\"')]{0,120}[^\s<>\"').,;:!?])?(?![\w-])"
    # any other domain, with a path ("backabuddy.co.za/champion/...")
    r"|(?<![\w@./-])(?:[a-z0-9-]{2,40}\.){1,3}[a-z]{2,6}/[^\s<>\"')]{0,120}[^\s<>\"').,;:!?]",
    re.IGNORECASE,
)
# Campaign hashtags name the patient or their family ("#TeamLeo", "#PrayForAmira").
_HASHTAG = bounded(
    r"(?<![\w#&])#(?:(?=[A-Za-z0-9_]{0,30}[a-z][A-Z])[A-Za-z][A-Za-z0-9_]{2,30}"
    r"|(?:Team|Pray|Help|Support|Stand|Love|Fight|Go|Save)[A-Za-z0-9_]{2,30})\b"
)
# A forum poster's name on a line of its own, or before "·", "|" or a dash and the post ("PennyB_Hollinsby",
# "TaxpayerTom88  ·  May 15", "HockeyMomKW - I coached"), and payment tags ("$LorenaV2015").
_POSTER_LINE = bounded(
    r"(?m)^(?=[A-Za-z0-9_.-]{0,40}(?:_|\d|[a-z][A-Z]))[A-Za-z][A-Za-z0-9_.-]{2,40}(?=[ \t]*$|[ \t]{1,3}[·•|\-–—][ \t]|:[ \t])"
    r"|^[ \t]{0,4}[a-z][a-z0-9_.]{5,30}(?=[ \t]{1,3}·[ \t])"  # "porchlightmarisol · November 13"
)
_CASHTAG = bounded(r"(?<![\w$])\$(?=[A-Za-z0-9_-]{0,20}[A-Za-z])[A-Za-z][A-Za-z0-9_-]{2,20}\b")
# "by Obiora_Writes(m):", "by phoebemarchant | 5 Comments", "Posted by Lucy_H (a relative)": a poster's
# user name, which a person's name does not look like (lower case only, or with a digit, "_" or a capital
# inside); and a blog commenter's, "phoebemarchant says:"
_BY_USER = bounded(
    r"\b(?:By|by)\s+(?P<user>(?=[A-Za-z0-9_.]{0,30}(?:_|\d|[a-z][A-Z]))[A-Za-z][A-Za-z0-9_.]{2,30}(?<!\.)"
    r"|[a-z][a-z0-9_.]{2,30}(?=\s*[|(:·])|[A-Z][A-Za-z0-9_.]{2,30}(?=\((?:m|f)\)))"
)
_SAYS_USER = bounded(r"(?m)^(?P<user>[a-z][a-z0-9_.]{3,30}|(?=[\w.]{0,30}(?:_|\d))[A-Za-z][\w.]{3,30}) says:")
_REDDIT_USER = bounded(r"(?<![\w/])u/[A-Za-z0-9_-]{3,20}\b")
_USERNAME = bounded(r"(?<![\w@.])[A-Za-z][A-Za-z0-9]{1,20}_[A-Za-z0-9_]{1,20}\b")  # "PeggysGirl_Hudds"
_EXTENSION = bounded(r"\b(?:ext|extension|bleep|pager)\.?\s*(?:no\.?\s*)?\d{3,6}\b", re.IGNORECASE)
_INITIALS = bounded(r"(?<![\w.])[A-Z]\.(?:[A-Z](?:['’][A-Z])?\.|-[A-Z]\.){1,3}(?![\w])")
NOT_INITIALS = {
    "U.S.",
    "U.K.",
    "U.N.",
    "E.U.",
    "A.M.",
    "P.M.",
    "D.C.",
    "L.A.",
    "N.Y.",
    "B.C.",
    "A.D.",
    "E.G.",
    "I.E.",
    "Q.A.",
}
_BED_WARD = bounded(
    r"\b(?:bed|beds|ward|room|bay|cubicle|bed[\s-]space|bedspace|side room|isolation room|cot|pod|suite|floor|apt\.?|apartment|flat)\s*(?:no\.?|number|#)?\s*"
    r"(?:\d{1,2}[A-Z]-\d{1,3}|\d{1,2}-\d{2,4}|\d{1,2}-[A-Z](?![a-z])|[A-Z]{2,3}-?\d{2,4}|[A-Z]?\d{1,4}[A-Z]?|[A-Z](?![a-z]))(?![\w-])",
    re.IGNORECASE,
)
_COMPASS_WARD = bounded(
    r"\b\d{1,2} (?:North|South|East|West)\b(?! (?:America|Africa|Korea|Carolina|Dakota|Wales))"
)
_WARD_NAMED_BEFORE = bounded(r"\d(?<!\w\d)\d?[A-Z]\s+(?:[Ww]ard|[Bb]ay|[Uu]nit)\b")  # "the 3B ward"
# "the nurses on 7C", "moved to T9", "in 4G": a ward's or a class's code after the word that places a person
_PLACED_CODE = bounded(
    r"\b(?:on|in|to|from|at|on ward|in class)\s+(?!CR\d|PR\d)(?P<c>\d{1,2}[A-Z]|[A-Z]{1,2}\d{1,2})\b(?![+-]|\s*(?:cells?|mg|%|mutation|"
    r"deletion|positive|negative|status|antigen|receptor|protein|gene|cancer|disease)\b)"
)
# "the Northern General", "Leeds General": a general hospital by its short name
_GENERAL = bounded(
    r"\b(?:the )?[A-Z][a-z]+ General\b(?! (?:Manager|Assembly|Practice|Practitioner|Secretary|Counsel|Surgery|"
    r"Medicine|Medical|Election|Motors|Electric|Mills|Hospital|Infirmary|Surgeon|Anaesthesia|Anesthesia|Public)\b)"
)
# Codes that mix letters and many digits ("R4472018"), and number plates ("08-CE-1137")
# (in two patterns, each opening with a class and its boundary checked after, so the engine can skip)
_CODE = bounded(
    r"[A-Z](?<!\w[A-Z])(?:[A-Z]{0,2}\d{6,16}|[A-Z]{1,3}-[A-Z]{2,4}-\d{3,5}|[A-Z]{1,2}\d{3,4}|[A-Z]?\d{2}-\d{4,8})\b"
)
# "CPA-2024-0087", "RC/2024/118", "H2402-18736": a reference number with a year or a date in it
_REFERENCE = bounded(r"[A-Z](?<!\w[A-Z])(?:[A-Z]{1,4}[-/](?:19|20)\d\d[-/]\d{2,6}|\d{4}-\d{4,6})\b")
# "the 4G class": a school class by its code
_CLASS_CODE = bounded(r"\d(?<!\w\d)[A-Z]\s+class\b")
# "Story #1184473", "Ticket #88213": a record's number after its word
_NUMBERED_RECORD = bounded(
    r"\b(?:Story|Post|Case|Ticket|Ref|Order|Reference|Thread|Claim|Request)\s?#\s?\d{4,12}\b"
)
_DIGIT_CODE = bounded(
    r"\d(?<!\w\d)(?:\d{5,11}[A-Z]{1,2}|\d{1,2}-[A-Z]{1,3}-\d{1,6}|\d{0,3}-\d{6,12}-\d{1,4}|\d?[A-Z]-\d{2,3})\b"
)
# "PX-25-00931", "P/141121/01/2023/004578": letters and digits joined by "-" or "/", with five digits or
# more, are a code of some record (digits alone so joined are dates, phone numbers, ranges and readings)
_JOINED_CODE = bounded(
    r"(?:[A-Z](?<![\w/.-][A-Z])|\d(?<![\w/.-]\d)(?=[0-9/-]{0,30}[A-Z]))(?=[A-Z0-9/-]{0,30}?(?:\d[/-]?){4})"
    r"[A-Z0-9]{0,11}(?:[/-][A-Z0-9]{1,12}){1,5}"
    r"(?![\w/-]|[.,]\d)"
)
# "Story ref: 1188207", "1131001 / ...": seven digits or more, with no separator a count or amount has
_LONG_NUMBER = bounded(r"\d(?<![\w.,/$£€¥-]\d)\d{6,15}(?![\w/-]|[.,]\d)")
# "Fiona Lindsay (FL)", "Graham Soutar (GS, Treasurer)": a person's initials, which minutes then use alone
_NAME_INITIALS = bounded(
    r"[A-Z](?<!\w[A-Z])[a-z]+(?:\s+[\"“][^\"”\n]{1,15}[\"”])?(?:\s+[A-Z][\w'’-]+){1,2}\s+\((?P<ini>[A-Z]{2,3})[,)]"
)
# "6230 5801 2233 4719 006": a bank card in groups of four; "6501021946xxxx2420": a number with its middle
# masked, still most of one
_CARD = bounded(r"\d(?<![\w.,-]\d)\d{3}(?:(?: \d{4}){3}(?: \d{1,4})?|(?:-\d{4}){3})(?![\w-])")
_MASKED_NUMBER = bounded(r"\d(?<![\w]\d)\d{2,13}(?:[xX]{2,8}|[*＊]{2,8})\d{0,4}[\dXx]?(?![\w*])")
# "Declan (Dec to everyone)": the name a person goes by
_GOES_BY = bounded(
    r"\((?P<nick>[A-Z][a-z]{1,12}) to (?:everyone|everybody|friends|family|all|us|her friends|his friends)\)"
)
# "0419/2024": a reference numbered within its year; "UPI: name@bank": a payment address
_YEAR_REFERENCE = bounded(r"\d(?<![\w/.-]\d)\d{2,5}/(?:19|20)\d\d(?![\w/-])")
_UPI = bounded(r"\bUPI(?: ID)?[:\s]{1,3}(?P<v>[\w.-]{3,40}@[A-Za-z]{2,20})\b")
# "2024-05": a year and a month
_YEAR_MONTH = bounded(r"(?:19|20)(?<![\w/.-]..)\d\d-(?:0[1-9]|1[0-2])(?![\w/-]|\.\d)")
# "00371245", an account "0734529186": no count or amount starts with 0
_LEADING_ZERO = bounded(r"0(?<![\w.,/-]0)\d{7,11}(?![\w/-]|[.,]\d)")
_HANDLE = bounded(
    r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}\b|\b(?:Instagram|Twitter|TikTok|Facebook|X|WeChat|Weibo|handle|username)\s*(?:ID|handle|account)?\s*[:@]\s*(?P<v>[@/]?[A-Za-z0-9_.-]{3,30})"
)
_SSN = bounded(r"\b\d{3}-\d{2}-\d{4}\b")
_PHONE = bounded(
    r"(?<![\w/.-])(?:\+\d{1,3}[\s.-]?|\b1[\s.-](?=\d{3}))?(?:\(\d{1,5}\)[\s.-]?)?\d{2,6}(?:[\s.-]\d{2,6}){1,4}(?:\s*(?:ext|x)\.?\s*\d{1,5})?(?![\w/-])"
)
_PHONE_LOCAL = bounded(r"(?<![\w/.-])\d{3}-\d{4}(?![\w/-])")
_PHONE_CONTEXT = bounded(
    r"(?:tel|phone|call|mobile|mob|cell|fax|hotline|telephone|ring|dial|text|hp|whatsapp|contact|helpline|line)"
    r"\W{0,3}(?:(?:at|on|is|number|no\.?)\W{1,3})?$",
    re.I,
)

# (Chinese text's call words are `chinese._CALL_WORDS`: the English patterns never read Chinese runs.)
_CALL_WORD = bounded(
    r"\b(?:call|calls|calling|phone|tel|contact|ring|text|whatsapp|sms|hotline|helpline|enquiries|reach)\b",
    re.I,
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|one hundred"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# "14.11.2020", "3/4/21", "2022-07-14" (the first digit opens it and the boundary is checked after it,
# so the engine can skip to digits)
_NUMERIC_DATE = bounded(
    r"\d(?<!\w\d)(?:(?:(?<=[0-3])\d|)[/.][01]?\d[/.](?:\d{4}|\d{2})|(?:(?<=[01])\d|)[/.][0-3]?\d[/.](?:\d{4}|\d{2})"
    r"|(?:(?<=1)9|(?<=2)0)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01]))\b"
)
_SEASONS = "spring|summer|autumn|fall|winter|Spring|Summer|Autumn|Fall|Winter"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUMBER = (
    rf"(?:(?:{_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:{_NUMBER_WORDS})"
    rf"|(?:one|a) hundred(?: and \w+)?)"
)
# Cues: a pattern registered with `cued` runs on a text only when the text, lowercased, holds one of its
# cues (every match of the pattern holds one), so a window without a month name skips every month pattern.
_CUES: dict[re.Pattern, tuple[str, ...]] = {}
MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAY_CUES = tuple(day.lower() for day in WEEKDAYS.split("|"))
SEASON_CUES = ("spring", "summer", "autumn", "fall", "winter")


def cued(cues: tuple[str, ...], pattern: re.Pattern) -> re.Pattern:
    _CUES[pattern] = cues
    return pattern


def _uncued(pattern: re.Pattern, low: str) -> bool:
    """True when `low` holds none of `pattern`'s cues, so it cannot match there."""
    cues = _CUES.get(pattern)
    return cues is not None and not any(cue in low for cue in cues)


_DATES = [
    cued(
        SEASON_CUES,
        bounded(
            rf"\b(?:(?:the|that|this|last|early|late|mid)[\s-]+)?(?:{_SEASONS})\s+(?:of\s+|in\s+)?{_YEAR}\b"
        ),
    ),
    cued(SEASON_CUES, bounded(rf"\b(?:(?:early|late|mid)[\s-]?)?{_YEAR}(?:'s)?\s+(?:{_SEASONS})\b")),
    cued(
        (*SEASON_CUES, "christmas", "easter", "new year"),
        bounded(
            rf"\b(?:last|this|that|next|the following|the previous)\s+(?:{_SEASONS}|Christmas|Easter|New Year)\b",
            re.IGNORECASE,
        ),
    ),
    cued(("early", "mid", "late"), bounded(rf"\b(?:early|mid|late)[\s-]{{1,2}}{_YEAR}\b", re.IGNORECASE)),
    cued(
        MONTH_CUES,
        bounded(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS.upper()}),?\s+{_YEAR}\b"),
    ),
    cued(
        MONTH_CUES,
        bounded(
            rf"\b(?:{WEEKDAYS.upper()}),?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS.upper()}),?\s+{_YEAR}\b"
        ),
    ),
    # "May '24", "Jan. '19"
    cued(MONTH_CUES, bounded(rf"\b(?:{MONTHS})\.?\s+['’]\d{{2}}\b")),
    bounded(
        r"\b(?:tomorrow|tonight|the end of the month|the end of the week|bank holiday(?: weekend)?)\b",
        re.IGNORECASE,
    ),
    cued(
        ("day", "weekend"),
        bounded(
            r"\b(?:Australia|Canada|Independence|Labor|Labour|Memorial|Remembrance|St Patrick['’]s|Burns|Anzac|Waitangi|"
            rf"Victoria|Family|Thanksgiving|Easter|Queen['’]s Birthday|King['’]s Birthday) (?:Day|Weekend)(?:\s+{_YEAR})?\b"
        ),
    ),
    bounded(r"(?<![\w.])\d{1,2}[hdw](?=[ \t]{1,4}(?:Like|Reply|·|🌎)|[ \t]*$)", re.MULTILINE),
    cued(
        ("ago",),
        bounded(
            r"\b(?:a|an|one|two|three|four|five|six|seven|\d{1,2})\s+(?:days?|weeks?|hours?)\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    cued(
        (
            "christmas",
            "easter",
            "thanksgiving",
            "hanukkah",
            "diwali",
            "ramadan",
            "eid",
            "new year",
            "mother",
            "father",
            "valentine",
            "boxing",
            "halloween",
            "festival",
        ),
        bounded(
            r"\b(?:Christmas|Easter|Thanksgiving|Hanukkah|Diwali|Ramadan|Eid|Lunar New Year|Chinese New Year|Mother's Day|Father's Day|Valentine's Day|Boxing Day|Halloween|Mid-Autumn Festival|Spring Festival)\b"
        ),
    ),
    bounded(
        r"\b(?:last|this|next)\s+(?:week|weekend|month)\b|\b(?:a|one|two|three|four|five|six)\s+(?:days|weeks)\s+ago\b",
        re.IGNORECASE,
    ),
    cued(
        WEEKDAY_CUES,
        bounded(rf"\b(?:{WEEKDAYS}),?\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+(?:{MONTHS})\.?(?:,?\s+{_YEAR})?\b"),
    ),
    cued(WEEKDAY_CUES, bounded(rf"\b(?:{WEEKDAYS}),?\s+(?:{MONTHS})\.?\s+{_DAY}(?:,?\s+{_YEAR})?\b")),
    cued(MONTH_CUES, bounded(rf"\bthe\s+{_DAY}\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+{_YEAR})?\b")),
    cued(MONTH_CUES, bounded(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+{_YEAR})?\b")),
    cued(
        MONTH_CUES,
        bounded(rf"\b(?:{MONTHS})\.?\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:years|months|patients|%|-year))"),
    ),
    cued(MONTH_CUES, bounded(rf"\b(?:{MONTHS})\.?,?\s+(?:of\s+)?{_YEAR}\b")),
    cued(
        MONTH_CUES,
        bounded(
            rf"\b(?:{MONTHS})\s+(?:of|in)\s+(?:the\s+)?(?:same|that|this|last|following|next|previous)\s+year\b"
        ),
    ),
    cued(MONTH_CUES, bounded(rf"\b(?:early|mid|late|mid-)\s*-?(?:{MONTHS})\b")),
    cued(MONTH_CUES, bounded(rf"\b(?:the\s+)?(?:following|previous|next|same|that)\s+(?:{MONTHS})\b")),
    cued(
        MONTH_CUES,
        bounded(
            rf"\b(?:in|on|since|until|till|by|from|last|next|this|that|during|before|after|of|and|or|In|On|Since|Until|By|"
            rf"From|During|Before|After|Last|Next|Each|Every) (?:the )?(?P<d>(?:{MONTHS}))\b(?!\s+{_YEAR})"
        ),
    ),
    cued(WEEKDAY_CUES, bounded(rf"\b(?:last|next|this|on|every)\s+(?:{WEEKDAYS})\b", re.IGNORECASE)),
    cued(WEEKDAY_CUES, bounded(rf"\b(?:{WEEKDAYS})\b")),
    _NUMERIC_DATE,
    cued(("年",), bounded(r"\b(?:19|20)\d\d年\d{1,2}月(?:\d{1,2}日)?")),
    cued(
        ("christmas", "new year", "thanksgiving", "easter"),
        bounded(
            r"\b(?:Christmas Day|Christmas Eve|New Year's Day|New Year's Eve|Thanksgiving|Easter Sunday)\b"
        ),
    ),
    cued(
        ("yesterday", "last night", "this morning"),
        bounded(r"\b(?:yesterday|the day before yesterday|last night|this morning)\b", re.IGNORECASE),
    ),
    # "on the 14th", "clinic on the 7th": a day of the month without its month
    bounded(
        r"\b(?:[Oo]n|[Bb]y|[Uu]ntil|[Ff]rom|[Ss]ince|[Bb]efore|[Aa]fter|of)\s+the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
        r"(?!\s+(?:century|floor|time|cycle|round|dose|course|day|week|month|year|anniversary|birthday|patient|"
        r"person|edition|grade|generation|percentile|place|line|stage|session|infusion|treatment|attempt|trial)s?\b)"
    ),
    # "turned 8 on 9/22": a month and day after "on"
    bounded(r"\bon\s+(?P<d>(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9]))(?![\w/]|\.\d)"),
    # "Sun 3/23", "Tue, 11/4": a weekday and a month and day
    cued(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        bounded(r"\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+(?:[01]?\d)/(?:[0-3]?\d)\b"),
    ),
    # A time of day: "at 1.15pm", "7am", "14:30"
    bounded(r"\b(?:[01]?\d|2[0-3])(?:[.:][0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?![\w])", re.IGNORECASE),
    # "Wed 8th", a diary's "the 17th" on a line of its own
    cued(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        bounded(rf"\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day)?\.?,?\s+(?:the\s+)?{_DAY}(?!\w)"),
    ),
    bounded(r"(?m)^[ \t]*(?:the\s+)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)[ \t]*$"),
    # "the 20th, 22nd and 27th June": each day of a list before its month
    cued(
        MONTH_CUES,
        bounded(
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?=(?:(?:,\s*|\s+and\s+|\s*&\s*){_DAY}){{1,5}}\s+(?:of\s+)?(?:{MONTHS})\b)"
        ),
    ),
    # "Activities for March", "the September meeting": a month is a date's element even alone ("May" is
    # read only after a word that makes it one, above)
    cued(
        MONTH_CUES,
        bounded(r"\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"),
    ),
    # "Edna W. (3rd, 96!)": a day of the month alone in brackets, a birthday list's
    bounded(r"\((?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?=[,)])"),
    # "scheduled 4/25": a month and a day past 12, which no fraction or score is
    bounded(r"(?<![\w/.])(?:1[0-2]|0?[1-9])/(?:1[3-9]|2\d|3[01])(?![\w/]|\.\d)"),
    # "— 14/06.": a day and a month with a leading zero, or a day past 12
    bounded(r"(?<![\w/.])(?:[12]\d|3[01]|0[1-9])/(?:0[1-9]|1[0-2])(?![\w/]|\.\d)"),
]
# "It's one," is no age: words whose "'s" is not a person's, checked after their capital
_NOT_AGE_OWNERS = "|".join(
    f"(?<={word[0]}){word[1:]}['’]"
    for word in (
        "It",
        "That",
        "There",
        "What",
        "Here",
        "Who",
        "He",
        "She",
        "Everyone",
        "Everything",
        "Nobody",
    )
)
RELATIVES_FOR_AGE = (
    "mum|mom|dad|mother|father|son|daughter|wife|husband|brother|sister|nan|gran|grandma|grandad|grandpa|"
    "woman|man|boy|girl|baby|child|teenager|pensioner|widow|patient"
)
_AGES = [
    bounded(
        r"(?:\b(?:I['’]m|I am|(?:he|she|they|He|She|They)(?:['’]s| is| was| were)|(?:was|is|Now|now)|until (?:she|he) was)"
        r"|(?<=[A-Za-z])['’]s)\s+(?P<n>\d{1,3})\b(?![.,]\d)(?=\s*(?:[,.;:!?)]|now\b|and\b|then\b|with\b|this\b|today\b|when\b|at the time\b|$))"
    ),
    bounded(
        rf"\b(?:Now|now|I['’]m|(?:[Hh]e|[Ss]he|who)['’]s|who is|both)\s+(?P<w>{_WORD_NUMBER})\b(?=\s*[,.;:!?)]|\s+(?:and|now)\b)"
    ),
    bounded(
        r"\b(?:male|female|man|woman|boy|girl|M|F),\s*(?P<n>\d{1,3})\s*(?:years|yrs|y)?\b(?!\s*(?:%|mg|kg))"
    ),
    cued(("birthday",), bounded(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+birthday\b")),
    # "The sisters, both 47,", "Poppy's six,"
    bounded(r"\bboth\s+(?P<a>(?P<n>\d{1,3}))(?=[,.;])"),
    bounded(
        rf"[A-Z](?<!\w[A-Z])(?!{_NOT_AGE_OWNERS})[a-z]{{1,20}}['’]s\s+(?P<a>(?P<w>{_WORD_NUMBER}))(?=[,.;!?])"
    ),
    # "Husband 68 – AML", "Dad, 71,"
    bounded(rf"\b(?i:{RELATIVES_FOR_AGE})\s+(?P<a>(?P<n>\d{{2,3}}))(?=\s*[–—(]|\s+-\s)"),
    # "Kenji (he's 2)", "Archie Fairweather, four months,"
    bounded(r"\((?:he|she)['’]s (?P<a>(?P<n>\d{1,3}))\)"),
    cued(
        ("month", "week"), bounded(rf",(?<=[a-z],) (?P<a>(?P<w>{_WORD_NUMBER}) (?:months|weeks))(?=,| old)")
    ),
    # "Colin (66)", "Dean (44, stubborn", "Mrs Pillai (44 yrs)", "who is 22 months"
    bounded(r"\b[A-Z][a-z]{1,20}\s\((?P<a>(?P<n>\d{1,3})½?)(?:\)|,(?=\s))(?!\s*(?:%|mg|kg))"),
    bounded(rf"\b(?:{RELATIVES_FOR_AGE})\s\((?P<a>(?P<n>\d{{1,3}}))\)(?!\s*(?:%|mg|kg))"),
    # "Patient here, 61F", "45M with CLL"
    bounded(r"(?<=[\s,(])(?P<n>\d{1,3})\s?(?:F|M)(?=[\s,.;)])"),
    # "left school at fourteen", "came to London at seventeen"
    bounded(
        rf"\bat\s+(?P<w>{_WORD_NUMBER})\b(?=\s*[,.;:!?)]|\s+(?:to|and|when|she|he|they|I|with|after|before|that|our|"
        r"while|but|as|because|during|his|her|my|we)\b)"
    ),
    # "his third birthday"
    cued(
        ("birthday",),
        bounded(
            r"\b(?:her|his|their|my|your|our)\s+(?P<w>(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
            r"tenth|eleventh|twelfth|[a-z]+teenth|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?|"
            r"[a-z]*tieth|\d{1,3}(?:st|nd|rd|th)))\s+birthday\b"
        ),
    ),
    cued(("(",), bounded(r"\((?P<n>\d{1,3})\s*(?:yrs?|years?|y)\)")),
    cued(
        ("months",),
        bounded(
            r"\b(?:who\s+is|who\s+was|aged|just|only)\s+(?P<n>\d{1,2})\s+months\b(?!\s+(?:ago|later|after|before))"
        ),
    ),
    bounded(
        rf"\b(?:boy|girl|man|woman|teenager|teen|child|lad|lass|toddler|baby|patient|mother|father|grandmother|"
        rf"grandfather|widow|widower|pensioner|veteran)\s+of\s+(?:(?P<n>\d{{1,3}})|(?P<w>{_WORD_NUMBER}))\b"
        r"(?!\s*(?:%|mg|kg|children|sons|daughters|grandchildren|patients|years? ago))"
    ),
    cued((", ",), bounded(rf"(?<=[A-Za-z], )(?P<w>{_WORD_NUMBER})(?=,|\.\s)")),
    # "Ray Pettit, who at 81 is still driving"
    bounded(r"\b(?:who|she|he),? at (?P<a>(?P<n>\d{2,3}))\b(?![.,]\d|\s*(?:%|percent|mg|kg|km))"),
    cued(("at",), bounded(r"\bat\s+(?P<n>\d{2})\)")),
    # "He turned 61", "who will be 90 (!)", "(then 68)", "Suresh Nair, 46 yrs", "Tom Pirini, 84 on 27 September"
    bounded(
        r"\b(?:[Tt]urned|[Tt]urning|[Tt]urns|will be|would have been|would be)\s+(?P<a>(?P<n>\d{1,3}))\b(?![.,]\d)"
        r"(?=\s*(?:[,.;:!?)(]|$|on\b|in\b|this\b|next\b|last\b|two\b|a\b|yesterday\b|today\b|and\b))"
    ),
    bounded(r"\((?:then|now|aged|age)\s+(?P<a>(?P<n>\d{1,3}))\)"),
    bounded(
        r"(?<=[a-z]), (?P<a>(?P<n>\d{1,3})(?:\s?(?:yrs?|y/o|y\.o\.))?)(?=,|\s+(?:on|in)\s+\d|\s+(?:yrs?|y/o)\b|\s*$)"
    ),
    # "a father of three in his forties"
    bounded(
        r"\bin (?:his|her|their|my|your|our) (?P<a>(?P<w>(?:early |mid-|late )?(?:teens|twenties|thirties|forties|"
        r"fifties|sixties|seventies|eighties)))\b"
    ),
    # "Diagnosis at nineteen", "who at ninety reminded us": a teen or a decade in words is no time of day
    bounded(
        r"\b[Aa]t (?P<a>(?P<w>(?:thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
        r"fifty|sixty|seventy|eighty|ninety|a hundred)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?))\b"
        r"(?!\s*(?:percent|per|minutes|hours|degrees|mg|years|months|weeks|days|miles|kilometres|km|feet|metres|"
        r"o['’]clock|past|to|thousand|hundred|million|%))"
    ),
    # "since I was 17", "when she was 59": an age a time is told by
    bounded(
        r"\b(?:[Ss]ince|[Ww]hen|[Uu]ntil|[Bb]efore|[Aa]fter) (?:I|he|she|they|we) (?:was|were) (?P<a>(?P<n>\d{1,2}))\b(?![.,]\d)"
    ),
    # "Had A Stroke At 67", "diagnosed at 59": an age after what happened at it
    bounded(
        r"\b(?:[Ss]troke|[Dd]iagnosed|[Dd]ied|[Pp]assed away|[Rr]etired|[Mm]arried|[Hh]eart [Aa]ttack|[Tt]ransplant|"
        r"[Dd]iagnosis) (?:[Aa]t|[Aa]ged) (?P<a>(?P<n>\d{1,3}))\b(?!\s*(?:%|mg|kg|hours|days|weeks|months))"
    ),
    cued(
        ("old",), bounded(rf"\b(?P<w>{_WORD_NUMBER})[\s-](?:year|month|week|day)s?[\s-]old\b", re.IGNORECASE)
    ),
    bounded(
        rf"\b(?:aged|age|turned|turning|turns|was|is)\s+(?:just\s+|only\s+|barely\s+|nearly\s+|almost\s+|still\s+)?(?P<w>{_WORD_NUMBER})\b(?!\s+(?:of|times|patients|people|years? ago|months|weeks|days|hours|cycles|doses|of them))",
        re.IGNORECASE,
    ),
    cued(
        ("nineties", "hundreds"),
        bounded(
            r"\b(?:in\s+(?:her|his|their)\s+)(?P<w>(?:early |mid-|late )?(?:nineties|hundreds))\b",
            re.IGNORECASE,
        ),
    ),
    cued(("old",), bounded(r"\b(?P<n>\d{1,3})[\s-](?:year|yr|month|week|day)s?[\s-]old\b", re.IGNORECASE)),
    cued(("old", "age"), bounded(r"\b(?P<n>\d{1,3})\s*(?:years?|yrs?)\s+(?:of\s+age|old)\b", re.IGNORECASE)),
    cued(
        ("age",),
        bounded(r"\b(?:aged|age|ages|Age:|aged:)\s*(?P<n>\d{1,3})\b(?!\s*(?:%|and\s+over))", re.IGNORECASE),
    ),
    bounded(
        r"\b(?:At\s+(?:the\s+age\s+of\s+)?(?P<n>\d{2,3})|at\s+(?:the\s+age\s+of\s+)?(?P<m>\d{2,3})|(?:turned|turning|reached)\s+(?:the\s+age\s+of\s+)?(?P<t>\d{1,3}))"
        r"\b(?=\s*(?:[,.–—]|(?:years|when|she|he|"
        r"they|I|in|on|this|last|while|but|and|after|before|as|that|our|his|her)\b))"
    ),
    cued((", ",), bounded(r"(?<=[A-Za-z], )(?P<n>\d{1,3})(?=,)")),
    bounded(r"\b[A-Z][a-z]+, (?P<a>(?P<n>\d{1,3}))(?=[;)]|\.(?!\d)|\s*$|\s+[—–]\s)"),  # "said Ann Lee, 61."
    bounded(r"(?<=[)”\"]), (?P<a>(?P<n>\d{2,3}))(?=,\s+[A-Z])"),  # '("Nana Ei"), 88, Morpeth'
    cued(("y/o", "yo", "y.o."), bounded(r"\b(?P<n>\d{1,3})\s*(?:y/o|yo|y\.o\.)\b", re.IGNORECASE)),
    # A decade under 90 ("in her 80s") is the anonymised form our own labels use; only 90s and over identify.
    cued(("90s", "100s", "110s", "120s"), bounded(r"\b(?:in\s+(?:her|his|their)\s+)(?P<n>90|1[0-2]0)s\b")),
    cued(("age",), bounded(r"\b(?:at\s+)?the\s+age\s+of\s+(?P<n>\d{1,3})\b")),
    cued(
        ("age",),
        bounded(rf"\b(?:at\s+)?the\s+age\s+of\s+(?P<w>{_WORD_NUMBER})(?:\s+(?:months|weeks|days))?\b"),
    ),
    cued(
        ("turn", "aged"),
        bounded(rf"\b(?:turned|turning|aged|turns|turn)\s+(?P<w>{_NUMBER_WORDS})\b", re.IGNORECASE),
    ),
    cued(("birthday",), bounded(r"\b(?P<n>1[0-2]\d|9\d)(?:th)?\s+birthday\b")),
    cued(
        ("centenarian", "nonagenarian"),
        bounded(r"\b(?:nonagenarian|centenarian|supercentenarian)\b", re.IGNORECASE),
    ),
    cued(
        ("when", "at the time"), bounded(r"\b(?:was|is|be|been)\s+(?P<n>\d{1,3})\s+(?=when\b|at the time\b)")
    ),
    cued(("then",), bounded(r"(?<=, )then\s+(?P<n>\d{1,3})(?=,)")),
    bounded(
        r"\b(?:who is|who was|is now|now|turns|turned|will be|would have been|would be)\s+(?P<n>\d{2,3})\b"
        r"(?=[,.;!]|\s+(?:this|when|and|last|next|on|in))"
    ),
    cued(("year",), bounded(r"\bin\s+(?:her|his|their)\s+(?P<n>\d{1,3})(?:st|nd|rd|th)\s+year\b")),
    # "She was 89 — ninety in June", "I'm 44, dad of two"
    bounded(
        r"\b(?:[Ss]he|[Hh]e|I) (?:was|is|am)\s+(?P<a>(?P<n>\d{1,3}))\b(?![.,]\d)"
        r"(?=\s*(?:[,.;!?)—–]|$|and\b|when\b|but\b|now\b|then\b))"
    ),
    # "Sedlacek '54, 91, died": an age after a class year
    cued(("'", "’"), bounded(r"(?<=['’]\d\d), (?P<a>(?P<n>\d{1,3}))(?=,)")),
    # "the first resident to reach 100."
    bounded(
        r"\b(?:reach|reaches|reaching) (?P<a>(?P<n>\d{2,3}))\b(?=\s*(?:[,.;!?)—–]|$|this\b|next\b|in\b|on\b))"
    ),
    # Birthday lists: "Bert Klaassen – 92 (9 March)", "Mr Ajit Sandhu (21st, 88)"
    bounded(rf"(?<=[a-z\"”)]) [–—-] (?P<a>(?P<n>\d{{2,3}})) \((?={_DAY} [A-Z]|[A-Z][a-z]+ \d)"),
    cued(
        ("st,", "nd,", "rd,", "th,"),
        bounded(r"\(\d{1,2}(?:st|nd|rd|th), (?P<a>(?P<n>\d{1,3}))!?\)"),
    ),
    # "Tyler (nineteen)", "Frank (a sprightly 87)", "Sione (thirty — the big one!)": an age in brackets
    # after a name
    bounded(
        rf"\b[A-Z][a-z]+ \((?:a |an )?(?:[a-z]+ )?(?P<a>(?:(?P<n>\d{{1,3}})|(?P<w>{_WORD_NUMBER})))"
        r"(?=[ !❤️]{0,4}\)|\s*[—–,]\s)"
    ),
]
_AGE_RANGE_BEFORE = bounded(r"(?:up to|under|over|older than|younger than|at least|between|to)\s+$", re.I)
_AGE_RANGE_AFTER = bounded(r"^\s*(?:to|-|–|and)\s*\d")
_STREET = bounded(
    rf"[N0-9](?<![\w][N0-9])(?:(?<=N)o\.\s*\d{{1,5}}|(?<=\d)\d{{0,4}})[A-Za-z]?,?\s+(?:{NAME_WORD}\s+){{1,3}}"
    rf"(?:{STREET_WORDS})\b\.?"
)
_STREET_NAME = bounded(rf"{NAME_START}\s+(?:{NAME_WORD}\s+)?(?:Street|Road|Avenue|Lane|Boulevard)\b")
_TOWN_AFTER_ADDRESS = bounded(rf",\s+(?P<town>{NAME_WORD}(?:[\s-]{NAME_WORD}){{0,2}})\b")
# A dateline: "KUALA LUMPUR, 15 January 2024 —", "Chennai, May 7, 2024"
_DATELINE = bounded(
    rf"(?m)^(?P<place>[{UPPER}][{UPPER}{LOWER} .'-]{{1,30}}?),\s+"
    rf"(?=\d{{1,2}}\s+(?:{MONTHS})|(?:{MONTHS})\.?\s+\d|(?:{MONTHS.upper()})\s+\d|\d{{1,2}}\s+(?:{MONTHS.upper()}))"
)
_UNIT = bounded(r"\b(?:Apt|Apartment|Unit|Flat|Suite|Room|Building|Bldg)\.?\s*#?\s*\d+[A-Z]?\b")
_UK_POSTCODE = bounded(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # Canada: "P7B 1A4"
    r"|\b[AC-FHKNPRTV-Y]\d{2}\s?(?=[A-Z0-9]{0,3}[A-Z])[A-Z0-9]{4}\b"  # Ireland's Eircode: "N37 K2F8"
)
_ZIP = bounded(
    r"(?:\b(?:ZIP|zip code|postcode|postal code|post code)\s*:?\s*|\b[A-Z]{2}\s)(?P<zip>\d{5}(?:-\d{4})?)\b"
)
_CITY_STATE_ZIP = bounded(
    rf"(?P<city>{NAME_START}(?:\s+{NAME_WORD}){{0,2}}),\s+[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b"
)
_PLACE_UNIT = bounded(rf"{NAME_START}\s+(?:{NAME_WORD}\s+){{0,2}}(?:{PLACE_WORDS})\b")
US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|"
    "OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|NSW|VIC|QLD|WA|SA|TAS|ACT|NT"
)
COUNTRIES = (
    "UK|U\\.K\\.|USA|U\\.S\\.A\\.|US|United Kingdom|United States|Canada|Australia|Ireland|New Zealand|India|"
    "Nigeria|Singapore|Malaysia|China|Philippines|Scotland|England|Wales|Northern Ireland|Kenya|Ghana|South Africa"
)
# "Boston, MA", "Ninewells Hospital, Dundee, UK": a town before its state or country
_TOWN_STATE = bounded(
    rf"(?P<place>{NAME_START}(?:[\s-]{NAME_WORD}){{0,2}}),\s+(?:{US_STATES}|{COUNTRIES})(?![\w.])"
)
# "VANCOUVER — A 29-year-old woman": a dateline in capitals
_CAPITAL_DATELINE = bounded(r"(?m)^(?P<place>[A-Z]{3,}(?:[ -][A-Z]{2,}){0,2})(?:,\s+[A-Z][\w.]+)?\s+[—–-]\s")
# "CITY › CHENNAI › HEALTH", "S. Kavitha | CHENNAI | Updated": a place in capitals in a breadcrumb or byline
_CAPITAL_CRUMB = bounded(r"(?m)[|›] (?P<place>[A-Z]{4,}(?: [A-Z]{3,})?)(?= [|›]|[ \t]*$)")
# "HOPE: Properly? ...": a speaker's name before what they said, in an interview's transcript
_SPEAKER = bounded(r"(?m)^(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]{0,2})?(?P<name>[A-Z][A-Z'’-]{1,14}):[ \t]")
NOT_SPEAKERS = {
    *(
        "Q",
        "A",
        "NOTE",
        "UPDATE",
        "EDITOR",
        "INTERVIEWER",
        "HOST",
        "REPORTER",
        "ANSWER",
        "QUESTION",
        "WARNING",
    ),
    *(
        "SOURCE",
        "PHOTO",
        "PHOTOS",
        "TAGS",
        "EDIT",
        "CORRECTION",
        "DISCLAIMER",
        "TRANSCRIPT",
        "NARRATOR",
        "AUDIO",
    ),
    *(
        "VIDEO",
        "CAPTION",
        "CREDIT",
        "CREDITS",
        "READ",
        "MORE",
        "RELATED",
        "SUMMARY",
        "BACKGROUND",
        "PS",
        "NB",
    ),
}
# "Class 2B", "Form 3C": a school class
_SCHOOL_CLASS = bounded(r"\b(?:Class|Form)\s+(?:\d{1,2}[A-Z]{1,2}|[A-Z]{1,2}\d{1,2})\b")
# "Margaret H. (Perth)", "Tom B. - Sent 20k": a first name and an initial, as a commenter signs
_NAME_INITIAL = bounded(rf"(?P<name>{NAME_START}\s+[A-Z]\.)(?=\s*[(\-–—:,])")
_PLACE_CUE = bounded(
    rf"\b(?:in|from|near|at|of|to|outside|around|lives in|living in|native of|hometown of|village of|town of|"
    rf"city of)\s+(?P<place>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\b"
)
_HOSPITAL_SIMPLE = bounded(
    rf"[{UPPER}](?<![\w'’].)(?:(?<=[{UPPER}]){NAME_WORD[len(UPPER) + 2 :]}|(?<=[A-Z])[A-Z]+|(?<=S)t\.?|(?<=S)aint)"
    rf"(?:'s)?\s+(?:(?:{NAME_WORD}|of|the|and|&)(?:'s)?\s+){{0,6}}?"
    rf"(?:{INSTITUTION_WORDS})\b(?:\s+of\s+(?:{NAME_WORD})(?:\s+{NAME_WORD}){{0,3}})?"
)
_ORG_WORD = bounded(
    r"\b(?:University|University's|College|Institute|Academy|Medical|Affiliated|People's|Children's|Women's|"
    r"Cancer|Health|Research|Memorial|General|Royal|Central|Provincial|Municipal|National|Regional|"
    r"Community|Teaching|Union|Army|Military|Traditional|Chinese|Maternity|Eye|Heart|Hospital|Clinic|"
    r"Foundation|Trust|Center|Centre|Sciences?)\b"
)
_HONORIFIC_NAME = bounded(rf"\b{HONORIFICS}\s+(?:[A-Z](?![a-z])\.?|{NAME_WORD}(?:\s+{NAME_WORD})?)")
_PATIENT_LETTER = bounded(
    r"\b(?:[Pp]atient|[Cc]ase|[Ss]ubject)\s+(?:[A-Z]|No\.\s*\d+|#\d+)\b(?![a-z-])(?!\s+(?:cells?|lymph|helper))"
)
_NICKNAME = bounded(rf"\b(?:{KINSHIP})\s+{NAME_WORD}")
_CLINICIAN_TITLED = bounded(
    rf"\b{CLINICIAN_TITLES}\s+(?:[A-Z]\.\s*){{0,2}}(?:{NAME_WORD}\s+){{0,2}}{NAME_WORD}(?:\s+[A-Z]\.)?"
)
_CLINICIAN_ROLE_BEFORE = bounded(
    rf"\b(?i:{CLINICIAN_ROLES})\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\b"
)
_CLINICIAN_ROLE_AFTER = bounded(
    rf"(?P<name>{NAME_START}(?:\s+{NAME_WORD}){{1,2}})(?:,\s+|\s+\()(?:an?\s+|the\s+)?"
    rf"(?:[a-z]+\s+)?(?:{CLINICIAN_ROLES}|M\.?D\.?|Ph\.?D\.?|MD|PhD|FRCP|RN)\b"
)
_CLINICIAN_SAID = bounded(
    rf"\b(?:[Aa]ccording to|said|says|explained|noted|added|told)\s+(?P<name>{NAME_WORD}\s+{NAME_WORD})\b"
)
_PATIENT_AFTER = bounded(
    r",\s*(?:\d|an?\s+\d|then\s+\d|aged\b|who\s+(?:was|is|has|had)\s+(?:diagnosed|treated|admitted)|"
    r"an?\s+(?:patient|mother|father|grandmother|grandfather|retired|former patient)|her\s|his\s|whose\s)"
)
_TEAM_NAME = bounded(rf"(?P<name>{NAME_START})(?:'s)?\s+(?:team|group|lab|laboratory)\b")
_ET_AL = bounded(rf"(?P<name>{NAME_START})\s+et al\b")
_INTRO_NAME = bounded(
    rf"(?P<name>{name_after('^', r'[\s\"“(]')}(?:\s+{NAME_WORD})?),\s+(?:an?\s+|the\s+)?"
    r"(?:\d{1,3}[\s-]year[\s-]old|\d{1,3},|then \d|aged|who|mother|father|grandmother|grandfather|"
    r"woman|man|girl|boy|patient|retired|farmer|teacher|student|mother of|father of)"
)
_APPOSITION = bounded(
    rf"\b(?:The|the|Our|our|Her|her|His|his|Their|their)\s+(?:[a-z]+\s+)?[a-z]{{3,}},\s+"
    rf"(?P<name>{NAME_WORD}\s+{NAME_WORD}),"
)
_POSSESSIVE_NAME = bounded(
    rf"(?P<name>{NAME_START}(?:\s+{NAME_WORD})?)['’]s\s+(?:full\s+|own\s+)?(?:story|journey|fight|battle|diagnosis|family|recovery|treatment|"
    r"condition|symptoms|doctors?|parents|mother|father|husband|wife|daughter|son|life|case|relapse)\b"
)
# "'Kiz' to everyone at the club", '"Gene" to his poker buddies': a nickname in quotes and whose it is
_QUOTED_NICKNAME = bounded(
    rf"['‘\"“](?P<name>{NAME_WORD})['’\"”]\s+to\s+(?:everyone|everybody|friends|his|her|their|the|all|us|me)\b"
)
_NAME_WITH_NICKNAME = bounded(
    rf"{NAME_START}\s+[\"“][A-Z][a-z]{{1,15}}[\"”]\s+{NAME_WORD}"
)  # 'Kyle "Moose" Anderson'

_NAMED = bounded(
    rf"\b(?:named|called|calls|calls him|calls her|call him|call her|nicknamed|known as|pseudonym|alias|surnamed|"
    rf"first name|surname)\s+[\"“]?(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?|[A-Z]{{2,4}}\b)"
)
RELATIVES = (
    r"daughter|son|husband|wife|mother|father|sister|brother|partner|grandson|granddaughter|grandchild|"
    r"child|friend|neighbour|neighbor|fiancée?|niece|nephew|cousin|mum|mom|dad|stepson|stepdaughter|carer|"
    r"caregiver|twin|boyfriend|girlfriend|spouse"
)
_RELATIVE_AND_NAME = (
    rf"\s+(?:(?:older|younger|elder|eldest|youngest|little|big|baby|twin|\d+-year-old)\s+)?(?:{RELATIVES})"
    rf"\s*,?\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
# "her sister Ann", "Maya's brother Tom" (two patterns, each opening with what the engine can skip to)
_RELATIVE_NAME = bounded(rf"\b(?:Her|her|His|his|Their|their|My|my|Our|our|Whose|whose){_RELATIVE_AND_NAME}")
_OWNER_RELATIVE_NAME = bounded(rf"(?P<owner>{NAME_WORD}(?:\s+{NAME_WORD})?)['’]s{_RELATIVE_AND_NAME}")
_NAME_AND_RELATIVE = bounded(
    rf"(?P<name>{name_after('^', r'[.!?]\s', r'\n')}(?:\s+{NAME_WORD})?)\s+and\s+(?:his|her|their)\s+(?:{RELATIVES})\b"
)
_NAME_BRACKETED_ID = bounded(
    rf"(?P<name>{NAME_START}\s+{NAME_WORD})\s+\((?:SSN|MRN|NHS|ID|DOB|born|aged|age)\b"
)
_NAME_VERB = bounded(
    rf"(?P<name>{name_after('^', r'[.!?]\s', r'\n', r'[,;]\s')}\s+{NAME_WORD})\s+(?:was|is|had|has|said|says|"
    r"recalls|recalled|received|underwent|developed|began|started|remembers|told|felt|feels|became|lives|"
    r"returned|went|came|wanted|hoped|joined|agreed)\b"
)
_NAME_LABEL = bounded(
    rf"\b(?:Name|Your name|Full name|Nominee|Nominated by|Signed|Caller|CALLER|Patient name|Patient|Member|Policyholder|Insured|Client|Subscriber|Next of kin|Contact)"
    r"\s*:\s*"
    rf"(?P<name>{HONORIFICS}\s+\w+|{NAME_WORD}(?:\s+{NAME_WORD})?)"
)


NOT_DATELINES = {
    "update",
    "updated",
    "breaking",
    "note",
    "editor",
    "editors",
    "correction",
    "warning",
    "live",
}


def _ok_name(text: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if any(w.casefold() in LARGE_PLACES for w in words):
        return False
    return (
        bool(words)
        and not all(w.casefold().rstrip("'s’") in NOT_NAMES for w in words)
        and not any(w.casefold() in NOT_NAMES for w in words[:1])
    )


def _age_kind(value: str) -> str:
    return "age_over_89" if value.isdigit() and int(value) > 89 else "age"


# Patterns that cannot match without one of these words are not run over a window that lacks them all.
for _pattern, _cues in (
    (
        _BED_WARD,
        ("bed", "ward", "room", "bay", "cubicle", "cot", "pod", "suite", "floor", "apt", "apartment", "flat"),
    ),
    (
        _HANDLE,
        ("@", "instagram", "twitter", "tiktok", "facebook", "wechat", "weibo", "handle", "username", "x:"),
    ),
    (_TEAM_NAME, ("team", "group", "lab", "et al")),
    (_RELATIVE_NAME, tuple(w.rstrip("e?") if w.endswith("?") else w for w in RELATIVES.split("|"))),
    (_CLINICIAN_ROLE_BEFORE, tuple(CLINICIAN_ROLES.split("|"))),
):
    cued(_cues, _pattern)


def scan(text: str) -> list[Finding]:
    """What the English patterns and cues find in `text`, overlaps and all (`findings.tidy` sorts them out)."""
    if not text:
        return []
    found: list[Finding] = []
    low = text.lower()
    each = reader(text)

    def add(kind, start, end):
        span = text[start:end]
        stripped = span.rstrip(" ,.;:")
        end -= len(span) - len(stripped)
        lead = len(stripped) - len(stripped.lstrip())
        start += lead
        if end > start:
            found.append(Finding(kind, text[start:end], start, end))

    # Things with a shape.
    for m in each(_EMAIL) if "@" in text else ():
        add("email", m.start(), m.end())
    for m in each(_URL):
        add("url", m.start(), m.end())
    for m in each(_IPV4):
        if all(
            int(part) <= 255 and (part == "0" or not part.startswith("0")) for part in m.group(0).split(".")
        ):
            add("ip_address", m.start(), m.end())
    for m in each(_IPV6):
        if "::" in m.group(0) or m.group(0).count(":") >= 5:
            add("ip_address", m.start(), m.end())
    for m in each(_ID_KEYWORD):
        add("id_number", m.start("value"), m.end("value"))
    for m in () if _uncued(_BED_WARD, low) else [*each(_BED_WARD), *each(_WARD_NAMED_BEFORE)]:
        add("id_number", m.start(), m.end())
    for m in () if _uncued(_HANDLE, low) else each(_HANDLE):
        add("url", m.start("v") if m.group("v") else m.start(), m.end())
    for m in each(_BARE_URL):
        add("url", m.start(), m.end())
    for m in each(_USERNAME) if "_" in text else ():
        add("url", m.start(), m.end())
    for m in (*each(_CODE), *each(_DIGIT_CODE)):
        add("id_number", m.start(), m.end())
    for m in (*each(_REFERENCE), *each(_CLASS_CODE)):
        add("id_number", m.start(), m.end())
    for m in each(_NUMBERED_RECORD):
        add("id_number", m.start(), m.end())
    for m in each(_LEADING_ZERO):
        add("id_number", m.start(), m.end())
    for m in each(_GOES_BY) if " to " in text else ():
        add("nickname", m.start("nick"), m.end("nick"))
    for m in (*each(_YEAR_REFERENCE), *(each(_UPI) if "UPI" in text else ())):
        group = "v" if m.groupdict().get("v") else 0
        add("id_number", m.start(group), m.end(group))
    for m in each(_YEAR_MONTH):
        add("date", m.start(), m.end())
    for m in each(_COMPASS_WARD):
        add("id_number", m.start(), m.end())  # "4 North Pediatrics", "3 North"
    for m in each(_PLACED_CODE):
        add("id_number", m.start("c"), m.end("c"))
    for m in each(_GENERAL) if "General" in text else ():
        if m.group(0).split()[-2] not in (
            "Attorney",
            "Surgeon",
            "Secretary",
            "Director",
            "Inspector",
            "Consul",
        ):
            add("hospital", m.start(), m.end())
    for m in each(_NAME_INITIALS):
        words = re.findall(r"[A-Z][\w'’-]+", text[m.start() : m.start("ini")])
        given = "F" in person_names().get(words[0], "") + person_names().get(words[1], "")  # a first name
        if given and m.group("ini")[0] in (words[0][0], words[1][0]) and m.group("ini")[-1] == words[-1][0]:
            add("nickname", m.start("ini"), m.end("ini"))
    for m in (*each(_CARD), *each(_MASKED_NUMBER)):
        add("id_number", m.start(), m.end())
    for m in each(_JOINED_CODE):
        add("id_number", m.start(), m.end())
    for m in each(_LONG_NUMBER):
        if not re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            add("id_number", m.start(), m.end())
    for m in (*each(_BY_USER), *each(_SAYS_USER)):
        add("url", m.start("user"), m.end("user"))
    for m in each(_REDDIT_USER) if "u/" in text else ():
        add("url", m.start(), m.end())
    for m in each(_HASHTAG):
        add("url", m.start(), m.end())
    for m in each(_POSTER_LINE):
        add("url", m.start(), m.end())
    for m in each(_CASHTAG) if "$" in text else ():
        add("url", m.start(), m.end())
    for m in each(_EXTENSION):
        add("phone", m.start(), m.end())
    for m in each(_INITIALS):
        if m.group(0) not in NOT_INITIALS:
            add("person_name", m.start(), m.end() - 1 if m.group(0).endswith(".") else m.end())
    for m in each(_SSN):
        add("id_number", m.start(), m.end())
    for m in each(_PHONE):
        digits = re.sub(r"\D", "", m.group(0))
        groups = re.findall(r"\d+", m.group(0))
        if not 7 <= len(digits) <= 15 or _SSN.fullmatch(m.group(0)):
            continue
        if _NUMERIC_DATE.fullmatch(m.group(0)):
            continue  # "2022-07-14", "14.11.2020": a date
        if all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups):
            continue  # "2013-2016", "2016 2017": years, not a number
        context = _PHONE_CONTEXT.search(text[max(0, m.start() - 20) : m.start()])
        shaped = m.group(0).startswith(("+", "(")) or len(groups) >= 3 or len(digits) >= 10
        # "call the Transplant Centre at 6321 5860": eight digits in two fours (Hong Kong, Singapore), a call
        # or contact word in the sentence before
        local = re.fullmatch(r"[2-9]\d{3}[ -]\d{4}", m.group(0)) and _CALL_WORD.search(
            text[max(0, m.start() - 60) : m.start()]
        )
        if context or shaped or local:
            add("phone", m.start(), m.end())
    for m in each(_PHONE_LOCAL):
        add("phone", m.start(), m.end())
    for pattern in _DATES:
        if _uncued(pattern, low):
            continue
        for m in each(pattern):
            group = "d" if "d" in pattern.groupindex else 0
            add("date", m.start(group), m.end(group))
    for pattern in _AGES:
        if _uncued(pattern, low):
            continue
        group = "a" if "a" in pattern.groupindex else 0
        for m in each(pattern):
            if _AGE_RANGE_BEFORE.search(
                text[max(0, m.start(group) - 14) : m.start(group)]
            ) or _AGE_RANGE_AFTER.match(text[m.end() : m.end() + 6]):
                continue  # "up to 25 years of age", "aged 18 to 65": a rule about many people, not one
            value = m.groupdict().get("n") or m.groupdict().get("m") or m.groupdict().get("t")
            word = m.groupdict().get("w")
            if word:
                kind = "age_over_89" if re.search(r"ninet(?!een)|hundred", word, re.IGNORECASE) else "age"
            else:
                kind = _age_kind(value) if value else "age_over_89"
            add(kind, m.start(group), m.end(group))

    # Places.
    for m in (*each(_STREET), *each(_STREET_NAME)):
        town = _TOWN_AFTER_ADDRESS.match(text, m.end())
        if (
            town
            and re.search(r"\d", m.group(0))
            and not any(w.casefold() in LARGE_PLACES for w in town.group("town").split())
        ):
            add("address", m.start(), m.end())
            add("place", town.start("town"), town.end("town"))
        if not re.search(r"\d", m.group(0)) and not _ok_name(m.group(0).rsplit(" ", 1)[0]):
            continue
        add("address", m.start(), m.end())
    for m in each(_UNIT):
        add("address", m.start(), m.end())
    for m in each(_DATELINE):
        if m.group("place").casefold() not in LARGE_PLACES:
            add("place", m.start("place"), m.end("place"))
    for m in each(_UK_POSTCODE):
        add("address", m.start(), m.end())
    for m in each(_ZIP):
        add("address", m.start("zip"), m.end("zip"))
    for m in each(_CITY_STATE_ZIP):
        if _ok_name(m.group("city")):
            add("place", m.start("city"), m.end("city"))
    for m in each(_TOWN_STATE):
        if _ok_name(m.group("place")) and not ORG_CONTINUATION.match(text, m.start("place")):
            add("place", m.start("place"), m.end("place"))
    for m in each(_CAPITAL_DATELINE):
        if m.group("place").casefold() not in LARGE_PLACES | NOT_NAMES | NOT_DATELINES:
            add("place", m.start("place"), m.end("place"))
    for m in each(_SCHOOL_CLASS):
        add("place", m.start(), m.end())
    for m in each(_CAPITAL_CRUMB):
        if m.group("place").casefold() not in LARGE_PLACES | NOT_NAMES | NOT_DATELINES:
            add("place", m.start("place"), m.end("place"))
    speakers = [m for m in each(_SPEAKER) if m.group("name") not in NOT_SPEAKERS]
    said = {
        m.group("name") for m in speakers if sum(n.group("name") == m.group("name") for n in speakers) >= 2
    }
    for m in speakers:
        if m.group("name") in said:
            add("person_name", m.start("name"), m.end("name"))
    for m in each(_PLACE_UNIT):
        words = m.group(0).split()
        while words and words[0].casefold() in NOT_NAMES:
            words.pop(0)
        if len(words) >= 2:
            add("place", m.end() - len(" ".join(words)), m.end())
    for m in each(_PLACE_CUE):
        place = m.group("place")
        words = place.split()
        if any(w.casefold() in LARGE_PLACES for w in words) or any(w.casefold() in NOT_NAMES for w in words):
            continue
        if ORG_CONTINUATION.match(text, m.end("place")) or re.match(r"\s+et al", text[m.end("place") :]):
            continue
        if re.match(rf"\s*(?:{MONTHS})\b", place) or re.search(
            r"(?:ology|ics|ism|itis|oma|emia)$", words[-1]
        ):
            continue
        if (
            re.match(r"\s*,?\s*(?:a|an|the|who|said|and)\b", text[m.end("place") : m.end("place") + 8])
            and len(words) > 1
        ):
            continue  # "in Zhai Zhimin, the ..." reads as a person, handled below
        add("place", m.start("place"), m.end("place"))

    # Institutions.
    for m in each(_HOSPITAL_SIMPLE):
        span = m.group(0)
        words = span.split()
        while words and (words[0].casefold() in {"the", "of", "and", "&", "at", "in"}):
            words.pop(0)
        if len(words) < 2:
            continue
        start = m.end() - len(" ".join(words)) if span.endswith(words[-1]) else m.start()
        # "Professor Ann Lee of Oslo University Hospital", "Hematology of X's Second Affiliated Hospital":
        # what comes before an "of" with no word of an institution in it is not part of the name.
        head = re.search(rf"\b(?:{INSTITUTION_WORDS})\b", text[start : m.end()])
        for of in reversed(list(re.finditer(r"\s+of\s+(?:the\s+)?", text[start : start + head.start()]))):
            if not _ORG_WORD.search(text[start : start + of.start()]):
                start += of.end()
                break
        add("hospital", start, m.end())

    # People.
    for m in each(_CLINICIAN_TITLED):
        if re.match(r"(?:Sister|Nurse|Director|Dean)\b", m.group(0)) and not re.search(
            rf"\s{NAME_WORD}\s+{NAME_WORD}", " " + m.group(0)
        ):
            continue
        name = re.sub(rf"^{CLINICIAN_TITLES}\s+", "", m.group(0))
        if _ok_name(name):
            add("clinician_name", m.start(), m.end())
    for pattern in (_CLINICIAN_ROLE_BEFORE, _CLINICIAN_ROLE_AFTER, _CLINICIAN_SAID):
        if pattern is _CLINICIAN_ROLE_BEFORE and _uncued(_CLINICIAN_ROLE_BEFORE, low):
            continue
        for m in each(pattern):
            if _ok_name(m.group("name")) and not ORG_CONTINUATION.match(text, m.end("name")):
                kind = "clinician_name"
                if pattern is _CLINICIAN_SAID and _PATIENT_AFTER.match(text, m.end("name")):
                    kind = "person_name"  # "said Ann Lee, 61", "said Ann Lee, who was diagnosed ..."
                add(kind, m.start("name"), m.end("name"))
    for m in () if _uncued(_TEAM_NAME, low) else [*each(_TEAM_NAME), *each(_ET_AL)]:
        if _ok_name(m.group("name")):
            add("clinician_name", m.start("name"), m.end("name"))
    for m in each(_QUOTED_NICKNAME):
        add("nickname", m.start("name"), m.end("name"))
    for m in each(_NAME_WITH_NICKNAME):
        add("person_name", m.start(), m.end())
    for m in each(_NICKNAME):
        name = m.group(0).split()[-1]
        if name.casefold() not in NOT_NAMES:
            add("nickname", m.start(), m.end())
    for m in each(_HONORIFIC_NAME):
        add("person_name", m.start(), m.end())
    for m in each(_PATIENT_LETTER):
        add("person_name", m.start(), m.end())
    relatives = [] if _uncued(_RELATIVE_NAME, low) else [*each(_RELATIVE_NAME), *each(_OWNER_RELATIVE_NAME)]
    for m in relatives:
        if m.groupdict().get("owner") and _ok_name(m.group("owner")):
            add("person_name", m.start("owner"), m.end("owner"))
    for matches in (
        each(_INTRO_NAME),
        each(_APPOSITION),
        each(_POSSESSIVE_NAME),
        each(_NAMED),
        relatives,
        each(_NAME_AND_RELATIVE),
        each(_NAME_VERB),
        each(_NAME_LABEL),
        each(_NAME_BRACKETED_ID),
        each(_NAME_INITIAL),
    ):
        for m in matches:
            name, start = m.group("name"), m.start("name")
            while " " in name and name.split()[0].casefold() in NOT_NAMES:  # "Read Amelia's story"
                first = name.split()[0]
                start += len(first) + 1
                name = name[len(first) + 1 :]
            if _ok_name(name) or re.match(HONORIFICS, name):
                add("person_name", start, m.end("name"))
            elif matches is relatives and "F" in person_names().get(name.split()[0], ""):
                add("person_name", start, m.end("name"))  # "my husband Dean": a first name, whatever else

    return found
