"""PLACEHOLDER scanner (to be replaced by the full rule-based scanner)."""

import re
from dataclasses import dataclass

KINDS = {
    "person_name": "Personal name",
    "nickname": "Nickname",
    "clinician_name": "Clinician's name",
    "hospital": "Hospital or institution",
    "place": "Place smaller than a state",
    "date": "Date more precise than a year",
    "age": "Age",
    "age_over_89": "Age over 89",
    "phone": "Phone number",
    "email": "E-mail address",
    "url": "Web address",
    "ip_address": "IP address",
    "id_number": "Record or ID number",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


_PATTERNS = [
    ("nickname", re.compile(r"\b(?:Grandma|Grandpa|Uncle|Auntie|Aunt|Granny)\s+[A-Z][a-z]+")),
    ("person_name", re.compile(r"\b(?:Mr|Ms|Mrs|Miss)\.?\s+[A-Z][a-z]*")),
    (
        "date",
        re.compile(
            r"\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
        ),
    ),
    ("address", re.compile(r"\b\d+\s+[A-Z][a-z]+\s+Street\b")),
    ("age", re.compile(r"\b\d{1,3}(?:-year-old|\s+years\s+old)\b|(?<=, )\d{2,3}(?=,)")),
]


def find_identifiers(text: str) -> list[Finding]:
    found = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            k = "place" if kind == "address" else kind
            if k == "age" and int(re.match(r"\d+", m.group(0)).group(0)) > 89:
                k = "age_over_89"
            found.append(Finding(k, m.group(0), m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)
