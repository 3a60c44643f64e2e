"""Long lists of keys, queried a part at a time (SQLite takes at most 32,766 values)."""

CHUNK = 5000


def chunked(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
