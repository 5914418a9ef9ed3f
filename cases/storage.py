from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files that must never have a public address (signed consent forms).

    They are kept outside MEDIA_ROOT and this storage refuses to make a URL for them; the only way to
    read one is a view that checks the reader's permission and streams it.
    """

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")


class Delegated(Storage):
    """A storage that looks up `storages[alias]` on every call, so that a FileField bound at import
    follows the configured storage (and tests' temporary ones) instead of the first one it saw."""

    def __init__(self, alias: str):
        self.alias = alias

    @property
    def target(self):
        return storages[self.alias]

    def deconstruct(self):
        return ("cases.storage.Delegated", (self.alias,), {})

    def _open(self, name, mode="rb"):
        return self.target.open(name, mode)

    def _save(self, name, content):
        return self.target.save(name, content)


for _method in ("delete", "exists", "listdir", "size", "url", "path", "get_accessed_time", "get_created_time",
                "get_modified_time", "generate_filename", "get_available_name", "get_valid_name",
                "get_alternative_name"):  # fmt: skip
    setattr(Delegated, _method, lambda self, *a, _m=_method, **k: getattr(self.target, _m)(*a, **k))
