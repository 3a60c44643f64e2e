"""The national classification of a Kampung KB, in one place.

Input criteria → Dasar until all are met; process criteria → Berkembang until all
are met; output criteria (CPR, MKJP share and unmet need each better than before)
→ Mandiri until all are met; then Berkelanjutan.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Level, Programme


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    stage: Level  # the level a village reaches once every criterion of its stage is met
    met: bool


@dataclass(frozen=True)
class Figures:
    cpr: float | None
    mkjp_share: float | None
    unmet_need: float | None


def _input_criteria(s):
    return [
        ("pokja_formed", _("Pokja terbentuk"), s.pokja_formed),
        ("pokja_has_sk", _("Pokja memiliki SK"), s.pokja_has_sk),
        ("pokja_trained", _("Anggota Pokja sudah dilatih"), s.pokja_trained),
        ("pkb_assigned", _("Ada PKB/PLKB pendamping"), s.pkb_assigned),
        ("funding", _("Minimal satu sumber dana"), bool(s.funding_sources)),
        ("regulation", _("Ada regulasi/kebijakan"), s.regulation_in_place),
    ]


def _process_criteria(s):
    running = set(s.programmes)
    return [
        ("bkb_active", _("BKB aktif"), Programme.BKB in running),
        ("bkr_active", _("BKR aktif"), Programme.BKR in running),
        ("bkl_active", _("BKL aktif"), Programme.BKL in running),
        ("pikr_active", _("PIK-R aktif"), Programme.PIK_R in running),
        ("uppka_active", _("UPPKA aktif"), Programme.UPPKA in running),
        ("rumah_dataku", _("Rumah DataKu ada"), Programme.RUMAH_DATAKU in running),
        ("data_for_planning", _("Data dipakai untuk perencanaan"), bool(s.data_used)),
        ("operational_meetings", _("Rapat operasional rutin"), bool(s.operational_activities)),
    ]


def _better(current, before, *, higher_is_better):
    if current is None or before is None:
        return False
    return current > before if higher_is_better else current < before


def _output_criteria(s, baseline):
    return [
        ("cpr_up", _("CPR naik"), _better(s.cpr, baseline.cpr, higher_is_better=True)),
        (
            "mkjp_up",
            _("Pangsa MKJP naik"),
            _better(s.mkjp_share, baseline.mkjp_share, higher_is_better=True),
        ),
        (
            "unmet_need_down",
            _("Unmet need turun"),
            _better(s.unmet_need, baseline.unmet_need, higher_is_better=False),
        ),
    ]


def assess(snapshot, baseline):
    """All criteria for `snapshot`, judged against `baseline` figures.

    `baseline` is the previous snapshot's figures, or the city's where the
    village has no earlier snapshot. Returns an empty list without a snapshot.
    """
    if snapshot is None:
        return []
    stages = (
        (Level.BERKEMBANG, _input_criteria(snapshot)),
        (Level.MANDIRI, _process_criteria(snapshot)),
        (Level.BERKELANJUTAN, _output_criteria(snapshot, baseline)),
    )
    return [Criterion(key, label, stage, met) for stage, rows in stages for key, label, met in rows]


def level_for(criteria):
    """The highest level whose stage and all stages before it are met."""
    level = Level.DASAR
    for stage in (Level.BERKEMBANG, Level.MANDIRI, Level.BERKELANJUTAN):
        if not all(c.met for c in criteria if c.stage == stage) or not criteria:
            break
        level = stage
    return level


def next_level(level):
    """The level above `level`, or None above the highest."""
    order = list(Level)
    return order[order.index(level) + 1] if level != order[-1] else None


def missing_for_next_level(criteria):
    """The unmet criteria that stand between the village and its next level."""
    above = next_level(level_for(criteria))
    return [c for c in criteria if c.stage == above and not c.met] if above else []


def figures_of(snapshot):
    if snapshot is None:
        return Figures(None, None, None)
    return Figures(snapshot.cpr, snapshot.mkjp_share, snapshot.unmet_need)
