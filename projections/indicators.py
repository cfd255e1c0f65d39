"""`indicators`: the plan's targets (沪民社管发〔2021〕3号), per district and citywide.

The view keeps a few small fact tables (organisations, funds, pairings, designations) up to date from
events; `indicator_figures` computes the targets from them with plain queries:

- share of subdistricts that have a community foundation (over the subdistricts the registry knows);
- share of community foundations with an emergency-relief fund;
- pairings by kind and status;
- designations selected per year and kind, against the expected 3–5 (in a district, only those whose
  nominee is one of its organisations: a person nominee belongs to no district, so counts citywide only);
- registered rural organisations against the 2020 year-end count (target: double by the end of 2023);
- share of service centres graded 3A or above.

`district_indicators` answers the same figures for all 16 districts at once (grouped queries, for the
city's grid), with pairings counted once established (active or concluded) by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.districts import DISTRICTS
from domain.foundations.fund import Fund
from domain.organizations import Organization
from domain.pairing.designation import Designation
from domain.pairing.pairing import PAIRING_KINDS, Pairing
from projections.view import View, collect_handlers, handles
from storage.viewdb import ViewDB

BASELINE_DAY = date(2020, 12, 31)
TARGET_DAY = date(2023, 12, 31)
DESIGNATIONS_EXPECTED = (3, 5)
GOOD_GRADES = ("3A", "4A", "5A")

DDL = (
    "CREATE TABLE IF NOT EXISTS indicators_organizations (organization_id TEXT PRIMARY KEY,"
    " district TEXT NOT NULL, subdistrict TEXT NOT NULL, rural INTEGER NOT NULL, tier TEXT NOT NULL,"
    " roles TEXT NOT NULL, registered_on TEXT NOT NULL, grade TEXT, active INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS indicators_funds (fund_id TEXT PRIMARY KEY, foundation_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, open INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS indicators_pairings (pairing_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " status TEXT NOT NULL, confirmations INTEGER NOT NULL, lead_id TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS indicators_designations (designation_id TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL, year INTEGER NOT NULL, status TEXT NOT NULL, nominee_org_id TEXT)",
)


@collect_handlers
class IndicatorsView(View):
    name = "indicators"
    # 2: designations keep their nominee organisation, so a district counts only its own.
    version = 2
    tables = tuple(s.split()[5] for s in DDL)
    ddl = DDL

    @handles(Organization.Registered.TOPIC)
    def _registered(self, db: ViewDB, position: int, e: Organization.Registered) -> None:
        db.execute(
            "INSERT INTO indicators_organizations VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1)",
            (
                str(e.originator_id),
                e.district,
                e.subdistrict,
                int(e.rural),
                e.tier,
                "," + ",".join(e.roles) + ",",
                e.registered_on.isoformat(),
            ),
        )

    @handles(Organization.Reclassified.TOPIC)
    def _reclassified(self, db: ViewDB, position: int, e: Organization.Reclassified) -> None:
        db.execute(
            "UPDATE indicators_organizations SET tier = ? WHERE organization_id = ?",
            (e.tier, str(e.originator_id)),
        )

    @handles(Organization.Evaluated.TOPIC)
    def _evaluated(self, db: ViewDB, position: int, e: Organization.Evaluated) -> None:
        db.execute(
            "UPDATE indicators_organizations SET grade = ? WHERE organization_id = ?",
            (e.grade, str(e.originator_id)),
        )

    @handles(Organization.Deregistered.TOPIC)
    def _deregistered(self, db: ViewDB, position: int, e: Organization.Deregistered) -> None:
        db.execute(
            "UPDATE indicators_organizations SET active = 0 WHERE organization_id = ?",
            (str(e.originator_id),),
        )

    @handles(Fund.Opened.TOPIC)
    def _fund_opened(self, db: ViewDB, position: int, e: Fund.Opened) -> None:
        db.execute(
            "INSERT INTO indicators_funds VALUES (?, ?, ?, 1)",
            (str(e.originator_id), str(e.foundation_id), e.kind),
        )

    @handles(Fund.Closed.TOPIC)
    def _fund_closed(self, db: ViewDB, position: int, e: Fund.Closed) -> None:
        db.execute(
            "UPDATE indicators_funds SET open = 0 WHERE fund_id = ?", (str(e.originator_id),)
        )

    @handles(Pairing.Proposed.TOPIC)
    def _proposed(self, db: ViewDB, position: int, e: Pairing.Proposed) -> None:
        db.execute(
            "INSERT INTO indicators_pairings VALUES (?, ?, 'proposed', 0, ?)",
            (str(e.originator_id), e.kind, str(e.lead_id)),
        )

    @handles(Pairing.Confirmed.TOPIC)
    def _confirmed(self, db: ViewDB, position: int, e: Pairing.Confirmed) -> None:
        db.execute(
            "UPDATE indicators_pairings SET confirmations = confirmations + 1,"
            " status = CASE WHEN confirmations + 1 = 2 THEN 'active' ELSE status END WHERE pairing_id = ?",
            (str(e.originator_id),),
        )

    @handles(Pairing.Concluded.TOPIC, Pairing.Terminated.TOPIC)
    def _pairing_ended(
        self, db: ViewDB, position: int, e: Pairing.Concluded | Pairing.Terminated
    ) -> None:
        status = "concluded" if isinstance(e, Pairing.Concluded) else "terminated"
        db.execute(
            "UPDATE indicators_pairings SET status = ? WHERE pairing_id = ?",
            (status, str(e.originator_id)),
        )

    @handles(Designation.Nominated.TOPIC)
    def _nominated(self, db: ViewDB, position: int, e: Designation.Nominated) -> None:
        db.execute(
            "INSERT INTO indicators_designations VALUES (?, ?, ?, 'nominated', ?)",
            (
                str(e.originator_id),
                e.kind,
                e.year,
                # a person's reference is minted for this use only and names no organisation
                str(e.nominee_ref) if e.nominee_kind != "person" else None,
            ),
        )

    @handles(Designation.Selected.TOPIC, Designation.Revoked.TOPIC)
    def _decided(
        self, db: ViewDB, position: int, e: Designation.Selected | Designation.Revoked
    ) -> None:
        status = "selected" if isinstance(e, Designation.Selected) else "revoked"
        db.execute(
            "UPDATE indicators_designations SET status = ? WHERE designation_id = ?",
            (status, str(e.originator_id)),
        )


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if not self.total else round(100 * self.count / self.total, 1)


def indicator_figures(db: ViewDB, district: str | None = None) -> dict[str, Any]:
    """The plan's figures for one district, or citywide when `district` is None."""
    where, params = ("AND o.district = ?", (district,)) if district else ("", ())

    def one(statement: str, *extra: object) -> int:
        return int(db.execute(statement.format(where=where), (*extra, *params))[0][0] or 0)

    subdistricts = one(
        "SELECT COUNT(DISTINCT o.district || '/' || o.subdistrict) FROM indicators_organizations o"
        " WHERE o.active = 1 {where}"
    )
    covered = one(
        "SELECT COUNT(DISTINCT o.district || '/' || o.subdistrict) FROM indicators_organizations o"
        " WHERE o.active = 1 AND o.roles LIKE '%,community_foundation,%' {where}"
    )
    foundations = one(
        "SELECT COUNT(*) FROM indicators_organizations o"
        " WHERE o.active = 1 AND o.roles LIKE '%,community_foundation,%' {where}"
    )
    with_relief = one(
        "SELECT COUNT(DISTINCT o.organization_id) FROM indicators_organizations o"
        " JOIN indicators_funds f ON f.foundation_id = o.organization_id"
        " WHERE o.active = 1 AND o.roles LIKE '%,community_foundation,%'"
        " AND f.kind = 'emergency_relief' AND f.open = 1 {where}"
    )
    rural = "o.rural = 1 AND o.tier = 'registered' AND o.registered_on <= ?"
    rural_baseline = one(
        f"SELECT COUNT(*) FROM indicators_organizations o WHERE {rural} {{where}}",
        BASELINE_DAY.isoformat(),
    )
    rural_at_target = one(
        f"SELECT COUNT(*) FROM indicators_organizations o WHERE {rural} {{where}}",
        TARGET_DAY.isoformat(),
    )
    rural_now = one(
        "SELECT COUNT(*) FROM indicators_organizations o"
        " WHERE o.rural = 1 AND o.tier = 'registered' AND o.active = 1 {where}"
    )
    centres = one(
        "SELECT COUNT(*) FROM indicators_organizations o"
        " WHERE o.active = 1 AND o.roles LIKE '%,service_center,%' {where}"
    )
    graded = one(
        "SELECT COUNT(*) FROM indicators_organizations o WHERE o.active = 1"
        " AND o.roles LIKE '%,service_center,%' AND o.grade IN ('3A', '4A', '5A') {where}"
    )
    pairings = db.execute(
        "SELECT p.kind, p.status, COUNT(*) FROM indicators_pairings p"
        " JOIN indicators_organizations o ON o.organization_id = p.lead_id"
        f" WHERE 1 = 1 {where} GROUP BY p.kind, p.status ORDER BY p.kind, p.status",
        params,
    )
    designations = db.execute(
        "SELECT d.year, d.kind, COUNT(*) FROM indicators_designations d"
        + (
            " JOIN indicators_organizations o ON o.organization_id = d.nominee_org_id"
            if district
            else ""
        )
        + f" WHERE d.status = 'selected' {where} GROUP BY d.year, d.kind ORDER BY d.year, d.kind",
        params,
    )
    low, high = DESIGNATIONS_EXPECTED
    return {
        "district": district,
        "subdistricts_with_community_foundation": Share(covered, subdistricts),
        "community_foundations_with_relief_fund": Share(with_relief, foundations),
        "pairings": {(kind, status): count for kind, status, count in pairings},
        "designations": {
            (year, kind): {
                "selected": count,
                "gap": max(0, low - count),
                "over": max(0, count - high),
            }
            for year, kind, count in designations
        },
        "rural_registered": {
            "baseline_2020": rural_baseline,
            "at_end_of_2023": rural_at_target,
            "now": rural_now,
            "target": 2 * rural_baseline,
            "met_by_2023": rural_at_target >= 2 * rural_baseline if rural_baseline else None,
        },
        "service_centres_graded_3a_or_above": Share(graded, centres),
    }


