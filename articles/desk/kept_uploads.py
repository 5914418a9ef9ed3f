"""A chosen file survives a form that comes back with errors. Browsers never refill a file input, so the
desk keeps the upload (its pixels only, as `clean_upload` leaves them) in private storage under a random
name, and the form carries a signed ticket for it that the next save turns back into the upload."""

from datetime import timedelta

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.images import clean_upload

FOLDER = "kept-uploads"
SALT = "newsdesk.kept-upload"
KEEP = timedelta(days=1)


def keep(upload: UploadedFile) -> dict:
    """Store the checked upload; a ticket for the form and the chosen file's name for the person."""
    clean = clean_upload(upload)
    stored = storages["private"].save(f"{FOLDER}/{clean.name}", clean)
    return {"ticket": signing.dumps(stored, salt=SALT), "name": upload.name}


def take(ticket: str) -> UploadedFile | None:
    """The kept upload the ticket names, or None when it is forged, expired or gone."""
    try:
        stored = signing.loads(ticket, salt=SALT, max_age=KEEP)
    except signing.BadSignature:
        return None
    storage = storages["private"]
    if not isinstance(stored, str) or not stored.startswith(f"{FOLDER}/") or not storage.exists(stored):
        return None
    with storage.open(stored) as kept:
        data = kept.read()
    return SimpleUploadedFile(stored.rsplit("/", 1)[-1], data)


class NamedFileInput(AdminFileWidget):
    """The admin's file input, named by a <label for> (a fieldset's legend does not name it, for axe)."""

    use_fieldset = False


class KeptFileInput(NamedFileInput):
    """The admin's file input, which also renders the ticket of a kept upload and reads it back."""

    kept: dict | None = None

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        ticket = data.get(f"{name}_kept")
        if upload is None and ticket:
            if getattr(self, "_taken", (None,))[0] != ticket:  # read once per form, however often asked
                self._taken = (ticket, take(ticket))
            return self._taken[1]
        return upload

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        return html + format_html(
            '<input type="hidden" name="{}_kept" value="{}"><p class="kept-upload" role="status">{}</p>',
            name,
            self.kept["ticket"],
            _("Your file %(name)s is kept and will be saved with the form; choose another to replace it.")
            % {"name": self.kept["name"]},
        )


def keep_uploads_of_failed_form(form) -> None:
    """After a validation that failed elsewhere, keep each upload the form accepted."""
    if not form.errors:
        return
    for name, field in form.fields.items():
        upload = form.cleaned_data.get(name)
        if isinstance(field.widget, KeptFileInput) and isinstance(upload, UploadedFile):
            field.widget.kept = keep(upload)


def forget_kept_uploads(now=None) -> int:
    """Kept uploads older than their tickets (the desk's clock runs this)."""
    storage, now = storages["private"], now or timezone.now()
    try:
        names = storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return 0
    old = [n for n in names if storage.get_modified_time(f"{FOLDER}/{n}") < now - KEEP]
    for name in old:
        storage.delete(f"{FOLDER}/{name}")
    return len(old)
