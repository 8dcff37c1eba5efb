"""`whoami --check` proves the sign-in works the way the app will use it: a forced refresh (a
cached access token outlives a revoked sign-in by up to an hour) and one Intune read."""

from __future__ import annotations

import pytest

from .conftest import Bench


@pytest.fixture
def signed_in(bench: Bench) -> Bench:
    bench.sign_in_and_remember(bench.serials[0])
    return bench


def test_a_working_sign_in_passes_the_check(signed_in: Bench) -> None:
    ran = signed_in.cli("whoami", "--check")
    assert ran.code == 0, ran.err
    assert "Signed in as" in ran.out and "Checked" in ran.err
    reads = [r for r in signed_in.tenant.requests if r.method == "GET"]
    assert reads[-1].query == {"$top": "1", "$select": "id"}  # one cheap Intune read


def test_a_revoked_sign_in_fails_the_check(signed_in: Bench) -> None:
    signed_in.idp.revoke_refresh_tokens()  # an admin revoked the sessions
    ran = signed_in.cli("whoami", "--check")
    assert ran.code == 1 and ran.out == ""
    (line,) = ran.err_lines
    assert "can no longer be refreshed" in line and "scanner-app sign-in" in line
    assert signed_in.cli("whoami").code == 0  # without --check: the cache only, as before


@pytest.mark.parametrize("status", [401, 403])
def test_graph_refusing_the_sign_in_fails_the_check(signed_in: Bench, status: int) -> None:
    signed_in.tenant.faults.error(status=status, count=None, path="*/deviceManagement/*")
    ran = signed_in.cli("whoami", "--check")
    assert ran.code == 1 and ran.out == ""
    (line,) = ran.err_lines
    assert f"Graph refuses this sign-in (HTTP {status})" in line
