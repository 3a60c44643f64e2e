"""Addresses for the rows of a table, at the cost of one reversal per table.

`reverse()` costs as much as drawing the rest of a row. The address of every row
differs only by the row's key, the last argument: it is reversed once with a mark
in the key's place, and each row's address is that one with its key put in.
"""

from django.urls import reverse

#: A number every path converter of the app takes and no row has for a key.
_KEY_MARK = 987_654_321_987_654_321


def row_addresses(viewname, *fixed):
    """A function of a row's key (an int) giving `reverse(viewname, args=[*fixed, key])`."""
    head, _mark, tail = reverse(viewname, args=[*fixed, _KEY_MARK]).rpartition(str(_KEY_MARK))

    def address(key):
        return f"{head}{int(key)}{tail}"

    return address
