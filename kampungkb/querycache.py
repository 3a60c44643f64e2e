"""What django-cachalot may answer from its cache (settings: CACHALOT_QUERY_KEYGEN).

Pages read outside a transaction and may take a kept result. A read inside one goes
to the database: a service that locks rows and then reads what it will change must
see the last commit, and cachalot forgets a committed write only just after the commit,
when the next service may already hold the lock.
"""

from cachalot.utils import UncachableQuery, get_query_cache_key


def query_key(compiler):
    if compiler.connection.in_atomic_block:
        raise UncachableQuery
    return get_query_cache_key(compiler)
