"""Row links: one reversal per table gives every row the address `reverse` would."""

import pytest
from django.template import engines
from django.urls import reverse

from kampungkb.links import row_addresses


@pytest.mark.parametrize(
    "viewname, fixed",
    [("villages:detail", []), ("training:cancel", [7]), ("villages:snapshot_edit", [123])],
)
def test_a_row_address_is_the_reversed_one(viewname, fixed):
    address = row_addresses(viewname, *fixed)
    for key in (1, 9, 10, 987, 2**40):
        assert address(key) == reverse(viewname, args=[*fixed, key])


def test_the_tag_gives_each_row_its_own_address_and_takes_any_key():
    template = engines["django"].from_string(
        "{% load kampungkb %}"
        "{% for key in keys %}{% row_url 'training:cancel' 5 key %} {% endfor %}"
    )
    keys = [3, 1, 3, 200, "42"]  # repeated, out of order, a key that is not an int
    rendered = template.render({"keys": keys}).split()
    assert rendered == [reverse("training:cancel", args=[5, key]) for key in keys]


def test_a_row_address_refuses_a_key_that_is_not_a_number():
    with pytest.raises(ValueError):
        row_addresses("villages:detail")("1/../../admin")
