"""Every free text of every command goes through the one text check: for each command route of the
OpenAPI, each text its example body carries (the free texts are the ones whose examples are not plain
ASCII codes, amounts or dates) is sent with a NUL in it, against real records, and must come back as
422 `invalid_text` naming that field, with nothing written."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

from tests.api.conftest import Api, refused
from tests.api.test_error_fields import COMMANDS, ROLE_BY_PREFIX, example_body, filled, story

CHOICES = {"type", "tier", "grade", "result", "kind", "mode", "role", "district"}
PERSON = {
    "name": "测试人员丁（虚构）",
    "address": "浦东新区某路1号",
    "neighbourhood_committee": "某居委会",
}


def texts(body: Any, prefix: str = "") -> Iterator[str]:
    """Dotted paths of the free texts in a body (lists by their first item)."""
    if isinstance(body, dict):
        for name, value in body.items():
            yield from texts(value, f"{prefix}{name}.")
    elif isinstance(body, list) and body:
        yield from texts(body[0], prefix)
    elif isinstance(body, str) and not body.isascii():
        name = prefix.rstrip(".")
        # "示例" is the placeholder of a field without an example of its own: a text, unless the
        # field is one of the closed vocabularies.
        if body != "示例" or name.rsplit(".", 1)[-1] not in CHOICES:
            yield name


def addressed(body: dict[str, Any], path: str, real: dict[str, str]) -> dict[str, Any]:
    """The example body naming the story's records, so that it passes every check but the text's."""
    ids = {
        "foundation_id": real["organization_id"],
        "fund_id": real["relief_fund"] if path.startswith("/relief-cases") else real["fund"],
        "recipient_id": real["centre"],
        "mentee_id": real["organization_id"],
        "lead_id": real["other"],
        "partner_id": real["organization_id"],
        "type": "charity",
        "tier": "registered",
    }
    # A foundation twinning has no mode; the example offers one for the other kind.
    found = {k: ids.get(k, v) for k, v in body.items() if k != "mode"}
    if path == "/mentor-links":
        found["mentor_subject_id"] = real["subject_id"]  # the foundation's own subject
    if path == "/designations":  # the admin nominates a person it enters itself
        found.pop("nominee_subject_id", None)
        found["nominee"] = dict(PERSON)
    # A person given in the body: their texts go to the vault through the same check.
    if path == "/relief-cases":
        found["beneficiary"] = dict(PERSON)
    if path == "/funds/{fund_id}/donations":
        found["donor"] = {"kind": "person", "person": dict(PERSON)}
    return found


def with_nul(body: Any, path: str) -> Any:
    changed = copy.deepcopy(body)
    *parents, last = path.split(".")
    part = changed
    for name in parents:
        part = part[name]
        if isinstance(part, list):
            part = part[0]
    if isinstance(part[last], list):  # a list of texts (a pairing's goals): its first
        part[last][0] += "\x00"
    else:
        part[last] += "\x00"
    return changed


def test_every_free_text_of_every_command_refuses_a_nul_naming_the_field(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    real = story(api)
    checked, wrong = [], []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            example = example_body(spec, operation) if method in COMMANDS else None
            if example is None:
                continue
            body = addressed(example, path, real)
            role = next((r for p, r in ROLE_BY_PREFIX.items() if path.startswith(p)), "staff")
            for field in texts(body):
                head = api.ledger.head()
                answer = api.client.request(
                    method.upper(),
                    filled(path, real),
                    json=with_nul(body, field),
                    headers=api.headers[role],
                )
                error = answer.json().get("error", {})
                checked.append(f"{method.upper()} {path} {field}")
                if (answer.status_code, error.get("code"), error.get("field")) != (
                    422,
                    "invalid_text",
                    field,
                ) or api.ledger.head() != head:
                    wrong.append(f"{method.upper()} {path} {field}: {answer.status_code} {error}")
    assert len(checked) > 30, checked
    assert wrong == [], "\n".join(wrong)


def test_a_multiline_field_keeps_its_line_breaks_and_a_one_line_field_refuses_them(
    api: Api,
) -> None:
    real = story(api)
    body = {
        "grant_id": str(uuid4()),
        "fund_id": real["fund"],
        "recipient_id": real["centre"],
        "programme": "社区营造",
        "title": "楼组自治项目",
        "description": "第一段\n第二段\r\n第三段",
        "amount": "10.00",
        "currency": "CNY",
        "awarded_on": "2024-03-01",
        "planned_start": "2024-04-01",
        "planned_end": "2024-12-31",
    }
    answer = api.post("/grants", body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["description"] == "第一段\n第二段\r\n第三段"
    head = api.ledger.head()
    one_line = api.post("/grants", {**body, "grant_id": str(uuid4()), "title": "楼组\n自治"})
    refused(api, one_line, 422, "invalid_text", "title", head)


def test_a_text_is_answered_as_stored_in_nfc(api: Api) -> None:
    body = {
        "fund_id": str(uuid4()),
        "foundation_id": str(api.foundation),
        "kind": "general",
        "name": "Cafe\u0301 社区基金",
        "opened_on": "2024-01-02",
    }
    answer = api.post("/funds", body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == "Caf\u00e9 社区基金"
