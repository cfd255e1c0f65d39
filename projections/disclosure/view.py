"""`disclosure`: what the public page shows, per foundation and citywide, as tables made from events.

Organisations, funds and their figures (received — named donors who consented, the rest summed as
anonymous — granted, paid, transferred in and out, reversed in and out, balance, which is their sum as
docs/API.md gives it), grants (with the community's feedback, the recipient's report and the closing
outcome), relief disbursements as public rows
and monthly totals by subdistrict and reason (and, on the emergency fast path, each case's and each
payment's ratification deadline and whether a ratification covered the payment), transfers between funds (whether reversed), pairings with their activities, mentor links, designations, and every correction (更正说明)
with its reason.

Every event that changes a fund's balance is also a row of `disclosure_fund_movements` (a fund's
statement, 对账单): its business date, its kind (`MOVEMENT_KINDS`), the signed amount and the
counterparty in public form, so the movements of a fund always sum to its `balance_fen`.

Every row made from one event carries `leaf_index`, that event's leaf in the transparency log (leaf i
is log position i + 1), so the page can offer "verify this row" with an inclusion proof; rows that later
events change (an organisation, a fund's figures, a grant, a case, a transfer, a pairing, a link, a designation)
also carry `last_leaf_index`, the last event that changed them. Monthly relief totals are sums of many
events and link to none.

Privacy: nothing here comes from the vault. Relief rows stop at the subdistrict and the 360Giving codes;
people appear as references and role labels. The names of donors and mentors who consented are looked
up in the vault when the page is rendered, so an erasure or a withdrawn consent takes effect at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from domain.foundations.fund import Fund
from domain.foundations.grant import Grant
from domain.foundations.relief import ReliefCase
from domain.organizations import Organization
from domain.pairing.designation import Designation
from domain.pairing.mentoring import MentorLink
from domain.pairing.pairing import Pairing
from projections.view import View, collect_handlers, handles
from storage.viewdb import ViewDB

F = "mingzhang/Fund."
G = "mingzhang/Grant."
R = "mingzhang/ReliefCase."
P = "mingzhang/Pairing."
M = "mingzhang/MentorLink."
D = "mingzhang/Designation."
ORG = "mingzhang/Organization."

DDL = (
    "CREATE TABLE IF NOT EXISTS disclosure_organizations (organization_id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, uscc TEXT, type TEXT NOT NULL, tier TEXT NOT NULL, roles TEXT NOT NULL,"
    " district TEXT NOT NULL, subdistrict TEXT NOT NULL, rural INTEGER NOT NULL,"
    " registered_on TEXT NOT NULL, grade TEXT, deregistered_on TEXT, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_funds (fund_id TEXT PRIMARY KEY, foundation_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, name TEXT NOT NULL, opened_on TEXT NOT NULL, received_fen BIGINT NOT NULL,"
    " anonymous_fen BIGINT NOT NULL, granted_fen BIGINT NOT NULL, paid_fen BIGINT NOT NULL,"
    " transferred_in_fen BIGINT NOT NULL, transferred_out_fen BIGINT NOT NULL,"
    # Reversals split by the way they move the balance: `reversed_in` undoes money that came in
    # (donations, transfers in), `reversed_out` brings back money that went out (payments,
    # transfers out), so balance = received + transferred_in − paid − transferred_out − reversed_in
    # + reversed_out.
    " reversed_in_fen BIGINT NOT NULL, reversed_out_fen BIGINT NOT NULL, balance_fen BIGINT NOT NULL,"
    " closed_on TEXT, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS disclosure_funds_by_foundation ON disclosure_funds (foundation_id)",
    "CREATE TABLE IF NOT EXISTS disclosure_named_donations (donation_id TEXT PRIMARY KEY,"
    " fund_id TEXT NOT NULL, donor_kind TEXT NOT NULL, donor_ref TEXT NOT NULL,"
    " amount_fen BIGINT NOT NULL, received_on TEXT NOT NULL, leaf_index BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_grants (grant_id TEXT PRIMARY KEY, fund_id TEXT NOT NULL,"
    " foundation_id TEXT NOT NULL, recipient_id TEXT NOT NULL, programme TEXT NOT NULL,"
    " title TEXT NOT NULL, awarded_fen BIGINT NOT NULL, paid_fen BIGINT NOT NULL,"
    " awarded_on TEXT NOT NULL, planned_start TEXT NOT NULL, planned_end TEXT NOT NULL,"
    " status TEXT NOT NULL, rating INTEGER, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL,"
    # What the community said (the latest feedback), the recipient's latest report, and how the
    # grant ended (the outcome of a closing; a cancellation's reason is a correction).
    " feedback TEXT, feedback_on TEXT, report TEXT, report_on TEXT, outcome TEXT, ended_on TEXT)",
    "CREATE INDEX IF NOT EXISTS disclosure_grants_by_foundation ON disclosure_grants (foundation_id)",
    "CREATE TABLE IF NOT EXISTS disclosure_relief_cases (case_id TEXT PRIMARY KEY,"
    " fund_id TEXT NOT NULL, foundation_id TEXT NOT NULL, subdistrict TEXT NOT NULL,"
    " reason_category TEXT NOT NULL, purpose_code TEXT NOT NULL, emergency INTEGER NOT NULL,"
    " opened_on TEXT NOT NULL, status TEXT NOT NULL, ratified INTEGER NOT NULL, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL,"
    # The emergency fast path: the deadline the first disbursement before approval set, and how
    # many such disbursements are neither ratified nor reversed (the case is overdue when some are).
    " ratify_by TEXT, awaiting_ratification INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_relief (disbursement_id TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL, fund_id TEXT NOT NULL, foundation_id TEXT NOT NULL,"
    " subdistrict TEXT NOT NULL, reason_category TEXT NOT NULL, purpose_code TEXT NOT NULL,"
    " amount_fen BIGINT NOT NULL, paid_on TEXT NOT NULL, emergency INTEGER NOT NULL,"
    " before_approval INTEGER NOT NULL, reversed INTEGER NOT NULL, leaf_index BIGINT NOT NULL,"
    # A payment before approval: its case's deadline, whether it awaits ratification still, and
    # whether a ratification covered it (the reader tells pending from overdue on the day it reads).
    " awaiting_ratification INTEGER NOT NULL, ratify_by TEXT, ratified INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_relief_monthly (foundation_id TEXT NOT NULL,"
    " month TEXT NOT NULL, subdistrict TEXT NOT NULL, reason_category TEXT NOT NULL,"
    " total_fen BIGINT NOT NULL, disbursements INTEGER NOT NULL,"
    " PRIMARY KEY (foundation_id, month, subdistrict, reason_category))",
    "CREATE TABLE IF NOT EXISTS disclosure_corrections (position BIGINT PRIMARY KEY,"
    " aggregate_id TEXT NOT NULL, kind TEXT NOT NULL, corrects_id TEXT NOT NULL,"
    " reason TEXT NOT NULL, corrected_on TEXT NOT NULL, amount_fen BIGINT, leaf_index BIGINT NOT NULL,"
    " organization_id TEXT)",
    # A foundation's page reads its latest rows of each table: these indexes serve those reads.
    "CREATE INDEX IF NOT EXISTS disclosure_corrections_by_owner"
    " ON disclosure_corrections (organization_id, position)",
    "CREATE INDEX IF NOT EXISTS disclosure_relief_by_foundation"
    " ON disclosure_relief (foundation_id, paid_on, disbursement_id)",
    # A ratification clears what awaited it among the case's disbursements without a table scan.
    "CREATE INDEX IF NOT EXISTS disclosure_relief_by_case ON disclosure_relief (case_id)",
    "CREATE INDEX IF NOT EXISTS disclosure_grants_by_foundation_date"
    " ON disclosure_grants (foundation_id, awarded_on, grant_id)",
    # The grants of one recipient (`/disclosure/grants?recipient_id=`), in the list's order.
    "CREATE INDEX IF NOT EXISTS disclosure_grants_by_recipient_date"
    " ON disclosure_grants (recipient_id, awarded_on, grant_id)",
    "CREATE INDEX IF NOT EXISTS disclosure_named_donations_by_fund"
    " ON disclosure_named_donations (fund_id, received_on, donation_id)",
    "CREATE TABLE IF NOT EXISTS disclosure_pairings (pairing_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " mode TEXT, lead_id TEXT NOT NULL, partner_id TEXT NOT NULL, goals TEXT NOT NULL,"
    " status TEXT NOT NULL, confirmations INTEGER NOT NULL, proposed_on TEXT NOT NULL,"
    " evaluation TEXT, ended_on TEXT, end_text TEXT, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_pairing_activities (activity_id TEXT PRIMARY KEY,"
    " pairing_id TEXT NOT NULL, kind TEXT NOT NULL, held_on TEXT NOT NULL, summary TEXT NOT NULL,"
    " transfer_id TEXT, leaf_index BIGINT NOT NULL)",
    # Transfers between funds (one row per transfer, whichever fund's event wrote it), so a pairing's
    # funding activity can be read with the money its transfer moved (the 360Giving export's match
    # funding) and whether that was reversed.
    "CREATE TABLE IF NOT EXISTS disclosure_transfers (transfer_id TEXT PRIMARY KEY,"
    " from_fund_id TEXT NOT NULL, to_fund_id TEXT NOT NULL, amount_fen BIGINT NOT NULL,"
    " transferred_on TEXT NOT NULL, pairing_id TEXT, reversed INTEGER NOT NULL,"
    " leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    # The first activity that names a transfer (`reader.pairing_funding`), without a table scan.
    "CREATE INDEX IF NOT EXISTS disclosure_pairing_activities_by_transfer"
    " ON disclosure_pairing_activities (transfer_id)",
    "CREATE TABLE IF NOT EXISTS disclosure_mentor_links (link_id TEXT PRIMARY KEY,"
    " mentor_kind TEXT NOT NULL, mentor_org_id TEXT, mentor_ref TEXT, role_label TEXT,"
    " publish_name INTEGER NOT NULL, mentee_id TEXT NOT NULL, focus TEXT NOT NULL,"
    " started_on TEXT NOT NULL, minutes INTEGER NOT NULL, ended_on TEXT, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS disclosure_designations (designation_id TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL, year INTEGER NOT NULL, nominee_kind TEXT NOT NULL, nominee_org_id TEXT,"
    " status TEXT NOT NULL, nominated_on TEXT NOT NULL, decided_on TEXT, leaf_index BIGINT NOT NULL, last_leaf_index BIGINT NOT NULL)",
    # One row per event that changes a fund's balance, `amount_fen` signed (+ in, − out), dated by
    # its business date. `entry_id` is the donation, transfer or payment it records or reverses. The
    # counterparty in public form only: `anonymous` (and a donor who did not consent to be named),
    # `person` (a named person: no id, the name is the vault's), `organization` (a donor or a
    # grant's recipient, by id), `fund` (the other fund of a transfer, by id), `relief` (a
    # disbursement: `counterparty_name` is its subdistrict, nothing finer); NULL for a payment made
    # straight from the fund, which names no one.
    "CREATE TABLE IF NOT EXISTS disclosure_fund_movements (position BIGINT PRIMARY KEY,"
    " leaf_index BIGINT NOT NULL, fund_id TEXT NOT NULL, foundation_id TEXT NOT NULL,"
    " on_date TEXT NOT NULL, kind TEXT NOT NULL, amount_fen BIGINT NOT NULL, entry_id TEXT NOT NULL,"
    " counterparty_kind TEXT, counterparty_id TEXT, counterparty_name TEXT)",
    # A statement reads one fund's movements by date; a reversal or a withdrawn consent finds the
    # movement of its entry; income by month and the totals read by foundation and kind.
    "CREATE INDEX IF NOT EXISTS disclosure_fund_movements_by_fund"
    " ON disclosure_fund_movements (fund_id, on_date, position)",
    "CREATE INDEX IF NOT EXISTS disclosure_fund_movements_by_entry"
    " ON disclosure_fund_movements (entry_id)",
    "CREATE INDEX IF NOT EXISTS disclosure_fund_movements_by_foundation"
    " ON disclosure_fund_movements (foundation_id, kind, on_date)",
)

# The kinds of a fund movement: money in and out, and the reversal (更正) of each, which moves the
# same amount the other way. `payment` is a payment made straight from the fund (not a grant's
# instalment nor a relief disbursement); none of those is reversed today, but a reversal of one
# would be `payment_reversed`, as every reversal is its entry's kind + `_reversed`.
MOVEMENTS_IN = ("donation", "transfer_in")
MOVEMENTS_OUT = ("transfer_out", "grant_payment", "relief_payment", "payment")
MOVEMENT_KINDS = tuple(
    kind for base in MOVEMENTS_IN + MOVEMENTS_OUT for kind in (base, f"{base}_reversed")
)
COUNTERPARTY_KINDS = ("anonymous", "person", "organization", "fund", "relief")


MOVEMENT_INSERT = "INSERT INTO disclosure_fund_movements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
LOOKUP = 500  # ids per query when a batch looks up its funds, grants and disbursements at once


def leaf(position: int) -> int:
    """The transparency log's leaf index of the event at a log position (leaf i is position i + 1)."""
    return position - 1


