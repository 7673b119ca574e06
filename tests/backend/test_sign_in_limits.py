"""Sign-in rate limits per client address and per account (issue 9, item 4): 429 with
Retry-After before any password is checked, lifted when the injected clock moves on."""

from __future__ import annotations

from datetime import timedelta

from tests.support.backend_app import STAFF_PASSWORD, Backend


def _staff(backend: Backend, staff_id: str, password: str) -> tuple[int, str | None, str]:
    response = backend.client.post(
        "/v1/staff/sign-in",
        json={"staff_id": staff_id, "password": password},
        headers={"X-Device-Token": backend.device_token()},
    )
    return (
        response.status_code,
        response.headers.get("retry-after"),
        response.json()["code"] if (response.status_code != 200) else "",
    )


def _citizen(backend: Backend, user_id: str, password: str) -> int:
    response = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": user_id, "password": password}
    )
    return response.status_code


def test_one_account_is_limited_per_minute_then_free_again(backend: Backend) -> None:
    per_account = backend.ctx.settings.sign_ins_per_account_per_minute
    backend.desk(staff_id="s700")  # the account exists and is signed in once
    start = backend.clock.now()
    answers = [_staff(backend, "s700", "wrong-guess") for _ in range(per_account - 1)]
    assert {status for status, _, _ in answers} == {401}
    status, retry_after, code = _staff(backend, "s700", STAFF_PASSWORD)
    assert (status, code) == (429, "too_many_attempts")
    assert retry_after is not None and 1 <= int(retry_after) <= 60
    # The same address may still try another account: the account is what is limited here.
    assert _staff(backend, "s701", "wrong-guess")[0] == 401
    backend.at(start + timedelta(seconds=int(retry_after)))
    # The lockout (5 failures) still holds for s700, but the limiter lets the attempt through.
    assert _staff(backend, "s700", "wrong-guess")[0] == 401


def test_one_address_is_limited_across_accounts(backend: Backend) -> None:
    per_client = backend.ctx.settings.sign_ins_per_client_per_minute
    start = backend.clock.now()
    user_ids = [f"1000{n:05d}" for n in range(per_client)]
    assert {_citizen(backend, user_id, "guess") for user_id in user_ids} == {401}
    over = backend.client.post(
        "/v1/citizen/sign-in", json={"user_id": "100099999", "password": "guess"}
    )
    assert over.status_code == 429 and over.json()["code"] == "too_many_attempts"
    assert int(over.headers["retry-after"]) >= 1
    backend.at(start + timedelta(minutes=1))
    assert _citizen(backend, "100099999", "guess") == 401
