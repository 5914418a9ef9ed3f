"""Django's JSON serialization with every microsecond kept, for backups.

Django's encoder writes times to the millisecond, so a restored backup gave back 12:00:00.000 for a
row saved at 12:00:00.000500: no longer the same row. Registered as the "exactjson" format in
`SERIALIZATION_MODULES`; what it writes is plain JSON, which the standard "json" format reads back.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