def _d(value: Any) -> str | None:
    return None if value is None else str(value)


@collect_handlers
class DisclosureView(View):
    name = "disclosure"
    tables = tuple(s.split()[5] for s in DDL if s.startswith("CREATE TABLE"))
    ddl = DDL
    # 2: rows link to their events' leaves in the transparency log; 3: corrections name the
    # organisation they belong to, and a foundation's page reads through indexes; 4: relief cases
    # keep their ratification deadline and what awaits ratification; 5: a fund's reversals split
    # into reversed_in and reversed_out so its figures sum to its balance; a grant shows the
    # community's feedback, the recipient's report and how it ended; a relief row keeps its
    # deadline and whether a ratification covered it; grants are indexed by recipient; 6: relief
    # shows the reason's public category, never the detailed code (old events read as theirs);
    # 7: every event that changes a fund's balance is a fund movement (the fund's statement);
    # 8: transfers between funds, with whether each was reversed.
    version = 8

    # --- organisations ---------------------------------------------------------------------------

    @handles(ORG + "Registered")
    def _registered(self, db: ViewDB, position: int, e: Organization.Registered) -> None:
        db.execute(
            "INSERT INTO disclosure_organizations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
            (
                str(e.originator_id),
                e.name,
                e.uscc,
                e.type,
                e.tier,
                ",".join(e.roles),
                e.district,
                e.subdistrict,
                int(e.rural),
                e.registered_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(ORG + "Reclassified")
    def _reclassified(self, db: ViewDB, position: int, e: Organization.Reclassified) -> None:
        db.execute(
            "UPDATE disclosure_organizations SET type = ?, tier = ?, last_leaf_index = ? WHERE organization_id = ?",
            (e.type, e.tier, leaf(position), str(e.originator_id)),
        )
        self._correction(
            db, position, e, "reclassification", e.originator_id, e.reason, e.reclassified_on
        )

    @handles(ORG + "Evaluated")
    def _evaluated(self, db: ViewDB, position: int, e: Organization.Evaluated) -> None:
        db.execute(
            "UPDATE disclosure_organizations SET grade = ?, last_leaf_index = ? WHERE organization_id = ?",
            (e.grade, leaf(position), str(e.originator_id)),
        )

    @handles(ORG + "Deregistered")
    def _deregistered(self, db: ViewDB, position: int, e: Organization.Deregistered) -> None:
        db.execute(
            "UPDATE disclosure_organizations SET deregistered_on = ?, last_leaf_index = ? WHERE organization_id = ?",
            (e.deregistered_on.isoformat(), leaf(position), str(e.originator_id)),
        )

    # --- funds -----------------------------------------------------------------------------------

    def _fund(self, db: ViewDB, position: int, fund_id: Any, **deltas: int) -> None:
        # Deferred and merged per fund: a batch of donations to 60 funds is 60 updates, not one
        # per donation (the profile of a rebuild: a statement per event was most of its time).
        db.defer_update(
            "disclosure_funds",
            "fund_id",
            str(fund_id),
            add=deltas,
            assign={"last_leaf_index": leaf(position)},
        )

    def _foundation(self, db: ViewDB, fund_id: Any) -> str | None:
        """The foundation of a fund (None if the view has no such fund): looked up once per batch
        (`_look_up`) or when the fund is opened, since a fund never changes foundation."""
        key = ("foundation", str(fund_id))
        if key not in db.memo:
            rows = db.execute(
                "SELECT foundation_id FROM disclosure_funds WHERE fund_id = ?", (str(fund_id),)
            )
            db.memo[key] = str(rows[0][0]) if rows else None
        found: str | None = db.memo[key]
        return found

    def apply(self, db: ViewDB, position: int, event: Any) -> None:
        self.apply_batch(db, [(position, event)])

    def apply_batch(self, db: ViewDB, events: Sequence[tuple[int, Any]]) -> None:
        """The batch's handlers in position order, after one look-up of what they read
        (`_look_up`); their writes are deferred (`ViewDB.defer_insert`, `defer_update`) and the
        monthly totals summed, so most go out many rows per statement."""
        self._look_up(db, events)
        monthly: dict[tuple[str, str, str, str], list[int]] = {}
        db.memo["monthly"] = monthly
        for position, event in events:
            super().apply(db, position, event)
        # No handler reads the monthly totals, so a batch's changes to each are summed and
        # written once (a zero sum still makes the row, as the events one by one would).
        db.execute_many(
            "INSERT INTO disclosure_relief_monthly VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (foundation_id, month, subdistrict, reason_category) DO UPDATE SET"
            " total_fen = disclosure_relief_monthly.total_fen + excluded.total_fen,"
            " disbursements = disclosure_relief_monthly.disbursements + excluded.disbursements",
            [(*key, fen, count) for key, (fen, count) in monthly.items()],
        )

    def _look_up(self, db: ViewDB, events: Sequence[tuple[int, Any]]) -> None:
        """Read at once what the batch's handlers would otherwise read one event at a time: the
        foundation of every fund its events name, and for each payment whether it pays a grant
        (its reservation) or a relief disbursement (its id), with the rows' fund and counterparty.
        Kept in `db.memo`, which the handlers that write those rows update: an entry of None
        means "no such row", which holds until a handler of this view writes one."""
        funds, grants, relief = set(), set(), set()
        for _, e in events:
            topic = getattr(type(e), "TOPIC", "")
            if topic.startswith(F):
                funds.add(str(e.originator_id))
            elif topic in (G + "Awarded", R + "Opened"):
                funds.add(str(e.fund_id))
            if topic == F + "PaymentMade":
                relief.add(str(e.payment_id))
                if e.reservation_id is not None:
                    grants.add(str(e.reservation_id))
        for kind, select, wanted in (
            (
                "foundation",
                "SELECT fund_id, foundation_id FROM disclosure_funds WHERE fund_id",
                funds,
            ),
            (
                "grant",
                "SELECT grant_id, fund_id, recipient_id FROM disclosure_grants WHERE grant_id",
                grants,
            ),
            (
                "relief",
                "SELECT disbursement_id, fund_id, subdistrict FROM disclosure_relief"
                " WHERE disbursement_id",
                relief,
            ),
        ):
            ids = sorted(wanted)
            for start in range(0, len(ids), LOOKUP):
                chunk = ids[start : start + LOOKUP]
                found = {
                    str(row[0]): (row[1] if kind == "foundation" else tuple(row[1:]))
                    for row in db.execute(f"{select} IN ({', '.join('?' for _ in chunk)})", chunk)
                }
                for ident in chunk:
                    db.memo[(kind, ident)] = found.get(ident)

    def _movement(
        self,
        db: ViewDB,
        position: int,
        fund_id: Any,
        on: Any,
        kind: str,
        amount_fen: int,
        entry_id: Any,
        counterparty: tuple[str | None, Any, str | None] = (None, None, None),
    ) -> None:
        """A fund movement (`counterparty`: kind, id, name), deferred to go out with the batch's
        others; none for a fund the view does not have."""
        foundation = self._foundation(db, fund_id)
        if foundation is None:
            return
        db.defer_insert(
            MOVEMENT_INSERT,
            (
                position,
                leaf(position),
                str(fund_id),
                foundation,
                on.isoformat(),
                kind,
                amount_fen,
                str(entry_id),
                counterparty[0],
                _d(counterparty[1]),
                counterparty[2],
            ),
        )

    def _reversal(
        self,
        db: ViewDB,
        position: int,
        fund_id: Any,
        entry_id: Any,
        reversed_kinds: tuple[str, ...],
        on: Any,
        amount_fen: int,
    ) -> None:
        """The movement that undoes the entry's: `amount_fen` signed the other way, of its kind +
        `_reversed`, with its counterparty (as public as it is now)."""
        db.execute(
            "INSERT INTO disclosure_fund_movements"
            " SELECT ?, ?, fund_id, foundation_id, ?, kind || '_reversed', ?, entry_id,"
            " counterparty_kind, counterparty_id, counterparty_name FROM disclosure_fund_movements"
            f" WHERE entry_id = ? AND fund_id = ? AND kind IN ({', '.join('?' for _ in reversed_kinds)})",
            (
                position,
                leaf(position),
                on.isoformat(),
                amount_fen,
                str(entry_id),
                str(fund_id),
                *reversed_kinds,
            ),
        )

    @handles(F + "Opened")
    def _opened(self, db: ViewDB, position: int, e: Fund.Opened) -> None:
        db.memo[("foundation", str(e.originator_id))] = str(e.foundation_id)
        db.defer_insert(
            "INSERT INTO disclosure_funds VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, ?, ?)",
            (
                str(e.originator_id),
                str(e.foundation_id),
                e.kind,
                e.name,
                e.opened_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(F + "DonationReceived")
    def _donation(self, db: ViewDB, position: int, e: Fund.DonationReceived) -> None:
        named = e.publish_name and e.donor_kind != "anonymous"
        self._fund(
            db,
            position,
            e.originator_id,
            received_fen=e.amount_fen,
            balance_fen=e.amount_fen,
            anonymous_fen=0 if named else e.amount_fen,
        )
        # A person is named by the vault at render time, never here; an organisation by its id.
        counterparty = (
            (e.donor_kind, e.donor_ref if e.donor_kind == "organization" else None, None)
            if named
            else ("anonymous", None, None)
        )
        self._movement(
            db,
            position,
            e.originator_id,
            e.received_on,
            "donation",
            e.amount_fen,
            e.donation_id,
            counterparty,
        )
        if named:
            db.execute(
                "INSERT INTO disclosure_named_donations VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    str(e.donation_id),
                    str(e.originator_id),
                    e.donor_kind,
                    e.donor_ref,
                    e.amount_fen,
                    e.received_on.isoformat(),
                    leaf(position),
                ),
            )

    @handles(F + "NameConsentWithdrawn")
    def _consent_withdrawn(self, db: ViewDB, position: int, e: Fund.NameConsentWithdrawn) -> None:
        rows = db.execute(
            "SELECT amount_fen FROM disclosure_named_donations WHERE donation_id = ?",
            (str(e.donation_id),),
        )
        if rows:
            db.execute(
                "DELETE FROM disclosure_named_donations WHERE donation_id = ?",
                (str(e.donation_id),),
            )
            self._fund(db, position, e.originator_id, anonymous_fen=rows[0][0])
        # The statement stops naming the donor too, on the donation and on any reversal of it.
        db.execute(
            "UPDATE disclosure_fund_movements SET counterparty_kind = 'anonymous',"
            " counterparty_id = NULL WHERE entry_id = ? AND fund_id = ?",
            (str(e.donation_id), str(e.originator_id)),
        )

    @handles(F + "DonationReversed")
    def _donation_reversed(self, db: ViewDB, position: int, e: Fund.DonationReversed) -> None:
        # A donation still named is in the named table; any other was counted as anonymous.
        named = db.execute(
            "SELECT 1 FROM disclosure_named_donations WHERE donation_id = ?", (str(e.donation_id),)
        )
        if named:
            db.execute(
                "DELETE FROM disclosure_named_donations WHERE donation_id = ?",
                (str(e.donation_id),),
            )
        else:
            self._fund(db, position, e.originator_id, anonymous_fen=-e.amount_fen)
        self._fund(
            db, position, e.originator_id, reversed_in_fen=e.amount_fen, balance_fen=-e.amount_fen
        )
        self._reversal(
            db,
            position,
            e.originator_id,
            e.donation_id,
            ("donation",),
            e.reversed_on,
            -e.amount_fen,
        )
        self._correction(
            db,
            position,
            e,
            "donation_reversed",
            e.donation_id,
            e.reason,
            e.reversed_on,
            e.amount_fen,
        )

    @handles(F + "TransferredOut")
    def _out(self, db: ViewDB, position: int, e: Fund.TransferredOut) -> None:
        self._fund(
            db,
            position,
            e.originator_id,
            transferred_out_fen=e.amount_fen,
            balance_fen=-e.amount_fen,
        )
        self._movement(
            db,
            position,
            e.originator_id,
            e.transferred_on,
            "transfer_out",
            -e.amount_fen,
            e.transfer_id,
            ("fund", e.to_fund_id, None),
        )
        # The `TransferredIn` of the same commit names the same transfer: the row is written once.
        db.execute(
            "INSERT INTO disclosure_transfers VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (
                str(e.transfer_id),
                str(e.from_fund_id),
                str(e.to_fund_id),
                e.amount_fen,
                e.transferred_on.isoformat(),
                _d(e.pairing_id),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(F + "TransferredIn")
    def _in(self, db: ViewDB, position: int, e: Fund.TransferredIn) -> None:
        self._fund(
            db, position, e.originator_id, transferred_in_fen=e.amount_fen, balance_fen=e.amount_fen
        )
        self._movement(
            db,
            position,
            e.originator_id,
            e.transferred_on,
            "transfer_in",
            e.amount_fen,
            e.transfer_id,
            ("fund", e.from_fund_id, None),
        )

    @handles(F + "TransferReversed")
    def _transfer_reversed(self, db: ViewDB, position: int, e: Fund.TransferReversed) -> None:
        outgoing = e.from_fund_id == e.originator_id
        self._movement(
            db,
            position,
            e.originator_id,
            e.reversed_on,
            "transfer_out_reversed" if outgoing else "transfer_in_reversed",
            e.amount_fen if outgoing else -e.amount_fen,
            e.transfer_id,
            ("fund", e.to_fund_id if outgoing else e.from_fund_id, None),
        )
        if outgoing:  # the money that went out comes back
            self._fund(
                db,
                position,
                e.originator_id,
                reversed_out_fen=e.amount_fen,
                balance_fen=e.amount_fen,
            )
        else:  # the money that came in leaves again
            self._fund(
                db,
                position,
                e.originator_id,
                reversed_in_fen=e.amount_fen,
                balance_fen=-e.amount_fen,
            )
        if (
            e.from_fund_id == e.originator_id
        ):  # one public correction per reversal, not one per fund
            db.execute(
                "UPDATE disclosure_transfers SET reversed = 1, last_leaf_index = ?"
                " WHERE transfer_id = ?",
                (leaf(position), str(e.transfer_id)),
            )
            self._correction(
                db,
                position,
                e,
                "transfer_reversed",
                e.transfer_id,
                e.reason,
                e.reversed_on,
                e.amount_fen,
            )

    @handles(F + "PaymentMade")
    def _paid(self, db: ViewDB, position: int, e: Fund.PaymentMade) -> None:
        self._fund(db, position, e.originator_id, paid_fen=e.amount_fen, balance_fen=-e.amount_fen)
        # What the payment was for: a grant pays against its own reservation (the grant's id); a
        # relief disbursement is the payment's id, and its case was saved, so its row written,
        # just before the fund; anything else was paid straight from the fund.
        fund = str(e.originator_id)
        grant_key = None if e.reservation_id is None else ("grant", str(e.reservation_id))
        relief_key = ("relief", str(e.payment_id))
        if (grant_key is None or grant_key in db.memo) and relief_key in db.memo:
            # Both rows known (`_look_up`): the movement the statement below would write.
            grant = None if grant_key is None else db.memo[grant_key]
            grant = grant if grant is not None and grant[0] == fund else None
            paid = db.memo[relief_key]
            paid = paid if paid is not None and paid[0] == fund else None
            foundation = self._foundation(db, fund)
            if foundation is not None:
                db.defer_insert(
                    MOVEMENT_INSERT,
                    (
                        position,
                        leaf(position),
                        fund,
                        foundation,
                        e.paid_on.isoformat(),
                        "grant_payment" if grant else "relief_payment" if paid else "payment",
                        -e.amount_fen,
                        str(e.payment_id),
                        "organization" if grant else "relief" if paid else None,
                        grant[1] if grant else None,
                        paid[1] if paid else None,
                    ),
                )
            return
        db.execute(
            "INSERT INTO disclosure_fund_movements"
            " SELECT ?, ?, f.fund_id, f.foundation_id, ?,"
            " CASE WHEN g.grant_id IS NOT NULL THEN 'grant_payment'"
            " WHEN r.disbursement_id IS NOT NULL THEN 'relief_payment' ELSE 'payment' END,"
            " ?, ?,"
            " CASE WHEN g.grant_id IS NOT NULL THEN 'organization'"
            " WHEN r.disbursement_id IS NOT NULL THEN 'relief' END,"
            " g.recipient_id, r.subdistrict"
            " FROM disclosure_funds f"
            " LEFT JOIN disclosure_grants g ON g.grant_id = ? AND g.fund_id = f.fund_id"
            " LEFT JOIN disclosure_relief r ON r.disbursement_id = ? AND r.fund_id = f.fund_id"
            " WHERE f.fund_id = ?",
            (
                position,
                leaf(position),
                e.paid_on.isoformat(),
                -e.amount_fen,
                str(e.payment_id),
                _d(e.reservation_id),
                str(e.payment_id),
                str(e.originator_id),
            ),
        )

    @handles(F + "PaymentReversed")
    def _payment_reversed(self, db: ViewDB, position: int, e: Fund.PaymentReversed) -> None:
        # Whether it returns to the available balance or to the reservation it was paid against,
        # the money is back in the fund.
        self._fund(
            db, position, e.originator_id, reversed_out_fen=e.amount_fen, balance_fen=e.amount_fen
        )
        self._reversal(
            db,
            position,
            e.originator_id,
            e.payment_id,
            ("grant_payment", "relief_payment", "payment"),
            e.reversed_on,
            e.amount_fen,
        )

    @handles(F + "Closed")
    def _fund_closed(self, db: ViewDB, position: int, e: Fund.Closed) -> None:
        db.execute(
            "UPDATE disclosure_funds SET closed_on = ?, last_leaf_index = ? WHERE fund_id = ?",
            (e.closed_on.isoformat(), leaf(position), str(e.originator_id)),
        )

    # --- grants ----------------------------------------------------------------------------------

    @handles(G + "Awarded")
    def _awarded(self, db: ViewDB, position: int, e: Grant.Awarded) -> None:
        foundation = self._foundation(db, e.fund_id)
        db.memo[("grant", str(e.originator_id))] = (str(e.fund_id), str(e.recipient_id))
        db.defer_insert(
            "INSERT INTO disclosure_grants VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'active', NULL, ?, ?,"
            " NULL, NULL, NULL, NULL, NULL, NULL)",
            (
                str(e.originator_id),
                str(e.fund_id),
                foundation,
                str(e.recipient_id),
                e.programme,
                e.title,
                e.amount_fen,
                e.awarded_on.isoformat(),
                e.planned_start.isoformat(),
                e.planned_end.isoformat(),
                leaf(position),
                leaf(position),
            ),
            key=("grant_id", str(e.originator_id)),
        )
        self._fund(db, position, e.fund_id, granted_fen=e.amount_fen)

    def _grant(
        self, db: ViewDB, position: int, grant_id: Any, sets: str, params: tuple[Any, ...]
    ) -> None:
        db.execute(
            f"UPDATE disclosure_grants SET {sets}, last_leaf_index = ? WHERE grant_id = ?",
            (*params, leaf(position), str(grant_id)),
        )

    def _grant_fund(self, db: ViewDB, grant_id: Any) -> str:
        return str(
            db.execute(
                "SELECT fund_id FROM disclosure_grants WHERE grant_id = ?", (str(grant_id),)
            )[0][0]
        )

    @handles(G + "InstalmentPaid")
    def _instalment(self, db: ViewDB, position: int, e: Grant.InstalmentPaid) -> None:
        db.defer_update(
            "disclosure_grants",
            "grant_id",
            str(e.originator_id),
            add={"paid_fen": e.amount_fen},
            assign={"last_leaf_index": leaf(position)},
        )

    @handles(G + "InstalmentReversed")
    def _instalment_reversed(self, db: ViewDB, position: int, e: Grant.InstalmentReversed) -> None:
        self._grant(db, position, e.originator_id, "paid_fen = paid_fen - ?", (e.amount_fen,))
        self._correction(
            db,
            position,
            e,
            "instalment_reversed",
            e.payment_id,
            e.reason,
            e.reversed_on,
            e.amount_fen,
        )

    @handles(G + "AmountAmended")
    def _amended(self, db: ViewDB, position: int, e: Grant.AmountAmended) -> None:
        self._grant(db, position, e.originator_id, "awarded_fen = ?", (e.new_amount_fen,))
        self._fund(db, position, self._grant_fund(db, e.originator_id), granted_fen=e.delta_fen)
        self._correction(
            db, position, e, "grant_amended", e.originator_id, e.reason, e.amended_on, e.delta_fen
        )

    @handles(G + "FeedbackRecorded")
    def _feedback(self, db: ViewDB, position: int, e: Grant.FeedbackRecorded) -> None:
        self._grant(
            db,
            position,
            e.originator_id,
            "rating = ?, feedback = ?, feedback_on = ?",
            (e.rating, e.summary, e.recorded_on.isoformat()),
        )

    @handles(G + "ReportReceived")
    def _report(self, db: ViewDB, position: int, e: Grant.ReportReceived) -> None:
        self._grant(
            db,
            position,
            e.originator_id,
            "report = ?, report_on = ?",
            (e.summary, e.received_on.isoformat()),
        )

    @handles(G + "Closed")
    def _grant_closed(self, db: ViewDB, position: int, e: Grant.Closed) -> None:
        self._grant(
            db,
            position,
            e.originator_id,
            "status = 'closed', outcome = ?, ended_on = ?",
            (e.outcome, e.closed_on.isoformat()),
        )

    @handles(G + "Cancelled")
    def _grant_cancelled(self, db: ViewDB, position: int, e: Grant.Cancelled) -> None:
        self._grant(
            db,
            position,
            e.originator_id,
            "status = 'cancelled', ended_on = ?",
            (e.cancelled_on.isoformat(),),
        )
        self._correction(
            db,
            position,
            e,
            "grant_cancelled",
            e.originator_id,
            e.reason,
            e.cancelled_on,
            e.released_fen,
        )

    # --- relief ----------------------------------------------------------------------------------

    @handles(R + "Opened")
    def _case_opened(self, db: ViewDB, position: int, e: ReliefCase.Opened) -> None:
        foundation = self._foundation(db, e.fund_id)
        # What a disbursement copies from its case: fixed when the case opens.
        db.memo[("case", str(e.originator_id))] = (
            str(e.fund_id),
            foundation,
            e.subdistrict,
            e.reason_category,
            e.purpose_code,
            int(e.emergency),
        )
        db.defer_insert(
            "INSERT INTO disclosure_relief_cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, NULL, 0)",
            (
                str(e.originator_id),
                str(e.fund_id),
                foundation,
                e.subdistrict,
                e.reason_category,
                e.purpose_code,
                int(e.emergency),
                e.opened_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
            key=("case_id", str(e.originator_id)),
        )

    @handles(R + "Approved")
    def _case_approved(self, db: ViewDB, position: int, e: ReliefCase.Approved) -> None:
        db.execute(
            "UPDATE disclosure_relief_cases SET status = 'approved', last_leaf_index = ? WHERE case_id = ?",
            (leaf(position), str(e.originator_id)),
        )

    @handles(R + "Rejected")
    def _case_rejected(self, db: ViewDB, position: int, e: ReliefCase.Rejected) -> None:
        db.execute(
            "UPDATE disclosure_relief_cases SET status = 'rejected', last_leaf_index = ? WHERE case_id = ?",
            (leaf(position), str(e.originator_id)),
        )

    @handles(R + "Ratified")
    def _case_ratified(self, db: ViewDB, position: int, e: ReliefCase.Ratified) -> None:
        db.execute(
            "UPDATE disclosure_relief_cases SET ratified = 1, awaiting_ratification = 0,"
            " last_leaf_index = ? WHERE case_id = ?",
            (leaf(position), str(e.originator_id)),
        )
        # A ratification covers what awaited it; a payment reversed before it stays unratified.
        db.execute(
            "UPDATE disclosure_relief SET awaiting_ratification = 0, ratified = 1"
            " WHERE case_id = ? AND awaiting_ratification = 1",
            (str(e.originator_id),),
        )

    @handles(R + "Disbursed")
    def _disbursed(self, db: ViewDB, position: int, e: ReliefCase.Disbursed) -> None:
        case = db.memo.get(("case", str(e.originator_id)))
        if case is None:
            case = db.execute(
                "SELECT fund_id, foundation_id, subdistrict, reason_category, purpose_code, emergency"
                " FROM disclosure_relief_cases WHERE case_id = ?",
                (str(e.originator_id),),
            )[0]
        db.memo[("relief", str(e.disbursement_id))] = (str(case[0]), case[2])
        db.defer_insert(
            "INSERT INTO disclosure_relief VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0)",
            (
                str(e.disbursement_id),
                str(e.originator_id),
                *case[:5],
                e.amount_fen,
                e.paid_on.isoformat(),
                case[5],
                int(e.before_approval),
                leaf(position),
                int(e.before_approval),
                _d(e.ratify_by),
            ),
        )
        if e.before_approval:
            db.defer_update(
                "disclosure_relief_cases",
                "case_id",
                str(e.originator_id),
                add={"awaiting_ratification": 1},
                assign={"ratify_by": _d(e.ratify_by), "last_leaf_index": leaf(position)},
            )
        self._monthly(db, case[1], e.paid_on.isoformat()[:7], case[2], case[3], e.amount_fen, 1)

    @handles(R + "DisbursementReversed")
    def _disbursement_reversed(
        self, db: ViewDB, position: int, e: ReliefCase.DisbursementReversed
    ) -> None:
        row = db.execute(
            "SELECT foundation_id, paid_on, subdistrict, reason_category, awaiting_ratification"
            " FROM disclosure_relief WHERE disbursement_id = ?",
            (str(e.disbursement_id),),
        )[0]
        db.execute(
            "UPDATE disclosure_relief SET reversed = 1, awaiting_ratification = 0"
            " WHERE disbursement_id = ?",
            (str(e.disbursement_id),),
        )
        if row[4]:
            db.execute(
                "UPDATE disclosure_relief_cases SET"
                " awaiting_ratification = awaiting_ratification - 1, last_leaf_index = ?"
                " WHERE case_id = ?",
                (leaf(position), str(e.originator_id)),
            )
        self._monthly(db, row[0], row[1][:7], row[2], row[3], -e.amount_fen, -1)
        self._correction(
            db,
            position,
            e,
            "disbursement_reversed",
            e.disbursement_id,
            e.reason,
            e.reversed_on,
            e.amount_fen,
        )

    def _monthly(
        self,
        db: ViewDB,
        foundation: str,
        month: str,
        subdistrict: str,
        reason: str,
        fen: int,
        count: int,
    ) -> None:
        sums = db.memo["monthly"].setdefault((foundation, month, subdistrict, reason), [0, 0])
        sums[0] += fen
        sums[1] += count

    # --- pairings, mentoring, designations -------------------------------------------------------

    @handles(P + "Proposed")
    def _proposed(self, db: ViewDB, position: int, e: Pairing.Proposed) -> None:
        db.execute(
            "INSERT INTO disclosure_pairings VALUES (?, ?, ?, ?, ?, ?, 'proposed', 0, ?, NULL, NULL, NULL, ?, ?)",
            (
                str(e.originator_id),
                e.kind,
                e.mode,
                str(e.lead_id),
                str(e.partner_id),
                json.dumps(e.goals, ensure_ascii=False),
                e.proposed_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(P + "Confirmed")
    def _confirmed(self, db: ViewDB, position: int, e: Pairing.Confirmed) -> None:
        db.execute(
            "UPDATE disclosure_pairings SET confirmations = confirmations + 1,"
            " status = CASE WHEN confirmations + 1 = 2 THEN 'active' ELSE status END,"
            " last_leaf_index = ? WHERE pairing_id = ?",
            (leaf(position), str(e.originator_id)),
        )

    @handles(P + "ActivityRecorded")
    def _activity(self, db: ViewDB, position: int, e: Pairing.ActivityRecorded) -> None:
        db.execute(
            "INSERT INTO disclosure_pairing_activities VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(e.activity_id),
                str(e.originator_id),
                e.kind,
                e.held_on.isoformat(),
                e.summary,
                _d(e.transfer_id),
                leaf(position),
            ),
        )

    @handles(P + "Evaluated")
    def _pairing_evaluated(self, db: ViewDB, position: int, e: Pairing.Evaluated) -> None:
        evaluation = {
            "results": e.results,
            "grade_before": e.grade_before,
            "grade_after": e.grade_after,
            "evaluated_on": e.evaluated_on.isoformat(),
        }
        db.execute(
            "UPDATE disclosure_pairings SET evaluation = ?, last_leaf_index = ? WHERE pairing_id = ?",
            (json.dumps(evaluation, ensure_ascii=False), leaf(position), str(e.originator_id)),
        )

    @handles(P + "Concluded", P + "Terminated")
    def _pairing_ended(
        self, db: ViewDB, position: int, e: Pairing.Concluded | Pairing.Terminated
    ) -> None:
        if isinstance(e, Pairing.Concluded):
            status, ended_on, text = "concluded", e.concluded_on, e.summary
        else:
            status, ended_on, text = "terminated", e.terminated_on, e.reason
        db.execute(
            "UPDATE disclosure_pairings SET status = ?, ended_on = ?, end_text = ?, last_leaf_index = ? WHERE pairing_id = ?",
            (status, ended_on.isoformat(), text, leaf(position), str(e.originator_id)),
        )
        if isinstance(e, Pairing.Terminated):
            self._correction(
                db, position, e, "pairing_terminated", e.originator_id, e.reason, e.terminated_on
            )

    @handles(M + "Started")
    def _link_started(self, db: ViewDB, position: int, e: MentorLink.Started) -> None:
        person = e.mentor_kind == "person"
        db.execute(
            "INSERT INTO disclosure_mentor_links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)",
            (
                str(e.originator_id),
                e.mentor_kind,
                None if person else str(e.mentor_ref),
                str(e.mentor_ref) if person else None,
                e.role_label,
                int(e.publish_name),
                str(e.mentee_id),
                e.focus,
                e.started_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(M + "SessionHeld")
    def _session(self, db: ViewDB, position: int, e: MentorLink.SessionHeld) -> None:
        db.execute(
            "UPDATE disclosure_mentor_links SET minutes = minutes + ?, last_leaf_index = ? WHERE link_id = ?",
            (e.minutes, leaf(position), str(e.originator_id)),
        )

    @handles(M + "NameConsentWithdrawn")
    def _mentor_consent_withdrawn(
        self, db: ViewDB, position: int, e: MentorLink.NameConsentWithdrawn
    ) -> None:
        db.execute(
            "UPDATE disclosure_mentor_links SET publish_name = 0, last_leaf_index = ? WHERE link_id = ?",
            (leaf(position), str(e.originator_id)),
        )

    @handles(M + "Ended")
    def _link_ended(self, db: ViewDB, position: int, e: MentorLink.Ended) -> None:
        db.execute(
            "UPDATE disclosure_mentor_links SET ended_on = ?, last_leaf_index = ? WHERE link_id = ?",
            (e.ended_on.isoformat(), leaf(position), str(e.originator_id)),
        )

    @handles(D + "Nominated")
    def _nominated(self, db: ViewDB, position: int, e: Designation.Nominated) -> None:
        db.execute(
            "INSERT INTO disclosure_designations VALUES (?, ?, ?, ?, ?, 'nominated', ?, NULL, ?, ?)",
            (
                str(e.originator_id),
                e.kind,
                e.year,
                e.nominee_kind,
                None if e.nominee_kind == "person" else str(e.nominee_ref),
                e.nominated_on.isoformat(),
                leaf(position),
                leaf(position),
            ),
        )

    @handles(D + "Selected")
    def _selected(self, db: ViewDB, position: int, e: Designation.Selected) -> None:
        db.execute(
            "UPDATE disclosure_designations SET status = 'selected', decided_on = ?, last_leaf_index = ? WHERE designation_id = ?",
            (e.selected_on.isoformat(), leaf(position), str(e.originator_id)),
        )

    @handles(D + "Revoked")
    def _revoked(self, db: ViewDB, position: int, e: Designation.Revoked) -> None:
        db.execute(
            "UPDATE disclosure_designations SET status = 'revoked', decided_on = ?, last_leaf_index = ? WHERE designation_id = ?",
            (e.revoked_on.isoformat(), leaf(position), str(e.originator_id)),
        )
        self._correction(
            db, position, e, "designation_revoked", e.originator_id, e.reason, e.revoked_on
        )

    # --- corrections (更正说明) ----------------------------------------------------------------------

    def _correction(
        self,
        db: ViewDB,
        position: int,
        e: Any,
        kind: str,
        corrects: Any,
        reason: str,
        on: Any,
        amount_fen: int | None = None,
    ) -> None:
        db.execute(
            "INSERT INTO disclosure_corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                position,
                str(e.originator_id),
                kind,
                str(corrects),
                reason,
                on.isoformat(),
                amount_fen,
                leaf(position),
                self._owner(db, e.originator_id),
            ),
        )

    def _owner(self, db: ViewDB, aggregate_id: Any) -> str | None:
        """The organisation a correction belongs to on the public page: the foundation of a fund,
        grant or relief case, the lead of a pairing, the nominee of a designation, or the
        organisation itself."""
        key = str(aggregate_id)
        rows = db.execute(
            "SELECT COALESCE("
            "(SELECT foundation_id FROM disclosure_funds WHERE fund_id = ?),"
            " (SELECT foundation_id FROM disclosure_grants WHERE grant_id = ?),"
            " (SELECT foundation_id FROM disclosure_relief_cases WHERE case_id = ?),"
            " (SELECT lead_id FROM disclosure_pairings WHERE pairing_id = ?),"
            " (SELECT nominee_org_id FROM disclosure_designations WHERE designation_id = ?),"
            " (SELECT organization_id FROM disclosure_organizations WHERE organization_id = ?))",
            (key,) * 6,
        )
        return None if not rows or rows[0][0] is None else str(rows[0][0])
