"""`manage.py backup` and `manage.py restore`: one archive gives back every row and every file, and a
damaged archive changes nothing."""

import gzip
import io
import json
import shutil
import tarfile
import zlib
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from PIL import Image

from articles.models import Article
from articles.tests.sampling import every_nth
from cases.models import Case, CaseEvent
from newsdesk.backup import BackupError, restore_backup, stored_files, unpack_and_verify, write_backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings):
    """The demo desk plus what editors add by hand: an uploaded picture, a consent form, an audit entry
    of each kind, an admin log line."""
    call_command("setup_roles", verbosity=0, stdout=io.StringIO())
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 90)).save(picture, "PNG")
    name = storages["default"].save("articles/2026/hero.png", ContentFile(picture.getvalue()))
    article = Article.objects.order_by("pk").first()
    Article.objects.filter(pk=article.pk).update(hero_image=name, hero_alt="A red square")
    case = Case.objects.order_by("pk").first()
    form = storages["private"].save("consent/2026/extra-form.pdf", ContentFile(b"%PDF-1.4\n% signed\n"))
    case.consents.create(signed_on="2026-01-05", scope_web=True, form=form)
    admin = get_user_model().objects.create_superuser("operator", "ops@example.test", "pw-for-tests")
    CaseEvent.objects.create(case=case, actor=admin, action="cases.cleared", comment="Checked.")
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[article], action_flag=ADDITION, change_message="Added."
    )
    call_command("privacy_sweep", stdout=io.StringIO())  # as `make install` does: findings stored


def snapshot():
    """Every row of every model (content types and permissions by their natural keys, whose ids
    `migrate` picks) and every stored file's bytes."""
    rows = {}
    for model in apps.get_models():
        objects = model._base_manager.order_by("pk")
        if model in (ContentType, apps.get_model("auth.Permission")):
            rows[model._meta.label] = sorted(obj.natural_key() for obj in objects)
        else:
            rows[model._meta.label] = json.loads(
                serializers.serialize("json", objects, use_natural_foreign_keys=True)
            )
    files = {
        alias: {name: storages[alias].open(name).read() for name in stored_files(storages[alias])}
        for alias in ("default", "private")
    }
    return rows, files


def empty_the_installation(settings):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(storages["private"].location, ignore_errors=True)


def test_a_restored_backup_gives_back_every_row_and_every_file(installation, settings, tmp_path):
    before = snapshot()
    rows, files = before
    assert rows["cases.Consent"] and rows["articles.ArticleRevision"] and rows["articles.ArticleEvent"]
    demo_pictures = [name for name in files["default"] if "/demo/" in name]  # with their renditions
    assert len(files["default"]) == 1 + len(demo_pictures) and len(files["private"]) == 3

    call_command("backup", str(tmp_path / "desk.tar.gz"), stdout=io.StringIO())
    empty_the_installation(settings)
    assert snapshot() != before
    call_command("restore", str(tmp_path / "desk.tar.gz"), stdout=io.StringIO())

    after = snapshot()
    assert after[0] == before[0]  # row for row, field for field
    assert after[1] == before[1]  # byte for byte


def test_the_manifest_lists_rows_migrations_and_a_checksum_per_file(installation, tmp_path):
    manifest = write_backup(tmp_path / "desk.tar.gz")
    assert manifest["format"] == "newsdesk-backup" and manifest["format_version"] == 1
    assert manifest["rows"]["articles.article"] == Article.objects.count()
    assert "0001_initial" in manifest["migrations"]["articles"]
    assert {name for name in manifest["files"] if "/demo/" not in name or "consent" in name} == {
        "database.json",
        "media/articles/2026/hero.png",
        "private/consent/2026/extra-form.pdf",
        "private/consent/demo/case-0001-consent.pdf",
        "private/consent/demo/case-0002-consent.pdf",
    }
    assert "media/articles/demo/lupus-butterfly.jpg" in manifest["files"]  # the demo's drawn pictures
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    with tarfile.open(tmp_path / "desk.tar.gz") as archive:
        assert json.load(archive.extractfile("manifest.json")) == manifest


