"""Images: checked on upload, re-encoded without any metadata, and served as responsive renditions.

A photo straight from a phone carries the place it was taken (GPS), the time to the second, the camera's
serial number and sometimes a name. None of that may reach a reader, so every upload is decoded and
written again from its pixels alone: EXIF, XMP, IPTC, ICC profiles, JPEG comments and PNG text chunks
are all dropped. Renditions are made from that clean original, so they carry nothing either.
"""

import contextlib
import io
import re
import secrets
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
RENDITION_WIDTHS = (480, 800, 1200)
# Web code a browser might run if it ever took the file for a page, or a script a server might run. Each
# pattern is long enough that compressed pixels match it by chance about once in a billion photos.
_HIDDEN_CODE = re.compile(
    rb"<(?:script|html|body|iframe|object|embed)[\s>/]|<\?php\s|javascript:", re.IGNORECASE
)


# The largest copy the desk ever serves is RENDITION_WIDTHS[-1] wide; the kept original is reduced to
# twice that on its longer side (sharp on high-density screens), so no full-size copy of a huge upload
# is ever made or stored.
LONGEST_SIDE = 2 * RENDITION_WIDTHS[-1]
# Pixels each format may have, so that taking one in costs a worker under 300 MB at its peak. JPEG decodes
# straight at a fraction of its size; PNG and WebP decode whole first (measured in docs/scaling.md).
PIXEL_LIMITS = {"PNG": 28_000_000, "WEBP": 14_000_000}


def _check_bytes(data: bytes) -> None:
    if len(data) > settings.NEWSDESK_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This image is %(size).1f MB; the limit is %(limit)d MB. Save it smaller and upload it again.")
            % {"size": len(data) / 1e6, "limit": settings.NEWSDESK_MAX_IMAGE_BYTES // 1_000_000},
            code="too_large",
        )
    if _HIDDEN_CODE.search(data) or zipfile.is_zipfile(io.BytesIO(data)):
        # A polyglot: a picture that is also a web page, a script or an archive (GIFAR). Re-encoding would
        # drop the extra part, but a file built to deceive is refused outright.
        raise ValidationError(
            _(
                "This file hides web code or an archive inside the picture. Open the picture in a photo "
                "editor, export it again as JPEG or PNG, and upload that."
            ),
            code="polyglot",
        )


def _open_checked(data: bytes, *, decode: bool = True) -> Image.Image:
    """The image, checked: size, hidden code, format, pixel count. With `decode`, its pixels are read,
    reduced on the way to at most LONGEST_SIDE (JPEG decodes straight at a fraction of its size)."""
    _check_bytes(data)
    with warnings.catch_warnings():
        # Pillow only warns about an image with many times more pixels than any photo; here that is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return _decode(data, decode=decode)


def _decode(data: bytes, *, decode: bool) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(
                _("Upload a JPEG, PNG, WebP or GIF image (this file is %(format)s).")
                % {"format": image.format},
                code="format",
            )
        limit = min(settings.NEWSDESK_MAX_IMAGE_PIXELS, PIXEL_LIMITS.get(image.format, 10**12))
        if image.width * image.height > limit:
            raise ValidationError(
                _(
                    "This image is %(w)d × %(h)d pixels; the desk takes %(format)s images up to %(mp)d "
                    "megapixels. Save it smaller, or as JPEG, and upload it again."
                )
                % {"w": image.width, "h": image.height, "format": image.format, "mp": limit // 1_000_000},
                code="too_many_pixels",
            )
        if decode:
            fmt = image.format
            if fmt == "JPEG":
                image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # decoded at 1/2, 1/4 or 1/8 scale
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
            image.load()  # a small image is not resized: read it here, where a truncated file is caught
            image.format = fmt
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This image has too many pixels to process safely. Resize it first."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF."), code="invalid"
        ) from error
    return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels, turned upright as the camera meant (EXIF orientation)."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, fmt: str, quality: int = 85) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=quality, method=4)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_upload(uploaded) -> ContentFile:
    """The upload checked, reduced to at most LONGEST_SIDE and re-encoded from its pixels alone. Raises
    ValidationError with a message that tells the editor what to do. Done once per upload: the form's
    validator keeps its result on the upload for the save to use."""
    if (done := getattr(uploaded, "_newsdesk_clean", None)) is not None:
        return done
    uploaded.seek(0)
    data = uploaded.read()
    image = _open_checked(data)
    fmt = image.format if image.format in ("JPEG", "PNG", "WEBP") else "PNG"
    clean = _pixels_only(image)
    done = ContentFile(_encode(clean, fmt), name=stored_name(ALLOWED_FORMATS[fmt]))
    with contextlib.suppress(AttributeError):
        uploaded._newsdesk_clean = done
    return done


def stored_name(extension: str) -> str:
    """A new random name for an uploaded file. The uploader's own name (often a patient's name, bed or
    record number) is never kept: not in storage, URLs, `og:image`, sitemaps or feeds."""
    return f"{secrets.token_hex(8)}.{extension}"


def store_clean_upload(field) -> None:
    """A new upload in an image field: keep only its pixels (no EXIF/GPS, XMP, IPTC, comments or text
    chunks), reduced to what the largest rendition needs, under a random name; its renditions are made
    now, so that no reader waits for them. A stored image is left as it is."""
    if field and not field._committed:
        clean = clean_upload(field.file)
        field.save(clean.name, clean, save=False)
        renditions(field, make=True)


def validate_image(uploaded) -> None:
    """Form validator: refuse what clean_upload would refuse, before anything is saved."""
    clean_upload(uploaded)  # every check, the pixels read; the result waits on the upload for the save
    uploaded.seek(0)


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    mime: str


def renditions(field, *, make: bool = False) -> dict[str, list[Rendition]]:
    """JPEG and WebP copies of an image field at a few widths, kept in storage.

    They are made once, at upload (`make=True`, from Article.save); a page only lists the ones that
    exist, so no reader ever waits for one to be made. Names derive from the original's name, so a new
    upload gets new renditions.
    """
    if not field:
        return {}
    if not make and (known := _listed.get(field.name)) is not None:
        return known
    stem = field.name.rsplit(".", 1)[0]
    widths = [w for w in RENDITION_WIDTHS if w < field.width] + [field.width]
    out: dict[str, list[Rendition]] = {"image/webp": [], "image/jpeg": []}
    source = None
    for width in widths:
        height = round(field.height * width / field.width)
        for mime, fmt, ext in (("image/webp", "WEBP", "webp"), ("image/jpeg", "JPEG", "jpg")):
            name = f"renditions/{stem}-{width}.{ext}"
            if not default_storage.exists(name):
                if not make:
                    continue
                if source is None:
                    with field.open("rb") as handle:
                        source = _pixels_only(Image.open(io.BytesIO(handle.read())))
                resized = source.resize((width, height), Image.Resampling.LANCZOS)
                default_storage.save(name, ContentFile(_encode(resized, fmt)))
            out[mime].append(Rendition(default_storage.url(name), width, height, mime))
    if all(len(found) == len(widths) for found in out.values()):  # all made: the answer is final
        if len(_listed) >= MAX_LISTED:
            _listed.clear()
        _listed[field.name] = out
    return out


# What `renditions` found for each original, by its name: a name is never reused (each upload gets a
# new one) and its renditions are all made at upload, so the answer never changes. A page of twelve cards
# would otherwise open twelve originals and ask storage about each rendition: one request each, on S3.
_listed: dict[str, dict[str, list[Rendition]]] = {}
MAX_LISTED = 5000
