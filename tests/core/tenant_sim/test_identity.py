"""The simulated identity provider speaks Entra ID's protocol: checked here with plain HTTPS calls
(the MSAL-level tests are in tests/core/graph/test_auth.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scanner_app.core.tenant_sim.identity import DEMO_CLIENT_ID
from tests.core.graph.conftest_auth import ADA, BOB, SignInRig, _FormParser, make_rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SignInRig]:
    yield from make_rig(tmp_path)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(jwt: str) -> dict[str, Any]:
    part = jwt.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def _get(rig: SignInRig, path: str, **params: str) -> requests.Response:
    return requests.get(
        f"{rig.idp.base_url}{path}", params=params, verify=rig.idp.ca_bundle_path, timeout=10
    )


def _post(rig: SignInRig, path: str, **form: str) -> requests.Response:
    return requests.post(
        f"{rig.idp.base_url}{path}", data=form, verify=rig.idp.ca_bundle_path, timeout=10
    )


def _authorize(rig: SignInRig, verifier: str, **extra: str) -> dict[str, str]:
    challenge = _b64(hashlib.sha256(verifier.encode()).digest())
    page = _get(
        rig,
        f"/{rig.idp.tenant}/oauth2/v2.0/authorize",
        client_id=DEMO_CLIENT_ID,
        response_type="code",
        redirect_uri="http://localhost:8400",
        scope="https://graph.microsoft.com/User.ReadBasic.All openid profile offline_access",
        state="s-1",
        nonce="n-1",
        code_challenge=challenge,
        code_challenge_method="S256",
        response_mode="form_post",
        **extra,
    )
    form = _FormParser()
    form.feed(page.text)
    assert form.action == "http://localhost:8400"
    return form.fields


def _redeem(rig: SignInRig, code: str, verifier: str) -> requests.Response:
    return _post(
        rig,
        f"/{rig.idp.tenant}/oauth2/v2.0/token",
        grant_type="authorization_code",
        client_id=DEMO_CLIENT_ID,
        code=code,
        redirect_uri="http://localhost:8400",
        code_verifier=verifier,
    )


def test_discovery_document_names_the_tenant_endpoints(rig: SignInRig) -> None:
    for tenant in (rig.idp.tenant, rig.idp.tenant_id, "organizations"):
        doc = _get(rig, f"/{tenant}/v2.0/.well-known/openid-configuration").json()
        root = f"{rig.idp.base_url}/{rig.idp.tenant_id}"
        assert doc["issuer"] == f"{root}/v2.0"
        assert doc["token_endpoint"] == f"{root}/oauth2/v2.0/token"
        assert doc["device_authorization_endpoint"] == f"{root}/oauth2/v2.0/devicecode"


def test_an_unknown_tenant_is_refused_like_entra_does(rig: SignInRig) -> None:
    resp = _get(rig, "/fabrikam.example/v2.0/.well-known/openid-configuration")
    body = resp.json()
    assert resp.status_code == 400
    assert body["error"] == "invalid_tenant" and body["error_codes"] == [90002]
    assert body["error_description"].startswith("AADSTS90002: Tenant 'fabrikam.example'")


def test_authorization_code_needs_the_pkce_verifier_and_works_once(rig: SignInRig) -> None:
    verifier = secrets.token_urlsafe(48)
    fields = _authorize(rig, verifier)
    assert fields["state"] == "s-1"
    info = json.loads(base64.urlsafe_b64decode(fields["client_info"] + "=="))
    assert info == {"uid": ADA.id, "utid": rig.idp.tenant_id}

    wrong = _redeem(rig, fields["code"], "not-the-verifier")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    fields = _authorize(rig, verifier)
    ok = _redeem(rig, fields["code"], verifier).json()
    again = _redeem(rig, fields["code"], verifier).json()

    assert rig.idp.tokens.validate(ok["access_token"])["upn"] == ADA.user_principal_name  # type: ignore[attr-defined,index]
    assert ok["scope"] == "https://graph.microsoft.com/User.ReadBasic.All"
    assert ok["refresh_token"] and ok["expires_in"] == 3600
    claims = _claims(ok["id_token"])
    assert claims["nonce"] == "n-1" and claims["aud"] == DEMO_CLIENT_ID
    assert (
        claims["tid"] == rig.idp.tenant_id
        and claims["preferred_username"] == ADA.user_principal_name
    )
    assert again["error_codes"] == [54005]  # a code is redeemed once


def test_id_token_signature_verifies_with_the_published_keys(rig: SignInRig) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    verifier = secrets.token_urlsafe(48)
    token = _redeem(rig, _authorize(rig, verifier)["code"], verifier).json()["id_token"]
    key = _get(rig, f"/{rig.idp.tenant_id}/discovery/v2.0/keys").json()["keys"][0]

    def num(v: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(v + "=" * (-len(v) % 4)), "big")

    public = rsa.RSAPublicNumbers(num(key["e"]), num(key["n"])).public_key()
    head, body, sig = token.split(".")
    public.verify(
        base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)),
        f"{head}.{body}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_a_redirect_uri_off_loopback_gets_an_error_page_not_a_redirect(rig: SignInRig) -> None:
    resp = _get(
        rig,
        f"/{rig.idp.tenant}/oauth2/v2.0/authorize",
        client_id=DEMO_CLIENT_ID,
        response_type="code",
        redirect_uri="https://evil.example/callback",
        code_challenge="x",
        code_challenge_method="S256",
    )
    assert resp.status_code == 400 and "AADSTS50011" in resp.text
    assert "evil.example/callback?" not in resp.text


def test_without_auto_approve_the_user_picks_an_account(rig: SignInRig) -> None:
    rig.idp.auto_approve = False
    page = _get(rig, f"/{rig.idp.tenant}/oauth2/v2.0/authorize", client_id=DEMO_CLIENT_ID)
    assert ADA.user_principal_name in page.text and BOB.user_principal_name in page.text


def test_device_code_waits_for_approval(rig: SignInRig) -> None:
    rig.idp.auto_approve = False
    flow = _post(
        rig, f"/{rig.idp.tenant}/oauth2/v2.0/devicecode", client_id=DEMO_CLIENT_ID, scope="openid"
    ).json()
    poll = {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "client_id": DEMO_CLIENT_ID,
        "device_code": flow["device_code"],
    }
    token_path = f"/{rig.idp.tenant}/oauth2/v2.0/token"
    assert _post(rig, token_path, **poll).json()["error"] == "authorization_pending"
    page = _get(rig, "/devicelogin", user_code=flow["user_code"], upn=BOB.user_principal_name)
    assert "You have signed in" in page.text
    done = _post(rig, token_path, **poll).json()
    assert _claims(done["id_token"])["preferred_username"] == BOB.user_principal_name


def test_refresh_tokens_expire_and_can_be_revoked(rig: SignInRig) -> None:
    verifier = secrets.token_urlsafe(48)
    first = _redeem(rig, _authorize(rig, verifier)["code"], verifier).json()
    refresh = {"grant_type": "refresh_token", "client_id": DEMO_CLIENT_ID}
    token_path = f"/{rig.idp.tenant}/oauth2/v2.0/token"

    rig.clock.advance(3601)
    assert rig.idp.tokens.validate(first["access_token"]) is None  # type: ignore[attr-defined]
    second = _post(rig, token_path, refresh_token=first["refresh_token"], **refresh).json()
    assert rig.idp.tokens.validate(second["access_token"]) is not None  # type: ignore[attr-defined]

    rig.clock.advance(rig.idp.refresh_token_lifetime + 1)
    expired = _post(rig, token_path, refresh_token=second["refresh_token"], **refresh).json()
    assert expired["error"] == "invalid_grant" and expired["error_codes"] == [700082]

    rig.idp.revoke_refresh_tokens()
    revoked = _post(rig, token_path, refresh_token=first["refresh_token"], **refresh).json()
    assert revoked["error_codes"] == [50173]
