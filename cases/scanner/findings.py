"""What the scanner reports: a Finding per stretch of text, of one kind."""

from dataclasses import dataclass

KINDS: dict[str, str] = {
    "person_name": "Personal name",
    "nickname": "Nickname",
    "clinician_name": "Clinician's name",
    "proper_noun": "Name not known to be safe",
    "hospital": "Hospital or institution",
    "place": "Place smaller than a state",
    "address": "Street address or postcode",
    "date": "Date more precise than a year",
    "age": "Age",
    "age_over_89": "Age over 89",
    "phone": "Phone number",
    "email": "E-mail address",
    "url": "Web address",
    "ip_address": "IP address",
    "id_number": "Record, ID, bed or ward number",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    def moved(self, offset: int) -> "Finding":
        """The same finding `offset` characters further on (from a window to its whole text)."""
        return Finding(self.kind, self.text, self.start + offset, self.end + offset)


_PRIORITY = {kind: n for n, kind in enumerate(
    ["email", "url", "ip_address", "id_number", "phone", "age_over_89", "age", "date", "address",
     "clinician_name", "nickname", "person_name", "hospital", "place", "proper_noun"]
)}  # fmt: skip
PEOPLE_AND_PLACES = {
    "person_name",
    "nickname",
    "clinician_name",
    "place",
    "hospital",
    "address",
    "proper_noun",
}


def tidy(text: str, found: list[Finding]) -> list[Finding]:
    """One finding per stretch of text: the longest wins, then the more specific kind; clinicians' names
    also found as plain names stay clinicians'; a name inside a found hospital or address is dropped."""
    found = sorted(set(found), key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.kind]))
    kept: dict[Finding, None] = {}  # insertion-ordered set
    active: list[Finding] = []  # kept findings that may still overlap what comes next (sorted by start)
    for f in found:
        active = [k for k in active if k.end > f.start and k in kept]
        clash = next((k for k in active if k.start < f.end), None)
        if clash is None:
            kept[f] = None
            active.append(f)
            continue
        inside = clash.start <= f.start and f.end <= clash.end
        if inside and (f.kind == clash.kind or {f.kind, clash.kind} <= PEOPLE_AND_PLACES):
            continue
        if (
            inside
            and f.kind in ("date", "age", "age_over_89", "place", "phone", "address")
            and clash.kind in ("date", "hospital", "url", "email", "id_number", "ip_address", "address")
        ):
            continue
        if not inside and (
            f.kind == clash.kind or (f.kind == "proper_noun" and clash.kind in PEOPLE_AND_PLACES)
        ):
            kind = clash.kind if f.kind == "proper_noun" else f.kind
            merged = Finding(kind, "", min(f.start, clash.start), max(f.end, clash.end))
            del kept[clash]
            kept[merged] = None
            active.append(merged)
            continue
        kept[f] = None
        active.append(f)
    return sorted(
        (Finding(k.kind, text[k.start : k.end], k.start, k.end) for k in kept), key=lambda f: (f.start, f.end)
    )
