"""The national classification of a Kampung KB, as the national portal computes it
(the rule table is in the brief's reference/klasifikasi.md).

Twelve indicators are scored 1 to 4 from the village's latest monthly profile and
its activities; they make three indices (input, process, output), each the mean of
its scores to two decimals, which passes at 3. The level follows from which pass:
none or one → Dasar; input and process → Berkembang; output with one of them →
Mandiri; all three → Berkelanjutan. Percentages are rounded to whole numbers, half
away from zero, before they are scored, as the portal's SQL does.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import SARANA, Level, Programme

INPUT, PROCESS, OUTPUT = "input", "process", "output"
INDEX_LABELS = {INPUT: _("Input"), PROCESS: _("Proses"), OUTPUT: _("Output")}
PASS_MARK = Decimal(3)
#: Which indices pass → the level.
LEVEL_OF = {
    frozenset({INPUT, PROCESS}): Level.BERKEMBANG,
    frozenset({INPUT, OUTPUT}): Level.MANDIRI,
    frozenset({PROCESS, OUTPUT}): Level.MANDIRI,
    frozenset({INPUT, PROCESS, OUTPUT}): Level.BERKELANJUTAN,
}
#: (poktan members field, the families or youths it is drawn from)
PARTICIPATION = (
    ("members_bkb", "families_with_toddler"),
    ("members_bkr", "families_with_teen"),
    ("members_bkl", "families_with_elderly"),
    ("members_uppka", "families"),
    ("members_pikr", "youths"),
)
POKTAN = frozenset(Programme) - SARANA


@dataclass(frozen=True)
class Steps:
    """A score read from a value by thresholds: the lowest value of score 2, 3, 4
    (fewer for an indicator whose best score is lower). `lower_is_better` reads
    them as the highest value of each score instead."""

    thresholds: tuple
    lower_is_better: bool = False

    def score(self, value):
        if value is None:
            return 1
        reached = (
            [value <= t for t in self.thresholds]
            if self.lower_is_better
            else [value >= t for t in self.thresholds]
        )
        return 1 + sum(reached)

    def next_threshold(self, value):
        """The value that reaches the next score, or None at the best score."""
        score = self.score(value)
        return self.thresholds[score - 1] if score <= len(self.thresholds) else None


FUNDING = Steps((1, 2, 5))
POKTAN_STEPS = Steps((1, 3, 5))
SARANA_STEPS = Steps((1, 2))
DATA = Steps((1, 2, 4))
OPERATIONS = Steps((1, 3, 5))
CROSS_SECTOR = Steps((1, 4, 7))
PARTICIPATION_STEPS = Steps((10, 21, 31))
CPR = Steps((30, 41, 51))
MKJP = Steps((20, 23, 25))
UNMET_NEED = Steps((12, 9, 6), lower_is_better=True)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    index: str
    score: int
    shown: str  # the value behind the score, as a reader checks it
    raise_by: str  # what would raise the score one step, or "" at the best


@dataclass(frozen=True)
class WayUp:
    level: Level  # the level it reaches
    steps: list  # [(index label, points short, "indicator: what raises it" of each)]


@dataclass(frozen=True)
class Classification:
    indicators: list
    indices: dict  # index → Decimal, two places

    def passing(self):
        return {index for index, value in self.indices.items() if value >= PASS_MARK}

    @property
    def level(self):
        return level_for(self.passing())

    def short_of(self, index):
        """Score points the index lacks to pass: a mean of 3 is a sum of 3 per score."""
        scores = [i.score for i in self.indicators if i.index == index]
        return max(0, int(PASS_MARK) * len(scores) - sum(scores))

    def way_up(self):
        """The fewest score points that lift the village above its level (the higher
        level where two ways cost the same), as `WayUp`; None at the top."""
        order = list(Level)
        rank = order.index(self.level)
        higher = [c for c, level in LEVEL_OF.items() if order.index(level) > rank]
        if not higher or not self.indicators:
            return None
        cheapest = min(
            higher,
            key=lambda c: (sum(self.short_of(i) for i in c), -order.index(LEVEL_OF[c])),
        )
        steps = [
            (
                label,
                self.short_of(index),
                [
                    f"{i.label}: {i.raise_by}"
                    for i in self.indicators
                    if i.index == index and i.raise_by
                ],
            )
            for index, label in INDEX_LABELS.items()
            if index in cheapest and self.short_of(index)
        ]
        return WayUp(LEVEL_OF[cheapest], steps)

    def cards(self):
        """(index, label, value, passes, its indicators) in the order of the rule."""
        return [
            (
                index,
                label,
                self.indices[index],
                self.indices[index] >= PASS_MARK,
                [i for i in self.indicators if i.index == index],
            )
            for index, label in INDEX_LABELS.items()
        ]


def whole_percent(part, whole):
    """part / whole × 100 rounded half away from zero, or None without a whole."""
    if not whole:
        return None
    return int((Decimal(100) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def level_for(passing):
    return LEVEL_OF.get(frozenset(passing), Level.DASAR)


def _index(scores):
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _percent_shown(value):
    return _("tidak ada data") if value is None else f"{value}%"


def _counted(key, label, index, steps, value, more):
    """An indicator scored from a count; `more` names what to add (%(n)s of it)."""
    target = steps.next_threshold(value)
    score = steps.score(value)
    raise_by = "" if target is None else more % {"n": target - value, "score": score + 1}
    return Indicator(key, label, index, score, str(value), raise_by)


def _percentage(key, label, index, steps, value, towards):
    target = steps.next_threshold(value)
    score = steps.score(value)
    if target is None:
        raise_by = ""
    elif value is None:
        raise_by = _("isi datanya di profil bulanan")
    else:
        raise_by = towards % {"target": target, "score": score + 1}
    return Indicator(key, label, index, score, _percent_shown(value), raise_by)


def _pokja(s):
    members, trained = s.pokja_members > 0, s.pokja_trained
    if not s.pokja_formed:
        score, raise_by = 1, _("bentuk Pokja → skor 2")
    elif members and trained:
        score, raise_by = 4, ""
    elif members or trained:
        score = 3
        raise_by = _("latih Pokja → skor 4") if members else _("catat anggota Pokja → skor 4")
    else:
        score, raise_by = 2, _("catat anggota Pokja atau latih Pokja → skor 3")
    shown = _("terbentuk, %(n)s anggota, %(trained)s") % {
        "n": s.pokja_members,
        "trained": _("terlatih") if trained else _("belum dilatih"),
    }
    return Indicator(
        "pokja",
        _("Pokja"),
        INPUT,
        score,
        shown if s.pokja_formed else _("belum terbentuk"),
        raise_by,
    )


def _pkb_and_regulation(s):
    score = 1 + s.pkb_assigned + s.regulation_in_place
    if s.pkb_assigned and s.regulation_in_place:
        raise_by = ""
    elif s.pkb_assigned:
        raise_by = _("terbitkan regulasi/SK → skor 3")
    elif s.regulation_in_place:
        raise_by = _("tetapkan PKB/PLKB pendamping → skor 3")
    else:
        raise_by = _("tetapkan PKB/PLKB pendamping atau terbitkan regulasi/SK → skor 2")
    shown = ", ".join(
        str(text)
        for text in [
            _("PKB/PLKB ada") if s.pkb_assigned else _("tanpa PKB/PLKB"),
            _("regulasi ada") if s.regulation_in_place else _("tanpa regulasi"),
        ]
    )
    return Indicator("pkb_regulation", _("PKB/PLKB dan regulasi"), INPUT, score, shown, raise_by)


def participation(s):
    """The mean poktan participation, in whole percent."""
    shares = [
        whole_percent(getattr(s, members), getattr(s, base)) or 0 for members, base in PARTICIPATION
    ]
    return int((Decimal(sum(shares)) / len(shares)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def indicators(s, agencies):
    """The twelve indicators of a profile `s`, with `agencies` the number of distinct
    agencies in the village's activities."""
    users, long_acting = s.active_users, s.long_acting_users
    programmes = set(s.programmes)
    return [
        _pokja(s),
        _counted(
            "funding",
            _("Sumber dana"),
            INPUT,
            FUNDING,
            len(s.funding_sources),
            _("tambah %(n)s sumber dana → skor %(score)s"),
        ),
        _counted(
            "poktan",
            _("Poktan yang ada"),
            INPUT,
            POKTAN_STEPS,
            len(programmes & POKTAN),
            _("tambah %(n)s poktan → skor %(score)s"),
        ),
        _counted(
            "sarana",
            _("Sarana (Sekretariat, Rumah DataKu)"),
            INPUT,
            SARANA_STEPS,
            len(programmes & SARANA),
            _("tambah %(n)s sarana → skor %(score)s"),
        ),
        _pkb_and_regulation(s),
        _counted(
            "data",
            _("Data yang dipakai"),
            PROCESS,
            DATA,
            len(s.data_used),
            _("pakai %(n)s sumber data lagi → skor %(score)s"),
        ),
        _counted(
            "operations",
            _("Kegiatan operasional"),
            PROCESS,
            OPERATIONS,
            len(s.operational_activities),
            _("adakan %(n)s kegiatan operasional lagi → skor %(score)s"),
        ),
        _counted(
            "cross_sector",
            _("Lintas sektor (OPD dalam kegiatan)"),
            PROCESS,
            CROSS_SECTOR,
            agencies,
            _("libatkan %(n)s OPD lagi dalam kegiatan → skor %(score)s"),
        ),
        _percentage(
            "participation",
            _("Partisipasi poktan"),
            OUTPUT,
            PARTICIPATION_STEPS,
            participation(s),
            _("naikkan ke %(target)s%% → skor %(score)s"),
        ),
        _percentage(
            "cpr",
            _("CPR"),
            OUTPUT,
            CPR,
            whole_percent(users, s.pus),
            _("naikkan ke %(target)s%% → skor %(score)s"),
        ),
        _percentage(
            "mkjp",
            _("MKJP"),
            OUTPUT,
            MKJP,
            whole_percent(long_acting, users),
            _("naikkan ke %(target)s%% → skor %(score)s"),
        ),
        _percentage(
            "unmet_need",
            _("Unmet need"),
            OUTPUT,
            UNMET_NEED,
            whole_percent(s.iat + s.tial, s.pus),
            _("turunkan ke %(target)s%% → skor %(score)s"),
        ),
    ]


@dataclass(frozen=True)
class Assessment:
    """A village judged as the national portal judges it, on its latest profile."""

    snapshot: object  # the profile judged, or None where there is none yet
    classification: Classification

    @property
    def computed_level(self):
        return self.classification.level


def assess(village, latest):
    """Judge a village on its latest profile (None where it has none yet) and the
    agencies of its activities: `village` comes `with_agency_count()`."""
    return Assessment(latest, classify(latest, village.agency_count))


def classify(snapshot, agencies=0):
    """The portal's classification of a profile, or Dasar with nothing to show
    where there is no profile yet."""
    if snapshot is None:
        return Classification([], {})
    found = indicators(snapshot, agencies)
    indices = {
        index: _index([i.score for i in found if i.index == index]) for index in INDEX_LABELS
    }
    return Classification(found, indices)
