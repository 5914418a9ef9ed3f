"""Writes data/names.txt.gz, the person names the scanner recognises, from the names-dataset package.

    pip install -e '.[names]' && python -m cases.scanner.build_names

names-dataset (Apache-2.0) holds 1.5 million names with their rank in 100+ countries; loading it takes
about 2 GB and 9 s, too much for a web worker. This keeps the names ranked in the top RANK of at least
one country: a few hundred kilobytes, loaded in well under a second.
"""

import gzip
import pickle
from importlib.resources import files
from pathlib import Path

RANK = 2000
OUT = Path(__file__).resolve().parent / "data" / "names.txt.gz"


def ranked(kind: str) -> set[str]:
    with gzip.open(files("names_dataset") / "v3" / f"{kind}_names.pkl.gz") as fh:
        table = pickle.load(fh)  # noqa: S301 - the package's own data file
    return {
        name
        for name, facts in table.items()
        if facts.get("rank") and min(facts["rank"].values()) <= RANK and name.isalpha() and name.isascii()
        and len(name) >= 2 and name[0].isupper()
    }  # fmt: skip


def main():
    first, last = ranked("first"), ranked("last")
    lines = [
        f"{name}\t{'F' if name in first else ''}{'L' if name in last else ''}"
        for name in sorted(first | last)
    ]
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=9, mtime=0))
    print(f"{OUT}: {len(first)} first names, {len(last)} last names")


if __name__ == "__main__":
    main()
