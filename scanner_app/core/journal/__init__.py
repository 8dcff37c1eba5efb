"""The journal: every change, its tenant and its history, in SQLite, failing safe.

``journal`` (the ``Journal`` and its states), ``schema`` (the table, ``tenant_key``), ``sqlite``
(opening and mapping failures to ``JournalUnavailable``), ``recovery`` and ``salvage`` (a
damaged file copied aside and read back), ``tenants`` (which file a tenant or a training run
writes). The outbox sends what the journal records; the history and ``journal`` commands read it.
"""
