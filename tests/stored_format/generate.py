"""Writes `ledger-v1.jsonl`, the stored-format fixture: run once, by the code of its day, and never again.

The fixture is a small log as the ledger stored it: the demo dataset's first few hundred events, then a
story that records every event topic the aggregates have (reversals, amendments, closures, rejections,
terminations, consent withdrawals), then enough donations to one fund for a snapshot. Each line is one
stored row: an event (`events`), a snapshot (`snapshots`) or a command-index row (`commands`), with
the stored bytes as UTF-8 text. `test_stored_format.py` loads it into every backend and replays it;
a change that cannot read it has changed the stored format.

Regenerating it would defeat its purpose; this script is kept to show how it was made:

    .venv/bin/python -m tests.stored_format.generate tests/stored_format/ledger-v1.jsonl
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path
from uuid import UUID, uuid5

from demo.generator import fill
from domain.ledger import Ledger
from domain.money import Money
from domain.privacy import PersonalData
from storage.database import Database

NAMESPACE = UUID("6d696e67-7a68-616e-672d-666978747572")
DAY = date(2024, 3, 1)


class Story:
    """Every remaining kind of event, with ids derived from names so the script reads top-down."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        assert ledger.vault is not None
        self.put = ledger.vault.put  # type: ignore[attr-defined]

    def id(self, name: str) -> UUID:
        return uuid5(NAMESPACE, name)

    def person(self, name: str, label: str) -> UUID:
        subject = self.id(f"person/{label}")
        self.put(subject, PersonalData.validated(name=name))
        return subject

    def org(self, label: str, **fields: object) -> UUID:
        organization_id = self.id(f"org/{label}")
        values: dict[str, object] = {
            "name": f"存储格式{label}",
            "uscc": None,
            "type": "charity",
            "tier": "registered",
            "roles": ["community_foundation"],
            "district": "pudong",
            "subdistrict": "陆家嘴街道",
            "rural": False,
            "registered_on": date(2019, 6, 1),
        }
        values.update(fields)
        self.ledger.register_organization(organization_id, **values)  # type: ignore[arg-type]
        return organization_id

    def run(self) -> None:
        ledger, i = self.ledger, self.id
        foundation = self.org("社区基金会")
        big = self.org("大型基金会", roles=["foundation"])
        centre = self.org("服务中心", roles=["service_center"], type="community_affairs")
        rural = self.org("乡村组织", roles=[], rural=True, district="chongming", subdistrict="堡镇")
        young = self.org("新服务中心", roles=["service_center"], type="community_affairs")
        team = self.org("活动团队", roles=[], tier="activity_team", type="culture_sports")
        ledger.record_evaluation(
            centre, evaluation_id=i("eval"), grade="4A", evaluated_on=DAY, evaluator="区民政局"
        )
        ledger.reclassify_organization(
            team,
            command_id=i("reclassify"),
            type="life_services",
            tier="activity_group",
            reason="服务内容调整",
            reclassified_on=DAY,
        )

        general = i("fund/general")
        ledger.open_fund(
            general, foundation_id=foundation, kind="general", name="社区发展基金", opened_on=DAY
        )
        relief = i("fund/relief")
        ledger.open_fund(
            relief,
            foundation_id=foundation,
            kind="emergency_relief",
            name="暖心基金",
            opened_on=DAY,
        )
        matching = i("fund/matching")
        ledger.open_fund(
            matching, foundation_id=big, kind="special", name="大小牵小手配捐", opened_on=DAY
        )
        short = i("fund/short")
        ledger.open_fund(
            short, foundation_id=foundation, kind="special", name="临时基金", opened_on=DAY
        )

        donor = self.person("林晓", "donor")
        named = i("donation/named")
        ledger.receive_donation(
            general,
            donation_id=named,
            amount=Money.yuan("800"),
            received_on=DAY,
            donor_kind="person",
            donor_subject_id=donor,
            publish_name=True,
        )
        ledger.receive_donation(
            general,
            donation_id=i("donation/company"),
            amount=Money.yuan("50000"),
            received_on=DAY,
            donor_kind="organization",
            donor_ref=str(big),
            publish_name=True,
        )
        for name, fund, yuan in (
            ("donation/relief", relief, "20000"),
            ("donation/matching", matching, "100000"),
            ("donation/mistaken", general, "300"),
        ):
            ledger.receive_donation(
                fund,
                donation_id=i(name),
                amount=Money.yuan(yuan),
                received_on=DAY,
                donor_kind="anonymous",
            )
        ledger.reverse_donation(
            general,
            reversal_id=i("reversal/donation"),
            donation_id=i("donation/mistaken"),
            reason="重复入账",
            reversed_on=DAY,
        )
        ledger.withdraw_name_consent(
            general, command_id=i("consent/donor"), donation_id=named, withdrawn_on=DAY
        )

        ledger.transfer(
            transfer_id=i("transfer/wrong"),
            from_fund_id=matching,
            to_fund_id=general,
            amount=Money.yuan("5000"),
            transferred_on=DAY,
            purpose="配捐",
        )
        ledger.reverse_transfer(
            matching,
            reversal_id=i("reversal/transfer"),
            transfer_id=i("transfer/wrong"),
            reason="转错基金",
            reversed_on=DAY,
        )
        ledger.reserve(
            general,
            reservation_id=i("reservation"),
            amount=Money.yuan("100"),
            reserved_on=DAY,
            purpose="活动预留",
        )
        ledger.release(
            general, release_id=i("release"), reservation_id=i("reservation"), released_on=DAY
        )
        ledger.pay(
            general, payment_id=i("payment"), amount=Money.yuan("50"), paid_on=DAY, purpose="场地费"
        )
        ledger.close_fund(short, command_id=i("close/short"), closed_on=DAY, reason="项目结束")

        grant = i("grant")
        ledger.award_grant(
            grant,
            fund_id=general,
            recipient_id=centre,
            programme="社区营造",
            title="楼组自治项目",
            description="支持居民楼组开展自治活动",
            amount=Money.yuan("6000"),
            awarded_on=DAY,
            planned_start=DAY,
            planned_end=date(2024, 12, 31),
        )
        ledger.pay_instalment(
            grant, payment_id=i("instalment/1"), amount=Money.yuan("1000"), paid_on=DAY
        )
        ledger.reverse_instalment(
            grant,
            reversal_id=i("reversal/instalment"),
            payment_id=i("instalment/1"),
            reason="金额录入错误",
            reversed_on=DAY,
        )
        ledger.pay_instalment(
            grant, payment_id=i("instalment/2"), amount=Money.yuan("2000"), paid_on=DAY
        )
        ledger.amend_grant(
            grant,
            command_id=i("amend"),
            new_amount=Money.yuan("5000"),
            reason="预算调整",
            amended_on=DAY,
        )
        ledger.receive_grant_report(
            grant, command_id=i("report"), summary="中期报告", received_on=DAY
        )
        ledger.record_grant_feedback(
            grant, command_id=i("feedback"), rating=4, summary="按计划推进", recorded_on=DAY
        )
        ledger.close_grant(grant, command_id=i("close/grant"), outcome="项目完成", closed_on=DAY)
        cancelled = i("grant/cancelled")
        ledger.award_grant(
            cancelled,
            fund_id=general,
            recipient_id=team,
            programme="文体活动",
            title="广场舞队",
            description="添置音响",
            amount=Money.yuan("800"),
            awarded_on=DAY,
            planned_start=DAY,
            planned_end=date(2024, 6, 30),
        )
        ledger.cancel_grant(
            cancelled, command_id=i("cancel/grant"), reason="团队解散", cancelled_on=DAY
        )

        beneficiary = self.person("吴某", "beneficiary")
        fast = i("case/fast")
        ledger.open_relief_case(
            fast,
            fund_id=relief,
            reason_code="GTIR100",
            purpose_code="GTIP170",
            subdistrict="陆家嘴街道",
            beneficiary_subject_id=beneficiary,
            requested_amount=Money.yuan("3000"),
            emergency=True,
            opened_on=DAY,
        )
        ledger.disburse_relief(
            fast, disbursement_id=i("disbursement/1"), amount=Money.yuan("600"), paid_on=DAY
        )
        ledger.disburse_relief(
            fast, disbursement_id=i("disbursement/2"), amount=Money.yuan("400"), paid_on=DAY
        )
        ledger.reverse_disbursement(
            fast,
            reversal_id=i("reversal/disbursement"),
            disbursement_id=i("disbursement/2"),
            reason="重复发放",
            reversed_on=DAY,
        )
        ledger.ratify_relief_case(
            fast,
            command_id=i("ratify"),
            approvers=[i("approver/1"), i("approver/2")],
            ratified_on=DAY,
        )
        planned = i("case/planned")
        ledger.open_relief_case(
            planned,
            fund_id=relief,
            reason_code="GTIR010",
            purpose_code="GTIP170",
            subdistrict="陆家嘴街道",
            beneficiary_subject_id=self.person("陈某", "second"),
            requested_amount=Money.yuan("2000"),
            emergency=False,
            opened_on=DAY,
        )
        ledger.approve_relief_case(
            planned,
            command_id=i("approve"),
            amount=Money.yuan("1500"),
            approvers=[i("approver/1"), i("approver/2")],
            approved_on=DAY,
        )
        ledger.disburse_relief(
            planned, disbursement_id=i("disbursement/3"), amount=Money.yuan("1500"), paid_on=DAY
        )
        rejected = i("case/rejected")
        ledger.open_relief_case(
            rejected,
            fund_id=relief,
            reason_code="GTIR070",
            purpose_code="GTIP170",
            subdistrict="陆家嘴街道",
            beneficiary_subject_id=self.person("张某", "third"),
            requested_amount=Money.yuan("1000"),
            emergency=False,
            opened_on=DAY,
        )
        ledger.reject_relief_case(
            rejected, command_id=i("reject"), reason="不符合救助条件", rejected_on=DAY
        )

        for label, kind, mode, lead, partner, end in (
            ("twinning", "foundation_twinning", None, big, foundation, "conclude"),
            (
                "partnership",
                "service_center_partnership",
                "strong_weak",
                centre,
                young,
                "terminate",
            ),
            ("rural", "urban_rural", None, foundation, rural, None),
        ):
            pairing = i(f"pairing/{label}")
            ledger.propose_pairing(
                pairing,
                kind=kind,
                mode=mode,
                lead_id=lead,
                partner_id=partner,
                goals=["建立互助机制", "培养骨干"],
                planned_start=DAY,
                planned_end=date(2025, 2, 28),
                proposed_on=DAY,
            )
            if end == "terminate":
                ledger.terminate_pairing(
                    pairing, command_id=i(f"{label}/end"), reason="双方同意终止", terminated_on=DAY
                )
                continue
            for party in (lead, partner):
                ledger.confirm_pairing(
                    pairing,
                    command_id=i(f"{label}/confirm/{party}"),
                    party_id=party,
                    confirmed_on=DAY,
                )
            transfer = None
            if label == "twinning":
                transfer = i("transfer/pairing")
                ledger.transfer(
                    transfer_id=transfer,
                    from_fund_id=matching,
                    to_fund_id=relief,
                    amount=Money.yuan("30000"),
                    transferred_on=DAY,
                    purpose="结对资金支持",
                    pairing_id=pairing,
                )
            ledger.record_pairing_activity(
                pairing,
                activity_id=i(f"{label}/activity"),
                kind="funding" if transfer else "training",
                held_on=DAY,
                summary="共同开展活动",
                transfer_id=transfer,
            )
            if end == "conclude":
                ledger.evaluate_pairing(
                    pairing,
                    command_id=i(f"{label}/evaluate"),
                    results=[(1, "met", "已建立"), (2, "partly", "培养两名骨干")],
                    evaluated_on=DAY,
                )
                ledger.conclude_pairing(
                    pairing,
                    command_id=i(f"{label}/conclude"),
                    summary="目标达成",
                    concluded_on=DAY,
                )

        link = i("link/person")
        ledger.start_mentor_link(
            link,
            mentor_kind="person",
            mentor_subject_id=self.person("周老师", "mentor"),
            role_label="资深社工",
            publish_name=True,
            mentee_id=team,
            focus="财务管理",
            started_on=DAY,
        )
        ledger.record_mentoring_session(
            link, session_id=i("session"), held_on=DAY, hours="1.5", topic="记账"
        )
        ledger.withdraw_mentor_name_consent(link, command_id=i("link/consent"), withdrawn_on=DAY)
        ledger.end_mentor_link(link, command_id=i("link/end"), outcome="带教期满", ended_on=DAY)

        leader = self.person("刘某", "leader")
        for label, kind, nominee in (
            ("leader", "leader", "person"),
            ("point", "observation_point", "foundation"),
        ):
            designation = i(f"designation/{label}")
            ledger.nominate(
                designation,
                kind=kind,
                year=2024,
                nominee_kind=nominee,
                nominee_org_id=foundation if nominee == "foundation" else None,
                nominee_subject_id=leader if nominee == "person" else None,
                nominating_body="区民政局",
                rationale="社区治理成效突出",
                nominated_on=DAY,
            )
            ledger.select_designation(
                designation,
                command_id=i(f"{label}/select"),
                selected_on=DAY,
                selecting_body="市民政局",
            )
        ledger.revoke_designation(
            i("designation/point"),
            command_id=i("point/revoke"),
            reason="不再符合条件",
            revoked_on=DAY,
        )
        ledger.deregister_organization(
            rural, command_id=i("deregister"), reason="合并", deregistered_on=DAY
        )

        # Enough events on one fund for the ledger to snapshot it (every 100 events).
        for n in range(105):
            ledger.receive_donation(
                relief,
                donation_id=i(f"donation/many/{n}"),
                amount=Money(100 + n),
                received_on=DAY,
                donor_kind="anonymous",
            )


