"""The API's documentation works without the internet: `/docs` loads only this server's own assets, and
`/openapi.json` describes every route with a summary and closes every command body to unknown fields."""

from __future__ import annotations

import re
from typing import Any

from api.schemas.common import Command
from tests.api.conftest import Api

URL_ATTRIBUTE = re.compile(r'(?:src|href)="([^"]+)"')
EXPECTED_TYPE = {".js": "javascript", ".css": "text/css", ".png": "image/png"}
OPERATIONS = {"get", "post", "put", "patch", "delete"}


def test_docs_is_html_that_names_no_other_host(api: Api) -> None:
    answer = api.client.get("/docs")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "SwaggerUIBundle" in answer.text
    assert "://" not in answer.text, "the page must load nothing from another host"
    assert '"validatorUrl": null' in answer.text


def test_every_asset_the_docs_page_references_is_served_here_with_its_type(api: Api) -> None:
    urls = URL_ATTRIBUTE.findall(api.client.get("/docs").text)
    assert len(urls) == 3  # script, stylesheet, icon
    for url in urls:
        assert url.startswith("/docs/assets/"), url
        asset = api.client.get(url)
        assert asset.status_code == 200, url
        assert EXPECTED_TYPE[url[url.rindex(".") :]] in asset.headers["content-type"], url
        assert len(asset.content) > 0


def test_the_swagger_ui_served_renders_openapi_3_1(api: Api) -> None:
    """Swagger UI 4 refuses the OpenAPI 3.1 documents FastAPI writes; the bundle must be version 5."""
    assert api.client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = api.client.get("/docs/assets/swagger-ui-bundle.js").text
    assert re.search(r'PACKAGE_VERSION:"5\.\d+\.\d+"', bundle)


def test_redoc_and_unknown_assets_are_not_there(api: Api) -> None:
    assert api.client.get("/redoc").status_code == 404
    assert api.client.get("/docs/assets/../../pyproject.toml").status_code == 404


def openapi(api: Api) -> dict[str, Any]:
    answer = api.client.get("/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in OPERATIONS
    ]


def test_openapi_is_a_well_formed_3_1_document(api: Api) -> None:
    document = openapi(api)
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"]
    assert document["info"]["version"]
    assert operations(document)
    for method, path, operation in operations(document):
        assert path.startswith("/"), path
        assert operation["responses"], f"{method} {path} documents no response"
        for parameter in re.findall(r"{(\w+)}", path):
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert parameter in names, f"{method} {path} does not declare {parameter}"
    assert "/metrics" in document["paths"]
    assert "/health" in document["paths"]
    assert "/docs" not in document["paths"]


def test_every_route_has_a_summary(api: Api) -> None:
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(openapi(api))
        if not operation.get("summary")
    ]
    assert missing == []


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def test_every_command_body_refuses_unknown_fields(api: Api) -> None:
    document = openapi(api)
    open_bodies = []
    for method, path, operation in operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            schema = resolve(document, media["schema"])
            if schema.get("additionalProperties") is not False:
                open_bodies.append(f"{method} {path}")
    assert open_bodies == []
    assert any(method == "POST" for method, _, _ in operations(document))


def test_every_command_body_has_a_whole_example_that_the_api_itself_accepts_as_well_formed(
    api: Api,
) -> None:
    document = api.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    models = {model.__name__: model for model in every_subclass(Command)}
    bodies = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        for operations in document["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    }
    assert len(bodies) > 30
    for name in bodies:
        examples = schemas[name].get("examples")
        assert examples, f"{name} has no example"
        models[name].model_validate(examples[0])  # raises if the example is not a valid body


def every_subclass(cls: type[Command]) -> list[type[Command]]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *every_subclass(direct))]