# --- every district at once, for the city's grid -----------------------------------------------------

# A pairing counts towards the plan once both sides confirmed it and it was not broken off.
ESTABLISHED = ("active", "concluded")


@dataclass(frozen=True)
class Rural:
    """Registered rural organisations against the doubling target (2× the 2020 year-end count)."""

    baseline_2020: int
    at_end_of_2023: int
    now: int
    target: int
    met_by_2023: bool | None  # None when there was none to double

    @property
    def progress(self) -> Share:
        """Now against the target (may pass 100%)."""
        return Share(self.now, self.target)


@dataclass(frozen=True)
class DistrictIndicators:
    """The plan's figures of one district, as `indicator_figures` computes them, and its established
    pairings (active or concluded) by kind, in `PAIRING_KINDS` order, with their total."""

    district: str
    subdistricts_with_community_foundation: Share
    community_foundations_with_relief_fund: Share
    pairings: tuple[tuple[str, int], ...]
    pairings_established: int
    rural_registered: Rural
    service_centres_graded_3a_or_above: Share


def district_indicators(db: ViewDB) -> tuple[DistrictIndicators, ...]:
    """The plan's figures for each of the 16 districts (in `DISTRICTS` order), in three grouped
    queries rather than `indicator_figures` sixteen times (about fifty queries)."""
    community = "o.roles LIKE '%,community_foundation,%'"
    centre = "o.roles LIKE '%,service_center,%'"
    rural = "o.rural = 1 AND o.tier = 'registered'"
    organisations = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT o.district,"
            " COUNT(DISTINCT CASE WHEN o.active = 1 THEN o.subdistrict END),"
            f" COUNT(DISTINCT CASE WHEN o.active = 1 AND {community} THEN o.subdistrict END),"
            f" SUM(CASE WHEN o.active = 1 AND {community} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {rural} AND o.registered_on <= ? THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {rural} AND o.registered_on <= ? THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN {rural} AND o.active = 1 THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN o.active = 1 AND {centre} THEN 1 ELSE 0 END),"
            f" SUM(CASE WHEN o.active = 1 AND {centre} AND o.grade IN ('3A', '4A', '5A')"
            " THEN 1 ELSE 0 END)"
            " FROM indicators_organizations o GROUP BY o.district",
            (BASELINE_DAY.isoformat(), TARGET_DAY.isoformat()),
        )
    }
    with_relief = dict(
        db.execute(
            "SELECT o.district, COUNT(DISTINCT o.organization_id) FROM indicators_organizations o"
            " JOIN indicators_funds f ON f.foundation_id = o.organization_id"
            f" WHERE o.active = 1 AND {community} AND f.kind = 'emergency_relief' AND f.open = 1"
            " GROUP BY o.district"
        )
    )
    pairings: dict[tuple[str, str], int] = {
        (district, kind): int(n)
        for district, kind, n in db.execute(
            "SELECT o.district, p.kind, COUNT(*) FROM indicators_pairings p"
            " JOIN indicators_organizations o ON o.organization_id = p.lead_id"
            f" WHERE p.status IN ({', '.join('?' for _ in ESTABLISHED)})"
            " GROUP BY o.district, p.kind",
            ESTABLISHED,
        )
    }
    found = []
    for district in DISTRICTS:
        subdistricts, covered, foundations, baseline, at_target, now, centres, graded = (
            int(n or 0) for n in organisations.get(district, (0,) * 8)
        )
        kinds = tuple((kind, pairings.get((district, kind), 0)) for kind in PAIRING_KINDS)
        found.append(
            DistrictIndicators(
                district=district,
                subdistricts_with_community_foundation=Share(covered, subdistricts),
                community_foundations_with_relief_fund=Share(
                    int(with_relief.get(district, 0)), foundations
                ),
                pairings=kinds,
                pairings_established=sum(n for _, n in kinds),
                rural_registered=Rural(
                    baseline_2020=baseline,
                    at_end_of_2023=at_target,
                    now=now,
                    target=2 * baseline,
                    met_by_2023=at_target >= 2 * baseline if baseline else None,
                ),
                service_centres_graded_3a_or_above=Share(graded, centres),
            )
        )
    return tuple(found)
