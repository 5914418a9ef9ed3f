"""Backup and restore of a whole installation: the database and every stored file, in one archive.

The archive is a gzipped tar holding

    manifest.json     what is inside: format version, when, Django and migration state, rows per model,
                      and the SHA-256 and size of every other member
    database.json     every row, as Django's portable JSON (loads on SQLite and PostgreSQL alike)
    media/<name>      the public uploads (the default storage: local disk or object storage)
    private/<name>    the signed consent forms (the private storage)

Content types and permissions are not in the dump: `migrate` creates them, and the rows that point at
them use natural keys (app label and model name), so the ids may differ between installations.

A restore first unpacks and checks everything (every checksum, the manifest, the row counts, the
migration state) in a scratch folder, and only then touches the installation: the rows load in one
transaction, and the files are written while that transaction is still open, so a failure writing them
undoes the rows as well.
"""

import gzip
import hashlib
import io
import json
import tarfile
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from articles.cache import retire_everything

FORMAT = "newsdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
# Archive folder -> storage alias. Every file of these storages is backed up, referenced or not.
STORAGE_FOLDERS = {"media": "default", "private": "private"}
# Recreated by `migrate` in every installation; rows elsewhere refer to them by natural key.
NOT_DUMPED = ["contenttypes", "auth.permission"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be restored; the message says what is wrong and what to do."""


@dataclass
class Restored:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    replaced: bool = False


# --- What an installation holds -------------------------------------------------------------------


def dumped_models():
    """The models whose rows a backup carries, in Django's app order."""
    skip_apps = {label for label in NOT_DUMPED if "." not in label}
    skip_models = {label for label in NOT_DUMPED if "." in label}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in skip_apps or meta.label_lower in skip_models:
            continue
        yield model


def row_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in dumped_models()}
    for model in _auto_m2m_through_models():
        counts[model._meta.label_lower] = model._base_manager.using(using).count()
    return counts


def _auto_m2m_through_models():
    """Link tables Django made for a ManyToManyField: dumped as lists on their owner, counted here."""
    for model in dumped_models():
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                yield through


def migration_state(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        state.setdefault(app_label, []).append(name)
    return state


def stored_files(storage, folder=""):
    """Every file name in a storage, walking its folders (works for local disk and object storage)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


# --- Backup ---------------------------------------------------------------------------------------


def write_backup(path, *, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `path` (first as `path.partial`, renamed when complete). Returns the manifest."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        manifest = _write_archive(partial, using=using)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave a file that looks like a backup
        raise
    partial.replace(path)
    return manifest


def _write_archive(partial: Path, *, using) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsdesk-backup-") as scratch:
        dump = Path(scratch) / DATABASE
        counts, migrations = _dump_database(dump, using=using)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "django_version": django.get_version(),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "rows": counts,
            "files": {DATABASE: _describe(dump)},
        }
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=DATABASE)
            # Stored files are never overwritten under the same name (Django picks a new name), so files
            # copied after the snapshot include every file the snapshot's rows point at.
            for folder, alias in STORAGE_FOLDERS.items():
                storage = storages[alias]
                for name in stored_files(storage):
                    arcname = f"{folder}/{name}"
                    manifest["files"][arcname] = _add_stored_file(archive, storage, name, arcname)
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
    return manifest


def _dump_database(target: Path, *, using) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Dump every row, count them and read the migration state, all from one consistent snapshot."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # One snapshot for every query of the dump, whatever editors save meanwhile.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # SQLite runs this transaction as BEGIN IMMEDIATE (see settings), which holds writers off.
        call_command(
            "dumpdata", *[m._meta.label for m in dumped_models()], natural_foreign=True,
            use_base_manager=True, database=using, output=str(target), verbosity=0,
            format="exactjson",  # every microsecond; Django's json keeps milliseconds
        )  # fmt: skip
        return row_counts(using), migration_state(using)


def _add_stored_file(archive: tarfile.TarFile, storage, name: str, arcname: str) -> dict:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as source, tempfile.TemporaryFile() as copy:
        # Object storage may not know a size up front; a local copy gives tar its size and the checksum.
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
        size = copy.tell()
        copy.seek(0)
        info = tarfile.TarInfo(arcname)
        info.size, info.mode = size, 0o600
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, copy)
    return {"sha256": digest.hexdigest(), "size": size}


def _describe(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


# --- Restore --------------------------------------------------------------------------------------


def restore_backup(path, *, replace=False, using=DEFAULT_DB_ALIAS) -> Restored:
    """Check the archive completely, then load it. Raises BackupError, having changed nothing."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-restore-") as scratch:
        scratch = Path(scratch)
        manifest = unpack_and_verify(path, scratch)
        check_compatible(manifest, using=using)
        held = {label: n for label, n in row_counts(using).items() if n}
        if held and not replace:
            raise BackupError(
                "This installation already holds data ("
                + ", ".join(f"{n} {label}" for label, n in sorted(held.items()))
                + "). Restore into a freshly migrated, empty database, or run restore with --replace to "
                "delete everything here first."
            )
        if not replace:
            for alias in STORAGE_FOLDERS.values():
                if existing := next(stored_files(storages[alias]), None):
                    raise BackupError(
                        f"The {alias!r} storage already holds files (for example {existing}). Restore into "
                        "empty storage, or run restore with --replace to delete its files first."
                    )
        return _load(manifest, scratch, replace=replace, using=using)


