"""Read replicas: articles are read from a replica, everything else from the primary.

Enabled by DATABASE_REPLICA_URL (see settings.py); without it there is one database and no router.

- Writes always go to the primary ("default"), and so do migrations.
- Reads of `articles` models (pages, feeds, search, the sitemap) may come from the replica: they are
  most of the traffic that misses the page cache, and a second or so of replication lag only delays a
  new article by that much.
- Reads of everything else stay on the primary. Above all `cases`: withdrawing consent must hide a story
  in the same request, which a lagging replica would not do. Sessions and users stay there too, so a
  login is never "forgotten" by a lagging replica.
- Once a request (or a management command) has written anything, its later reads go to the primary as
  well, so it reads its own writes. The pin is dropped when the next request starts.
"""

import threading

from django.core.signals import request_started

PRIMARY, REPLICA = "default", "replica"
REPLICA_APPS = frozenset({"articles"})

_state = threading.local()


def _unpin(**_ignored):
    _state.wrote = False


request_started.connect(_unpin, dispatch_uid="newsdesk-replica-unpin")


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "wrote", False) or model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
