"""Uploaded images keep their pixels and lose everything else; the bytes served prove it."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.views.static import serve
from PIL import Image, PngImagePlugin

from articles.images import clean_upload, renditions

MARKER = "Jane Patient 51.5007N 0.1246W"


def jpeg_with_everything(size=(1600, 900), orientation=1) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010E] = MARKER  # ImageDescription
    exif[0x013B] = MARKER  # Artist
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 2.0), "W", (0.0, 7.0, 28.0)
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{MARKER}</rdf:Description></x:xmpmeta>'
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=MARKER.encode(), xmp=xmp.encode())
    data = out.getvalue()
    # An IPTC (APP13, Photoshop) segment right after SOI, as news agencies' photos carry.
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x1a\x1c\x02\x50\x00\x14" + MARKER[:20].encode()
    segment = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
    return data[:2] + segment + data[2:]


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARKER)
    info.add_itxt("Description", MARKER)
    info.add_text("Comment", MARKER, zip=True)
    exif = Image.Exif()
    exif[0x013B] = MARKER
    out = io.BytesIO()
    Image.new("RGBA", (900, 600), (0, 90, 160, 255)).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def served_bytes(name: str) -> bytes:
    response = serve(RequestFactory().get("/media/" + name), name, document_root=settings.MEDIA_ROOT)
    return b"".join(response.streaming_content)


def assert_metadata_free(data: bytes):
    assert MARKER.encode() not in data
    assert MARKER[:20].encode() not in data
    for signature in (
        b"Exif\x00\x00",
        b"GPS",
        b"<x:xmpmeta",
        b"http://ns.adobe.com/xap",
        b"8BIM",
        b"tEXt",
        b"iTXt",
        b"zTXt",
        b"eXIf",
    ):
        assert signature not in data, signature
    if data.startswith(b"\xff\xd8"):
        for marker in (b"\xff\xe1", b"\xff\xed", b"\xff\xfe"):  # APP1 (EXIF/XMP), APP13 (IPTC), COM
            assert marker not in data, marker
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile", "Author", "Description", "Comment"} & set(image.info)


@pytest.mark.django_db
class TestMetadataFreeImages:
    def test_the_fixtures_carry_metadata_to_begin_with(self):
        assert MARKER.encode() in jpeg_with_everything()
        assert b"tEXt" in png_with_text()

    @pytest.mark.parametrize("make", [jpeg_with_everything, png_with_text], ids=["jpeg", "png"])
    def test_the_served_original_and_every_rendition_carry_no_metadata(self, make_article, make):
        data = make()
        article = make_article(
            hero_image=SimpleUploadedFile("IMG_2041.jpg", data), hero_alt="A nurse preparing an infusion"
        )
        assert_metadata_free(served_bytes(article.hero_image.name))
        made = renditions(article.hero_image)
        names = [r.url.removeprefix(settings.MEDIA_URL) for group in made.values() for r in group]
        widths = [w for w in (480, 800, 1200) if w < article.hero_image.width] + [article.hero_image.width]
        assert len(names) == 2 * len(widths)  # WebP and JPEG at each width up to the original's
        for name in names:
            assert_metadata_free(served_bytes(name))

    def test_a_sideways_phone_photo_is_turned_upright(self, make_article):
        article = make_article(
            hero_image=SimpleUploadedFile("side.jpg", jpeg_with_everything((1200, 800), orientation=6)),
            hero_alt="A ward corridor",
        )
        assert (article.hero_image.width, article.hero_image.height) == (800, 1200)

    def test_renditions_are_made_once(self, make_article, django_assert_num_queries):
        article = make_article(hero_image=SimpleUploadedFile("a.png", png_with_text()), hero_alt="A chart")
        first = renditions(article.hero_image)
        assert renditions(article.hero_image) == first


class TestUploadChecks:
    def test_a_file_that_is_not_an_image_is_refused_with_advice(self):
        with pytest.raises(ValidationError, match="not an image we can read"):
            clean_upload(SimpleUploadedFile("photo.jpg", b"%PDF-1.7 this is not a picture"))

    def test_an_image_over_the_size_limit_is_refused(self, settings):
        settings.NEWSDESK_MAX_IMAGE_BYTES = 1000
        with pytest.raises(ValidationError, match="the limit is"):
            clean_upload(SimpleUploadedFile("big.jpg", jpeg_with_everything()))

    def test_a_decompression_bomb_is_refused(self, settings):
        settings.NEWSDESK_MAX_IMAGE_PIXELS = 1_000_000
        out = io.BytesIO()
        Image.new("1", (4000, 4000)).save(out, "PNG")
        with pytest.raises(ValidationError, match="up to 1 megapixels. Save it smaller"):
            clean_upload(SimpleUploadedFile("bomb.png", out.getvalue()))

    def test_other_formats_are_refused(self):
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, "TIFF")
        with pytest.raises(ValidationError, match="Upload a JPEG, PNG, WebP or GIF"):
            clean_upload(SimpleUploadedFile("scan.tiff", out.getvalue()))
