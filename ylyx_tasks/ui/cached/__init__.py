"""Cached reads for the pages: each cache is keyed on the database, the data version (the newest audit event,
which every write adds) and today, so any write by anyone invalidates it at once (:mod:`.common`, :mod:`.tasks`)."""
