"""Credentials and scopes: 401 for wrong or missing ones, 403 for the wrong role, and
problem+json every time. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, World, login


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["title_vi"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_password_login_gives_a_bearer_token(client: TestClient, world: World) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] > 0
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["name"] == "admin"
    assert me.json()["roles"] == ["admin"]


def test_wrong_password_is_401(client: TestClient, world: World) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "admin", "password": "sai"})
    body = assert_problem(response, 401)
    assert "wrong username or password" in body["detail"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_user_is_401(client: TestClient, world: World) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "ai", "password": PASSWORD})
    assert_problem(response, 401)


def test_missing_credentials_is_401(client: TestClient, world: World) -> None:
    assert_problem(client.get("/api/v1/auth/me"), 401)


def test_forged_token_is_401(client: TestClient, world: World) -> None:
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer abc"}), 401)


def test_logout_ends_the_token(client: TestClient, world: World) -> None:
    headers = login(client, "admin")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)


def test_api_key_authenticates_as_system(client: TestClient, world: World) -> None:
    headers = {"Authorization": f"Bearer {world.api_keys['hanoi']}"}
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["roles"] == ["system"]


def test_tampered_api_key_is_401(client: TestClient, world: World) -> None:
    key = world.api_keys["hanoi"]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert_problem(
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tampered}"}), 401
    )


def test_revoked_api_key_is_401(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    key_id = world.api_key_ids["hanoi"]
    revoked = client.delete(f"/api/v1/admin/api-keys/{key_id}", headers=admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    body = assert_problem(
        client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {world.api_keys['hanoi']}"}
        ),
        401,
    )
    assert "revoked" in body["detail"]


def test_non_admin_may_not_administer(client: TestClient, world: World) -> None:
    for username in ("archivist", "official", "auditor"):
        assert_problem(client.get("/api/v1/admin/agencies", headers=login(client, username)), 403)
    qlvb = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert_problem(client.get("/api/v1/admin/agencies", headers=qlvb), 403)


def test_admin_creates_api_key_shown_once(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    created = client.post(
        "/api/v1/admin/api-keys",
        json={"name": "QLVB mới", "agency_code": "000.00.00.H26"},
        headers=admin,
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("ltk_")
    listed = client.get("/api/v1/admin/api-keys", headers=admin).json()
    assert all("key" not in item for item in listed)
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    )


def test_bad_agency_code_is_a_problem(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    response = client.post(
        "/api/v1/admin/agencies", json={"code": "h41 nghệ an", "name": "x"}, headers=admin
    )
    assert_problem(response, 400)
    missing = client.post("/api/v1/admin/agencies", json={"name": "x"}, headers=admin)
    body = assert_problem(missing, 422)
    assert body["errors"][0]["loc"] == ["body", "code"]


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/khong-co"), 404)


def test_province_archivist_sees_its_departments(client: TestClient, world: World) -> None:
    headers = login(client, "archivist")
    codes = [a["code"] for a in client.get("/api/v1/agencies", headers=headers).json()]
    assert codes == ["000.00.00.H41", "000.00.01.H41"]
    assert client.get("/api/v1/agencies/000.00.01.H41", headers=headers).status_code == 200


def test_cross_agency_read_is_404(client: TestClient, world: World) -> None:
    hanoi_archivist = login(client, "archivist_hn")
    body = assert_problem(
        client.get("/api/v1/agencies/000.00.00.H41", headers=hanoi_archivist), 404
    )
    assert "not found" in body["detail"]
    department_key = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert_problem(client.get("/api/v1/agencies/000.00.00.H41", headers=department_key), 404)
    assert client.get("/api/v1/agencies/000.00.01.H41", headers=department_key).status_code == 200