def dump(sqlite_path: str, out: Path) -> int:
    """Every stored row of the SQLite ledger, oldest first, as JSON lines."""
    db = sqlite3.connect(sqlite_path)
    lines = []
    for originator_id, version, topic, state in db.execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
    ):
        lines.append(
            {
                "table": "events",
                "originator_id": str(UUID(originator_id)),
                "originator_version": version,
                "topic": topic,
                "state": bytes(state).decode(),
            }
        )
    for originator_id, version, topic, state in db.execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_snapshots"
        " ORDER BY originator_id, originator_version"
    ):
        lines.append(
            {
                "table": "snapshots",
                "originator_id": str(UUID(originator_id)),
                "originator_version": version,
                "topic": topic,
                "state": bytes(state).decode(),
            }
        )
    for command_id, aggregate_id, record in db.execute(
        "SELECT command_id, aggregate_id, record FROM ledger_commands ORDER BY rowid"
    ):
        lines.append(
            {
                "table": "commands",
                "command_id": str(UUID(command_id)),
                "aggregate_id": str(UUID(aggregate_id)),
                "record": bytes(record).decode(),
            }
        )
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return len(lines)


def main(out: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Database("sqlite", sqlite_path=f"{folder}/ledger.sqlite")
        database.prepare()
        vault = database.open_vault(bytes(32))
        ledger = Ledger(env=database.eventsourcing_env(), vault=vault)
        fill(ledger, events=300, seed=2021, progress=None)
        Story(ledger).run()
        head = ledger.head()
        ledger.close()
        vault.close()
        rows = dump(database.sqlite_path, Path(out))
    print(f"wrote {rows} rows ({head} events) to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
