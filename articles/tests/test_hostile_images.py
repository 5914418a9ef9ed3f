"""Hostile image uploads: bombs, polyglots, SVG with script, truncated files, oversized bodies and hostile
file names. None is accepted, each refusal tells the editor what to do, and none costs more than 256 MB of
memory or 2 s of CPU."""

import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from PIL import Image

from articles.images import clean_upload
from articles.tests.test_images import jpeg_with_everything

ROOT = Path(__file__).resolve().parents[2]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side=20_000) -> bytes:
    """A black 1-bit PNG of side × side pixels (400 million at the default): a few hundred KB on disk."""
    row = b"\x00" * (1 + side // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def jpeg_claiming(width=65_000, height=65_000) -> bytes:
    """A real JPEG whose frame header is rewritten to claim a huge size (a classic bomb header)."""
    data = bytearray(small_jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def small_jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(out, "JPEG")
    return out.getvalue()


def small_gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (32, 32), 1).save(out, "GIF")
    return out.getvalue()


def jpeg_with_comment(text: bytes) -> bytes:
    data = small_jpeg()
    segment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    return data[:2] + segment + data[2:]


def gifar() -> bytes:
    """A GIF with a Java archive appended: a valid picture and a valid zip at once."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Evil\n")
        jar.writestr("Evil.class", b"\xca\xfe\xba\xbe" + b"\x00" * 64)
    return small_gif() + archive.getvalue()


HOSTILE = {
    # name: (file name, bytes, what the refusal says)
    "png bomb (400 Mpx)": ("bomb.png", png_bomb, "too many pixels|too large to process"),
    "jpeg claiming 65000²": ("bomb.jpg", jpeg_claiming, "too many pixels|too large to process"),
    "html named .jpg": ("photo.jpg", lambda: b"<html><script>alert(1)</script></html>", "hides web code"),
    "script in a jpeg comment": (
        "photo.jpg",
        lambda: jpeg_with_comment(b"<script>alert(document.cookie)</script>"),
        "hides web code",
    ),
    "html after the end of a jpeg": (
        "photo.jpg",
        lambda: small_jpeg() + b"<html><body onload=alert(1)>",
        "hides web code",
    ),
    "php in a jpeg comment": (
        "avatar.php.jpg",
        lambda: jpeg_with_comment(b"<?php system($_GET['c']); ?>"),
        "hides web code",
    ),
    "gifar (gif + jar)": ("photo.gif", gifar, "hides web code or an archive"),
    "svg with script": (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "hides web code|not an image we can read",
    ),
    "svg without the obvious markers": (
        "logo.jpg",
        lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        "not an image we can read",
    ),
    "truncated jpeg": ("cut.jpg", lambda: small_jpeg((800, 600))[:-400], "not an image we can read"),
    "truncated png": ("cut.png", lambda: png_bomb(64)[:-30], "not an image we can read"),
    "empty file": ("empty.jpg", lambda: b"", "not an image we can read"),
    "zero-byte header only": ("head.png", lambda: b"\x89PNG\r\n\x1a\n", "not an image we can read"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_image_is_refused_with_advice(case):
    name, make, says = HOSTILE[case]
    with pytest.raises(ValidationError) as refused:
        clean_upload(SimpleUploadedFile(name, make()))
    assert re.search(says, refused.value.messages[0]), refused.value.messages


def test_pillows_bomb_warning_is_an_error_for_uploads(monkeypatch, settings):
    """Between Pillow's warning and its error an image would load; for uploads the warning is enough."""
    settings.NEWSDESK_MAX_IMAGE_PIXELS = 10**9  # our own pixel cap out of the way
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    out = io.BytesIO()
    Image.new("RGB", (1500, 1000)).save(out, "PNG")  # 1.5 Mpx: past the warning, short of the error
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_upload(SimpleUploadedFile("wide.png", out.getvalue()))


def test_an_ordinary_photo_is_still_accepted():
    """The polyglot check does not refuse real photos: their metadata is simply dropped."""
    assert clean_upload(SimpleUploadedFile("clinic.jpg", jpeg_with_everything())).size > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uploaded",
    ["Mrs Li Wen bed12 ward5 MRN00451234.jpg", "../../evil.php.jpg", "con\u202egpj.php", "a" * 250 + ".png",
     "张三 床号12.jpg"],
)  # fmt: skip
def test_an_upload_is_stored_under_a_random_name_that_keeps_nothing_of_the_uploaders(make_article, uploaded):
    article = make_article(
        hero_image=SimpleUploadedFile(uploaded, small_jpeg()), hero_alt="A test card in blue"
    )
    assert re.fullmatch(r"articles/\d{4}/[0-9a-f]{16}\.jpg", article.hero_image.name), article.hero_image.name
    stored = Path(settings.MEDIA_ROOT) / article.hero_image.name
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_two_uploads_of_the_same_file_get_different_names():
    first, second = (clean_upload(SimpleUploadedFile("same.jpg", small_jpeg())).name for _ in range(2))
    assert first != second


