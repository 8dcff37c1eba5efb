"""Sign-in with the real MSAL package against the simulated identity provider over HTTPS."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.core.graph.auth import (
    READ_ONLY_SCOPES,
    Authenticator,
    SignInCancelled,
    SignInError,
    SignInRequired,
    graph_scopes,
)
from tests.core.graph.conftest_auth import ADA, BOB, GUEST, SignInRig, make_rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SignInRig]:
    yield from make_rig(tmp_path)


# We poll the device-code endpoint through an injected wait that returns at once; MSAL notices
# the polls come faster than the interval and says so. Real runs wait the interval.
pytestmark = pytest.mark.filterwarnings("ignore:Attempted too soon:UserWarning")


def test_device_code_sign_in_shows_the_code_then_signs_in(rig: SignInRig) -> None:
    auth = rig.authenticator()
    account = auth.sign_in_with_device_code()

    assert len(rig.prompts) == 1
    prompt = rig.prompts[0]
    assert prompt.user_code in prompt.message and prompt.verification_uri in prompt.message
    assert prompt.verification_uri.startswith(rig.idp.base_url)
    assert rig.waits == [5]  # the IdP said "pending" once; we waited its interval, then polled
    assert account.username == ADA.user_principal_name
    assert account.name == "Ada Operator"
    assert account.tenant_id == rig.idp.tenant_id
    claims = rig.idp.tokens.validate(auth.acquire_token())  # type: ignore[attr-defined]
    assert claims is not None and claims["upn"] == ADA.user_principal_name
    assert set(claims["scp"].split()) == {
        "DeviceManagementServiceConfig.ReadWrite.All",
        "User.ReadBasic.All",
    }


def test_interactive_sign_in_through_the_browser_and_loopback(rig: SignInRig) -> None:
    auth = rig.authenticator()
    account = auth.sign_in_interactive()

    assert account.username == ADA.user_principal_name
    url = rig.browser.visited[0]
    assert url.startswith(rig.idp.base_url)
    assert "code_challenge_method=S256" in url and "nonce=" in url and "state=" in url
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in url
    assert rig.idp.grants["authorization_code"] == 1  # the IdP checked the PKCE verifier


def test_a_second_app_instance_signs_in_silently_from_the_cache(rig: SignInRig) -> None:
    first = rig.authenticator()
    first.sign_in_interactive()
    token = first.acquire_token()
    issued = sum(rig.idp.grants.values())

    second = rig.authenticator()  # the next run of the app, same cache file
    assert second.current_account() is not None
    assert second.current_account().username == ADA.user_principal_name  # type: ignore[union-attr]
    assert second.acquire_token() == token
    assert sum(rig.idp.grants.values()) == issued  # nothing asked of the IdP
    assert rig.browser.visited == [rig.browser.visited[0]]  # and no second browser sign-in


def test_an_expiring_access_token_is_refreshed_silently(rig: SignInRig) -> None:
    rig.idp.access_token_lifetime = 120  # MSAL refreshes tokens with under 5 minutes left
    auth = rig.authenticator()
    auth.sign_in_with_device_code()
    first = auth.acquire_token()
    second = auth.acquire_token()

    assert second != first
    assert rig.idp.grants["refresh_token"] >= 1
    assert len(rig.prompts) == 1  # no new sign-in
    assert rig.idp.tokens.validate(second) is not None  # type: ignore[attr-defined]


def test_an_expired_sign_in_asks_to_sign_in_again(rig: SignInRig) -> None:
    rig.idp.access_token_lifetime = 120
    auth = rig.authenticator()
    auth.sign_in_with_device_code()
    rig.clock.advance(rig.idp.refresh_token_lifetime + 1)

    with pytest.raises(SignInRequired) as caught:
        auth.acquire_token()
    assert caught.value.code == 700082
    assert "expired" in str(caught.value) and "Sign in again" in str(caught.value)


def test_sign_out_forgets_the_account_for_every_instance(rig: SignInRig) -> None:
    auth = rig.authenticator()
    auth.sign_in_interactive()
    auth.sign_out()

    assert auth.current_account() is None
    with pytest.raises(SignInRequired):
        auth.acquire_token()
    later = rig.authenticator()
    assert later.current_account() is None


def test_switching_account_signs_the_previous_one_out(rig: SignInRig) -> None:
    auth = rig.authenticator()
    auth.sign_in_interactive()
    rig.idp.sign_in_as = BOB.user_principal_name
    account = auth.sign_in_interactive(switch_account=True)

    assert account.username == BOB.user_principal_name
    assert "prompt=select_account" in rig.browser.visited[-1]
    again = rig.authenticator()
    assert again.current_account().username == BOB.user_principal_name  # type: ignore[union-attr]
    claims = rig.idp.tokens.validate(again.acquire_token())  # type: ignore[attr-defined]
    assert claims["upn"] == BOB.user_principal_name


def test_a_guest_account_is_flagged(rig: SignInRig) -> None:
    rig.idp.sign_in_as = GUEST.user_principal_name
    account = rig.authenticator().sign_in_interactive()
    assert account.is_guest


def test_cancel_stops_a_browser_sign_in(rig: SignInRig) -> None:
    auth = rig.authenticator()
    rig.browser.before_submit = auth.cancel  # the operator gives up while the page is open
    with pytest.raises(SignInCancelled):
        auth.sign_in_interactive()
    assert auth.current_account() is None


def test_cancel_stops_device_code_polling(rig: SignInRig) -> None:
    waiting: list[Authenticator] = []
    auth = rig.authenticator(wait=lambda seconds: waiting[0].cancel())  # cancel while waiting
    waiting.append(auth)
    with pytest.raises(SignInCancelled):
        auth.sign_in_with_device_code()


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        (lambda r: {"authority": f"{r.idp.base_url}/nowhere.example"}, 90002, "was not found"),
        (lambda r: {"client_id": "00000000-0000-0000-0000-000000000001"}, 700016, "client ID"),
        (lambda r: setattr(r.idp, "admin_consent_granted", False), 65001, "admin consent"),
        (lambda r: setattr(r.idp, "sign_in_as", "eve@elsewhere.example"), 50020, "not a member"),
        (lambda r: setattr(r.idp, "public_client_flows", False), 7000218, "public client flows"),
    ],
    ids=["wrong-tenant", "unknown-client", "no-admin-consent", "not-in-tenant", "no-public-flows"],
)
def test_sign_in_problems_get_a_clear_message(rig: SignInRig, setup, code, words) -> None:  # type: ignore[no-untyped-def]
    options = setup(rig) or {}
    auth = rig.authenticator(**options)
    with pytest.raises(SignInError) as caught:
        auth.sign_in_with_device_code()
    assert caught.value.code == code
    assert words in str(caught.value)
    assert "AADSTS" not in str(caught.value)  # the operator gets a sentence, not a code dump


def test_interactive_errors_come_back_from_the_browser(rig: SignInRig) -> None:
    rig.idp.admin_consent_granted = False
    with pytest.raises(SignInError) as caught:
        rig.authenticator().sign_in_interactive()
    assert caught.value.code == 65001


def test_read_only_mode_asks_only_for_read_permissions(rig: SignInRig) -> None:
    auth = rig.authenticator(scopes=graph_scopes("https://graph.microsoft.us", read_only=True))
    auth.sign_in_with_device_code()
    claims = rig.idp.tokens.validate(auth.acquire_token())  # type: ignore[attr-defined]
    assert set(claims["scp"].split()) == set(READ_ONLY_SCOPES)


def test_scopes_are_qualified_with_the_graph_resource_of_the_cloud() -> None:
    assert graph_scopes("https://graph.microsoft.us/") == [
        "https://graph.microsoft.us/DeviceManagementServiceConfig.ReadWrite.All",
        "https://graph.microsoft.us/User.ReadBasic.All",
    ]
    assert graph_scopes("https://microsoftgraph.chinacloudapi.cn", read_only=True)[0] == (
        "https://microsoftgraph.chinacloudapi.cn/DeviceManagementServiceConfig.Read.All"
    )


def test_a_plain_file_cache_is_owner_only_and_comes_with_a_warning(rig: SignInRig) -> None:
    auth = rig.authenticator(encrypt_cache=False)
    auth.sign_in_with_device_code()
    assert not auth.cache_status.encrypted
    assert "only your user account can read" in auth.cache_status.warning
    mode = stat.S_IMODE(Path(auth.cache_status.location).stat().st_mode)
    assert mode == 0o600


def test_the_broker_falls_back_to_the_browser_where_it_is_unavailable(rig: SignInRig) -> None:
    auth = rig.authenticator(use_broker=True)
    account = auth.sign_in_interactive()
    assert account.username == ADA.user_principal_name
    assert not auth.broker_in_use
    assert "using the browser" in auth.broker_note


def test_no_token_reaches_any_log_or_the_console_at_debug(
    rig: SignInRig, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    rig.idp.access_token_lifetime = 120  # forces refreshes too
    auth = rig.authenticator()
    auth.sign_in_interactive()
    auth.acquire_token()
    auth.acquire_token(force_refresh=True)
    auth.sign_out()
    auth.sign_in_with_device_code()
    auth.acquire_token()

    secrets = rig.idp.issued_secrets()
    assert len(secrets) >= 10  # codes, device codes, access, refresh and id tokens
    out, err = capsys.readouterr()
    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert "msal" in caplog.text  # MSAL really logged at DEBUG
    for secret in secrets:
        assert secret not in logged
        assert secret not in out and secret not in err


def test_graph_401_gets_one_silent_refresh_and_the_call_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner_app.core.graph.client import GraphClient
    from scanner_app.core.tenant_sim import SimulatedTenant
    from scanner_app.core.tenant_sim.certs import CertPair
    from scanner_app.core.tenant_sim.identity import DEMO_CLIENT_ID, SimulatedIdentityProvider
    from tests.core.graph.conftest_auth import Clock

    clock = Clock()
    tenant = SimulatedTenant(validate_contract=True, device_count=3, user_count=3,
                             token_clock=clock)  # fmt: skip
    tenant.start(tls=True)
    # Both servers present the tenant's one loopback certificate, so one CA file trusts both
    # (two self-signed certificates with the same subject in one bundle confuse OpenSSL).
    cert = Path(str(tenant.cert_path))
    pair = CertPair(cert, cert.with_name("loopback-key.pem"))
    idp = SimulatedIdentityProvider(tenant.tokens, list(tenant.users.values()), cert=pair)
    idp.start()
    try:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        auth = Authenticator(
            DEMO_CLIENT_ID,
            idp.authority,
            graph_scopes(tenant.base_url),
            tmp_path / "cache.bin",
            on_device_code=lambda prompt: None,
            wait=lambda seconds: None,
            encrypt_cache=False,
        )
        auth.sign_in_with_device_code()
        client = GraphClient(tenant.graph_url, auth.token_provider, sleep=lambda s: None)
        assert client.get("/users")["value"]
        refreshes = idp.grants["refresh_token"]

        clock.advance(idp.access_token_lifetime + 1)  # Graph now rejects the cached token
        body = client.get("/deviceManagement/windowsAutopilotDeviceIdentities")

        assert len(body["value"]) == 3
        assert idp.grants["refresh_token"] == refreshes + 1  # exactly one silent refresh
        sent = [r for r in tenant.requests if r.path.endswith("windowsAutopilotDeviceIdentities")]
        assert len(sent) == 2  # refused once (401), then accepted with the refreshed token
        assert sent[0].header("authorization") != sent[1].header("authorization")
    finally:
        idp.stop()
        tenant.stop()


def test_cli_sign_in_whoami_sign_out_with_a_device_code(
    rig: SignInRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from scanner_app.cli import build_parser
    from scanner_app.core.tenant_sim.identity import DEMO_CLIENT_ID

    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCANNER_APP_SITE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", rig.idp.ca_bundle_path)
    rig.idp.device_code_pending_polls = 0  # the "user" approved before the first poll
    tenant = ["--tenant", rig.idp.tenant, "--client-id", DEMO_CLIENT_ID]
    tenant += ["--authority-host", rig.idp.base_url, "--graph-endpoint", "https://graph.example"]

    def cli(*argv: str) -> int:
        args = build_parser().parse_args(list(argv))
        return int(args.run(args))

    assert cli("sign-in", "--device-code", *tenant) == 0
    out, err = capsys.readouterr()
    assert "enter the code" in err and rig.idp.base_url in err  # code and URL on stderr
    assert f"Signed in as {ADA.user_principal_name}" in out

    # The next run reuses the cached sign-in. (No --check: that reads Graph too, and this rig has
    # no Graph; tests/commands/test_whoami_check.py checks it against the simulated tenant.)
    assert cli("whoami", *tenant) == 0
    out, err = capsys.readouterr()
    assert ADA.user_principal_name in out and "enter the code" not in err

    assert cli("sign-out", *tenant) == 0
    assert cli("whoami", *tenant) == 1
    out, err = capsys.readouterr()
    assert "Not signed in" in err
    for secret in rig.idp.issued_secrets():
        assert secret not in out and secret not in err
