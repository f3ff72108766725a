from __future__ import annotations

from fastapi.testclient import TestClient

from archive.cli.serve import prepare
from archive.settings import Settings


def test_healthz_answers_without_dependencies(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text.startswith("OK")


def test_readyz_reports_each_component(client: TestClient, settings: Settings) -> None:
    prepare(settings)
    response = client.get("/readyz")
    lines = response.text.strip().splitlines()
    assert response.status_code == 200, response.text
    assert [line.split(":")[0] for line in lines] == [
        "OK catalog",
        "OK storage primary",
        "OK storage replica",
        "OK broker",
    ]


def test_readyz_fails_when_a_location_is_missing(client: TestClient, settings: Settings) -> None:
    prepare(settings)
    replica = settings.locations[1].path
    assert replica is not None
    replica.rmdir()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "FAIL storage replica" in response.text


def test_metrics_count_requests(client: TestClient) -> None:
    client.get("/healthz")
    body = client.get("/metrics").text
    assert 'luutru_http_requests_total{method="GET",route="/healthz",status="200"}' in body


def test_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "qlvb-42"})
    assert response.headers["x-request-id"] == "qlvb-42"