class CountingBody(io.RawIOBase):
    """A request body of `size` bytes made on demand, counting how much of it the server reads."""

    def __init__(self, size: int):
        self.size, self.read_so_far = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_so_far)
        buffer[:n] = b"x" * n
        self.read_so_far += n
        return n


@pytest.mark.django_db
def test_a_50_mb_upload_is_refused_before_its_body_is_read(admin_user):
    body = CountingBody(50 * 1024 * 1024)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/admin/articles/article/add/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(body.size),
    }
    statuses = []
    chunks = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    text = b"".join(chunks).decode()
    assert statuses == ["413 Request Entity Too Large"] or statuses[0].startswith("413")
    assert "Make the file smaller" in text
    assert body.read_so_far < 64 * 1024, f"read {body.read_so_far} bytes of a 50 MB body"


@pytest.mark.django_db
def test_an_upload_within_the_request_bound_but_over_the_image_limit_is_refused_with_advice(admin_client):
    oversized = small_jpeg() + b"\x00" * (settings.NEWSDESK_MAX_IMAGE_BYTES + 1)
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Large photo",
            "hero_alt": "A photo",
            "hero_image": SimpleUploadedFile("big.jpg", oversized),
        },
    )
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()


#: Run in a fresh process under hard limits: address space 256 MB, and each file timed in CPU seconds.
LIMITED = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (256 * 1024 * 1024, 256 * 1024 * 1024))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.images import clean_upload
report = {}
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    start = time.process_time()
    try:
        clean_upload(SimpleUploadedFile(path.rsplit("/", 1)[-1], data))
        outcome = "accepted"
    except ValidationError as error:
        outcome = "refused"
    except MemoryError:
        outcome = "out of memory"
    report[path] = {"outcome": outcome, "cpu": time.process_time() - start}
# VmHWM, not ru_maxrss: on Linux ru_maxrss carries over the high-water mark of the (large) test process
# this one was forked from.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"files": report, "max_rss_kb": peak}))
"""


def test_no_hostile_image_costs_more_than_256_mb_or_2_s_of_cpu(tmp_path):
    paths = []
    for n, (name, make, _says) in enumerate(HOSTILE.values()):
        path = tmp_path / f"{n}-{name}"
        path.write_bytes(make())
        paths.append(str(path))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    run = subprocess.run(
        [sys.executable, "-c", LIMITED, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    outcomes = {path: r["outcome"] for path, r in report["files"].items()}
    assert set(outcomes.values()) == {"refused"}, outcomes
    slow = {path: r["cpu"] for path, r in report["files"].items() if r["cpu"] > 2.0}
    assert slow == {}
    assert report["max_rss_kb"] < 256 * 1024


TAKE_IN = """
import os, resource, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.images import clean_upload, renditions
data = open(sys.argv[1], "rb").read()
def peak_kb():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
before = peak_kb()
clean = clean_upload(SimpleUploadedFile(os.path.basename(sys.argv[1]), data))
print(peak_kb() - before, len(clean))
"""


@pytest.mark.parametrize(
    ("fmt", "size", "mode"),
    [
        ("WEBP", (3740, 3740), "RGBA"),  # 14 megapixels, WebP's limit
        pytest.param("PNG", (5600, 5000), "RGBA", marks=pytest.mark.slow),  # 28 megapixels, PNG's limit
        pytest.param("JPEG", (8000, 5000), "RGB", marks=pytest.mark.slow),  # 40 megapixels
    ],
)
def test_taking_in_the_largest_accepted_image_costs_a_worker_under_300_mb(tmp_path, fmt, size, mode):
    path = tmp_path / f"big.{fmt.lower()}"
    Image.new(mode, size, (120, 30, 200, 128)[: len(mode)]).save(
        path, fmt, **({"lossless": True} if fmt == "WEBP" else {})
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "newsdesk.settings"
    run = subprocess.run([sys.executable, "-c", TAKE_IN, str(path)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    grew_kb, stored = map(int, run.stdout.split())
    assert grew_kb < 300 * 1024, f"{fmt}: {grew_kb // 1024} MB"
    assert stored < 2_000_000


def test_a_webp_over_its_pixel_limit_is_refused_with_advice():
    out = io.BytesIO()
    Image.new("RGB", (16383, 2440), (1, 2, 3)).save(out, "WEBP", lossless=True)
    assert len(out.getvalue()) < 5000, "a tiny file that would cost over a gigabyte to decode"
    with pytest.raises(ValidationError, match="up to 14 megapixels. Save it smaller, or as JPEG"):
        clean_upload(SimpleUploadedFile("panorama.webp", out.getvalue()))


@pytest.mark.django_db
def test_renditions_are_made_at_upload_never_by_a_reader(make_article, monkeypatch):
    from articles import images
    from articles.public.templating import picture

    article = make_article(
        hero_image=SimpleUploadedFile("x.jpg", small_jpeg((1600, 1200))), hero_alt="A ward"
    )
    made = images.renditions(article.hero_image)
    assert made["image/webp"] and made["image/jpeg"], "made at upload"
    monkeypatch.setattr(images, "_encode", lambda *a, **k: pytest.fail("a reader made a rendition"))
    assert "<picture>" in picture(article.hero_image, "A ward")