def test_restore_with_replace_puts_the_backed_up_state_back_over_a_changed_installation(
    installation, make_article, tmp_path
):
    before = snapshot()
    write_backup(tmp_path / "desk.tar.gz")
    make_article(title="Written after the backup")
    storages["default"].save("articles/2026/later.png", ContentFile(b"later"))
    storages["private"].delete("consent/2026/extra-form.pdf")

    restore_backup(tmp_path / "desk.tar.gz", replace=True)

    assert snapshot() == before


def test_restore_refuses_an_installation_that_holds_data(installation, tmp_path):
    write_backup(tmp_path / "desk.tar.gz")
    before = snapshot()
    with pytest.raises(CommandError, match=r"already holds data .*--replace"):
        call_command("restore", str(tmp_path / "desk.tar.gz"))
    assert snapshot() == before


def test_restore_refuses_files_left_in_storage(installation, settings, tmp_path):
    write_backup(tmp_path / "desk.tar.gz")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(BackupError, match="storage already holds files"):
        restore_backup(tmp_path / "desk.tar.gz")
    assert not Article.objects.exists()


def test_a_backup_that_fails_halfway_leaves_no_file_behind(installation, tmp_path):
    with (
        mock.patch("newsdesk.backup._add_stored_file", side_effect=OSError(28, "No space left on device")),
        pytest.raises(CommandError, match="Could not write the backup to .*No space left on device"),
    ):
        call_command("backup", str(tmp_path / "desk.tar.gz"))
    assert list(tmp_path.glob("desk.tar.gz*")) == []


def test_a_backup_into_a_missing_folder_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="Check that the folder exists"):
        call_command("backup", str(tmp_path / "nowhere" / "desk.tar.gz"))


# --- Damaged archives: a clear error, and nothing changes -----------------------------------------


