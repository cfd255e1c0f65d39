"""Over HTTP, personal data typed into a public free text is a 422 `personal_data_in_public_text`
naming the field, saying where personal data belongs, never quoting the text, and writing nothing;
the same beneficiary's phone and ID number in the person fields are taken (they go to the vault)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, new_id, refused
from tests.api.test_grants_api import award_body, funded, recipient
from tests.api.test_relief_api import case_body, opened, relief_fund

ID_NUMBER, MOBILE = "11010519491231002X", "139 1234 5678"


def said_nothing_of_it(answer: Any) -> None:
    message = answer.json()["error"]["message"]
    assert "person fields" in message
    assert ID_NUMBER not in message
    assert "1234" not in message


def test_a_relief_rejection_reason_with_an_id_number_and_a_mobile_is_refused(api: Api) -> None:
    case_id, _ = opened(api)
    head = api.ledger.head()
    reason = f"申请人（身份证{ID_NUMBER}，电话{MOBILE}）不符合条件"
    answer = api.post(
        f"/relief-cases/{case_id}/reject", {"reason": reason, "rejected_on": "2024-03-02"}
    )
    refused(api, answer, 422, "personal_data_in_public_text", "reason", head)
    said_nothing_of_it(answer)


def test_a_grant_title_with_a_mobile_number_is_refused(api: Api) -> None:
    body = award_body(funded(api), recipient(api), title="楼组自治项目 联系人+86 13912345678")
    head = api.ledger.head()
    answer = api.post("/grants", body)
    refused(api, answer, 422, "personal_data_in_public_text", "title", head)
    said_nothing_of_it(answer)


def test_a_fund_name_with_an_email_address_is_refused(api: Api) -> None:
    body = {
        "fund_id": new_id(),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "王芳纪念基金 wangfang@example.com",
        "opened_on": "2024-01-02",
    }
    head = api.ledger.head()
    answer = api.post("/funds", body)
    refused(api, answer, 422, "personal_data_in_public_text", "name", head)
    assert "example.com" not in answer.json()["error"]["message"]


def test_a_beneficiarys_phone_and_id_number_in_the_person_fields_are_taken(api: Api) -> None:
    beneficiary = {"name": "测试受助人（虚构）", "id_card": ID_NUMBER, "phone": MOBILE}
    body = case_body(api, relief_fund(api), beneficiary=beneficiary)
    answer = api.post("/relief-cases", body)
    assert answer.status_code == 201, answer.text