def unpack_and_verify(path, scratch: Path) -> dict:
    """Unpack into `scratch`, checking every member against the manifest. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup archive at {path}.")
    seen: dict[str, dict] = {}
    manifest = None
    try:
        # gzip's CRC covers every byte; checking it first means a flipped bit is reported as
        # damage rather than as whatever the altered tar header happens to say.
        with gzip.open(path, "rb") as stream:
            while stream.read(CHUNK):
                pass
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = _safe_member_name(member)
                if name in seen or (name == MANIFEST and manifest is not None):
                    raise BackupError(f"The archive holds {name} twice; it was not written by backup.")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    manifest = _read_manifest(source.read())
                    continue
                target = scratch / "members" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, OSError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{path} is damaged or not a backup archive ({type(error).__name__}: {error}). "
            "Use another copy of the backup."
        ) from error
    if manifest is None:
        raise BackupError(f"{path} has no {MANIFEST}; it was not written by `manage.py backup`.")
    expected = manifest["files"]
    if missing := sorted(set(expected) - set(seen)):
        raise BackupError(
            f"The archive is incomplete; its manifest lists {_few(missing)}, which it lacks. "
            "Use another copy of the backup."
        )
    if extra := sorted(set(seen) - set(expected)):
        raise BackupError(f"The archive holds files its manifest does not list: {_few(extra)}.")
    if damaged := sorted(name for name in expected if seen[name] != expected[name]):
        raise BackupError(
            f"Checksum mismatch, the archive is damaged: {_few(damaged)}. Use another copy of the backup."
        )
    _check_rows(manifest, scratch / "members" / DATABASE)
    return manifest


def _safe_member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    if not member.isfile() or name.startswith("/") or ".." in parts or not parts:
        raise BackupError(f"The archive holds {name!r}, which backup never writes; refusing to unpack it.")
    if name not in (MANIFEST, DATABASE) and parts[0] not in STORAGE_FOLDERS:
        raise BackupError(f"The archive holds {name!r}, which backup never writes; refusing to unpack it.")
    return name


def _read_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"{MANIFEST} is not valid JSON ({error}); the archive is damaged.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} does not describe a Newsdesk backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this Newsdesk reads version "
            f"{FORMAT_VERSION}. Restore it with the Newsdesk version that wrote it."
        )
    for key, kind in (("files", dict), ("rows", dict), ("migrations", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{MANIFEST} lacks its {key!r} section; the archive is damaged.")
    return manifest


def _check_rows(manifest: dict, dump: Path) -> None:
    """The dump must hold exactly the rows the manifest counted."""
    try:
        objects = json.loads(dump.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{DATABASE} is not valid JSON ({error}); the archive is damaged.") from error
    found = Counter(obj["model"] for obj in objects)
    for model in dumped_models():
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                label = m2m.remote_field.through._meta.label_lower
                found[label] += sum(len(o["fields"].get(m2m.name, [])) for o in objects
                                    if o["model"] == model._meta.label_lower)  # fmt: skip
    expected = {label: n for label, n in manifest["rows"].items() if n}
    if dict(+found) != expected:
        differ = sorted(k for k in set(found) | set(expected) if found.get(k, 0) != expected.get(k, 0))
        raise BackupError(
            f"{DATABASE} does not hold the rows the manifest lists (differences in {_few(differ)}); "
            "the archive is damaged."
        )


def check_compatible(manifest: dict, *, using=DEFAULT_DB_ALIAS) -> None:
    """Rows load only into the database schema they were dumped from."""
    here = migration_state(using)
    there = manifest["migrations"]
    if here != there:
        apps_differ = sorted(a for a in set(here) | set(there) if here.get(a) != there.get(a))
        raise BackupError(
            f"This backup was made at a different database schema (apps {', '.join(apps_differ)} differ). "
            "Install the Newsdesk version that made it (Django "
            f"{manifest.get('django_version')}), run migrate, restore, then upgrade as usual."
        )
    unknown = sorted(set(manifest["rows"]) - set(row_counts(using)))
    if unknown:
        raise BackupError(
            f"This installation has no table for {_few(unknown)}; use the version that made it."
        )


def _load(manifest: dict, scratch: Path, *, replace: bool, using) -> Restored:
    members = scratch / "members"
    result = Restored(replaced=replace)
    with transaction.atomic(using=using):
        if replace:
            call_command("flush", database=using, interactive=False, verbosity=0)
        call_command("loaddata", str(members / DATABASE), database=using, verbosity=0)
        retire_everything()  # rows loaded raw retire nothing themselves
        result.rows = {label: n for label, n in row_counts(using).items() if n}
        if result.rows != {label: n for label, n in manifest["rows"].items() if n}:
            raise BackupError("The restored rows do not match the manifest; nothing was restored.")
        for folder, alias in STORAGE_FOLDERS.items():
            result.files += _put_files(storages[alias], members / folder, replace=replace)
    return result


def _put_files(storage, source: Path, *, replace: bool) -> int:
    """Put every file back under its own name (a row points at that name)."""
    wanted = {p.relative_to(source).as_posix(): p for p in sorted(source.rglob("*")) if p.is_file()}
    if replace:
        for name in list(stored_files(storage)):
            if name not in wanted:
                storage.delete(name)
    for name, path in wanted.items():
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; restore it into an empty storage.")
    return len(wanted)


def _few(names, limit=5) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