def rewrite(source, target, *, change=None, drop=(), add=None, manifest=None):
    """Copy a backup archive member by member, altering what the test asks for."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name in drop:
                continue
            if change and member.name in change:
                data = change[member.name](data)
            if manifest and member.name == "manifest.json":
                data = json.dumps(manifest(json.loads(data))).encode()
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def flip_one_byte(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]


def with_rows(label, n):
    def edit(manifest):
        manifest["rows"][label] = n
        return manifest

    return edit


DAMAGE = {
    "a flipped byte in a consent form": (
        {"change": {"private/consent/demo/case-0001-consent.pdf": flip_one_byte}},
        r"Checksum mismatch.*private/consent/demo/case-0001-consent\.pdf",
    ),
    "a flipped byte in the database dump": (
        {"change": {"database.json": lambda d: d.replace(b'"title": "', b'"title": "X', 1)}},
        r"Checksum mismatch.*database\.json",
    ),
    "a missing picture": (
        {"drop": ["media/articles/2026/hero.png"]},
        r"incomplete; its manifest lists media/articles/2026/hero\.png, which it lacks",
    ),
    "a missing manifest": ({"drop": ["manifest.json"]}, r"has no manifest\.json"),
    "a file the manifest does not list": (
        {"add": {"media/planted.html": b"<script></script>"}},
        r"does not list: media/planted\.html",
    ),
    "a path outside the archive": ({"add": {"../escape.txt": b"x"}}, r"'\.\./escape\.txt'.*refusing"),
    "a manifest with the wrong row count": (
        {"manifest": with_rows("articles.article", 99)},
        r"does not hold the rows the manifest lists .*articles\.article",
    ),
    "a manifest from another format version": (
        {"manifest": lambda m: m | {"format_version": 2}},
        r"format version 2",
    ),
    "a manifest from another schema": (
        {"manifest": lambda m: m | {"migrations": m["migrations"] | {"articles": ["0001_initial"]}}},
        r"different database schema \(apps articles differ\)",
    ),
}


@pytest.mark.parametrize("damage", every_nth(list(DAMAGE), 3))
def test_a_damaged_archive_stops_with_a_clear_error_and_changes_nothing(
    damage, installation, make_article, tmp_path
):
    write_backup(tmp_path / "good.tar.gz")
    make_article(title="Written after the backup")  # so that a restore would visibly change the desk
    how, message = DAMAGE[damage]
    rewrite(tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz", **how)
    before = snapshot()

    with pytest.raises(CommandError, match=r"Nothing was restored: .*" + message):
        call_command("restore", str(tmp_path / "bad.tar.gz"), "--replace")

    assert snapshot() == before


def _flip(data, at):
    return data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1 :]


def _alters(original, flipped):
    try:
        return gzip.decompress(flipped) != gzip.decompress(original)
    except (OSError, EOFError, zlib.error):
        return True


@pytest.mark.parametrize("where", every_nth([0.5, 0.1, 0.9, 0.999], 4))
@pytest.mark.parametrize("cut", ["truncated", "a flipped bit"])
def test_a_truncated_or_corrupted_file_stops_before_touching_anything(cut, where, installation, tmp_path):
    write_backup(tmp_path / "good.tar.gz")
    data = (tmp_path / "good.tar.gz").read_bytes()
    at = int(len(data) * where)
    if cut == "truncated":
        data = data[:at]
    else:  # the first flip from there that alters what the archive holds (some deflate bits are ignored)
        while not _alters(data, flipped := _flip(data, at)):
            at += 1
        data = flipped
    (tmp_path / "bad.tar.gz").write_bytes(data)
    before = snapshot()

    with pytest.raises(BackupError, match=r"damaged"):
        restore_backup(tmp_path / "bad.tar.gz", replace=True)

    assert snapshot() == before


def test_a_flipped_bit_anywhere_is_reported_as_damage_not_as_what_the_altered_header_says(
    installation, tmp_path
):
    write_backup(tmp_path / "good.tar.gz")
    data = (tmp_path / "good.tar.gz").read_bytes()
    start = data.index(b"\0", 10) + 1  # past gzip's header and the file name it stores, which no CRC covers
    for at in range(start, len(data) - 8, max(1, len(data) // 600)):
        flipped = _flip(data, at)
        (tmp_path / "bad.tar.gz").write_bytes(flipped)
        try:
            unpack_and_verify(tmp_path / "bad.tar.gz", tmp_path / f"scratch-{at}")
        except BackupError as error:
            assert "damaged" in str(error), (at, str(error))
        else:  # the bit was padding after deflate's last block: the archive is intact
            assert gzip.decompress(flipped) == gzip.decompress(data), at


def test_an_archive_that_is_not_a_backup_is_named_as_such(db, tmp_path):
    (tmp_path / "notes.tar.gz").write_bytes(gzip.compress(b"just some text"))
    with pytest.raises(BackupError, match=r"damaged or not a backup archive"):
        restore_backup(tmp_path / "notes.tar.gz")
    with pytest.raises(BackupError, match=r"There is no backup archive at"):
        restore_backup(tmp_path / "missing.tar.gz")


def test_a_restored_backup_keeps_every_microsecond_of_a_time(installation, settings, tmp_path):
    import datetime

    # 500 microseconds past noon: Django's json writes 12:00:00.000, which reads back as 12:00:00
    at = datetime.datetime(2026, 1, 5, 12, 0, 0, 500, tzinfo=datetime.UTC)
    CaseEvent.objects.create(case=Case.objects.first(), action=CaseEvent.Action.PENDING, created_at=at)
    call_command("backup", str(tmp_path / "desk.tar.gz"), stdout=io.StringIO())
    empty_the_installation(settings)
    call_command("restore", str(tmp_path / "desk.tar.gz"), stdout=io.StringIO())
    assert at in set(CaseEvent.objects.values_list("created_at", flat=True))


def test_a_restored_backup_keeps_its_history_verifiable_and_guarded(installation, settings, tmp_path):
    """Issue 23, item 1: the chains survive backup and restore (with --replace too), and the guards are up
    again after it."""
    call_command("backup", str(tmp_path / "desk.tar.gz"), stdout=io.StringIO())
    call_command("restore", str(tmp_path / "desk.tar.gz"), "--replace", stdout=io.StringIO())
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert "History verified" in out.getvalue() and "cases.CaseEvent: 1 entries" in out.getvalue()
    with pytest.raises(IntegrityError, match="is history"):
        CaseEvent.objects.update(comment="Rewritten after the restore.")
