"""Prepared messages for a WhatsApp group: a `https://wa.me/?text=` link (a link the
phone opens, never a resource the page loads) and the text to copy.

A message holds no NIK and no person's phone number (an event's contact number,
given to be called, is the one number an invitation carries), and stays within
`LIMIT` characters: a list that would not fit ends with how many were left out.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

LIMIT = 1000


@dataclass(frozen=True)
class Message:
    text: str

    @property
    def url(self):
        return f"https://wa.me/?text={quote(self.text)}"


def message(head, items=(), tail=()):
    """`head` lines (None for a line left out), as many `items` as fit, each on a line
    of its own, and `tail` lines."""
    head, tail = [line for line in head if line], [line for line in tail if line]
    fixed = "\n".join([*head, *tail])
    shown = []
    for index, item in enumerate(items):
        left = len(items) - index - 1
        more = [_("… dan %(n)d lainnya") % {"n": left}] if left else []
        if len("\n".join([fixed, *shown, item, *more])) > LIMIT:
            shown.append(_("… dan %(n)d lainnya") % {"n": len(items) - index})
            break
        shown.append(item)
    return Message("\n".join([*head, *shown, *tail])[:LIMIT])
