"""The kota → kecamatan → kelurahan filter of the list pages.

Each level lists only the places inside the one chosen above it: a dinas user of
one city picks among its kecamatan straight away, a national user picks a kota
first (2,100 kecamatan in one drop-down would be neither usable nor quick).
"""

from .access import visible_cities, visible_districts


def _chosen(places, code, *, required=False):
    chosen = next((place for place in places if place.code == code), None)
    if chosen is None and required and places:
        return places[0]
    return chosen


class RegionFilter:
    """Read ?kota=, ?kecamatan=, ?kelurahan= (codes) against the user's area.

    `city_required` / `district_required`: a page that shows one kota (or one
    kecamatan) at a time takes the first where none is chosen.
    """

    def __init__(
        self, request, *, with_kelurahan=True, city_required=False, district_required=False
    ):
        params, user = request.GET, request.user
        self.with_kelurahan = with_kelurahan
        self.city_required = city_required
        self.district_required = district_required
        self.cities = list(visible_cities(user))
        self.city = _chosen(self.cities, params.get("kota"), required=city_required)
        if len(self.cities) == 1:
            self.city = self.cities[0]
        # Each place offered lies wholly in the user's area (a kota of a dinas officer,
        # a kecamatan of its viewer), and so does all it holds: the next level lists it.
        self.districts = []  # until a kota is chosen, where there are several
        if self.city:
            self.districts = list(self.city.districts.all())
        elif not self.choose_city:
            self.districts = list(visible_districts(user))
        self.district = _chosen(self.districts, params.get("kecamatan"), required=district_required)
        self.kelurahan = []
        if with_kelurahan and self.district:
            self.kelurahan = list(self.district.kelurahan.all())
        self.kelurahan_chosen = _chosen(self.kelurahan, params.get("kelurahan"))

    @property
    def choose_city(self):
        return len(self.cities) > 1

    def apply(self, queryset, kelurahan="kelurahan"):
        """Narrow `queryset`, already in the user's area, to the chosen place;
        `kelurahan` is its path to Kelurahan."""
        if self.kelurahan_chosen:
            return queryset.filter(**{kelurahan: self.kelurahan_chosen})
        if self.district:
            return queryset.filter(**{f"{kelurahan}__district": self.district})
        if self.city and self.choose_city:
            return queryset.filter(**{f"{kelurahan}__district__city": self.city})
        return queryset
