"""Sign-in in the GUI: the real MSAL against the simulated identity provider over HTTPS.

The controller runs every sign-in call on its pool; the tests wait for its signals. Device-code
polling goes through the Authenticator's injectable wait (a gate the test opens, or no wait at
all), so nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow

from scanner_app.core.graph.auth import Authenticator, SignInRequired
from scanner_app.core.graph.client import GraphClient
from scanner_app.core.graph.errors import PermissionDenied
from scanner_app.ui.account.account import AccountController, explain_graph_error
from scanner_app.ui.account.account_menu import (
    build_account_menu,
    connect_status,
    install_account,
    status_text,
)
from scanner_app.ui.account.sign_in_dialog import SignInPanel, attach_device_code_dialog
from tests.core.graph.conftest_auth import ADA, GUEST, SignInRig, make_rig
from tests.ui.test_accessibility import unnamed_controls

# The injected wait returns at once, so MSAL sees polls faster than the interval and says so.
pytestmark = pytest.mark.filterwarnings("ignore:Attempted too soon:UserWarning")


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SignInRig]:
    yield from make_rig(tmp_path)


@pytest.fixture
def make_controller(qtbot: Any) -> Iterator[Any]:
    made: list[AccountController] = []

    def make(auth: Authenticator | None) -> AccountController:
        controller = AccountController(auth)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        if controller.auth is not None:
            controller.auth.cancel()  # a test that failed mid-sign-in must not leave a poller
        assert controller.tasks.shutdown(10_000)


def _state_is(state: str) -> Any:
    return lambda got, _text: got == state


def _status(qtbot: Any, controller: AccountController) -> QLabel:
    holder = QMainWindow()
    qtbot.add_widget(holder)
    holder.sign_in = QLabel()  # type: ignore[attr-defined]  # what StatusBar.sign_in is
    connect_status(controller, holder)
    return holder.sign_in  # type: ignore[attr-defined,no-any-return]


def test_device_code_dialog_shows_copies_and_closes_when_signed_in(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    gate = threading.Event()  # the "user" finishes on the phone when the test opens the gate
    controller = make_controller(rig.authenticator(wait=lambda seconds: gate.wait(10) and None))
    opened: list[QUrl] = []

    def opener(url: QUrl) -> bool:  # records instead of starting a browser
        opened.append(url)
        return True

    presenter = attach_device_code_dialog(controller, opener=opener)
    label = _status(qtbot, controller)

    with qtbot.wait_signal(controller.device_code, timeout=10_000) as shown:
        controller.sign_in_device_code()
    prompt = shown.args[0]
    qtbot.wait_until(lambda: presenter.dialog is not None and presenter.dialog.isVisible())
    dialog = presenter.dialog
    assert dialog is not None
    assert "signing in" in label.text()

    assert dialog.code.text() == prompt.user_code and len(prompt.user_code) >= 6
    assert prompt.verification_uri.startswith(rig.idp.base_url)
    assert prompt.verification_uri in dialog.link.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == prompt.user_code
    dialog.link.linkActivated.emit(prompt.verification_uri)  # what a click on the link does
    assert [u.toString() for u in opened] == [prompt.verification_uri]

    with qtbot.wait_signal(dialog.finished, timeout=10_000) as closed:
        with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-in")):
            gate.set()
    assert closed.args == [QDialog.DialogCode.Accepted.value]
    assert controller.state == "signed-in"
    assert ADA.user_principal_name in controller.text and "Ada Operator" in controller.text
    assert ADA.user_principal_name in label.text() and rig.idp.tenant in label.text()


def test_cancel_in_the_device_code_dialog_stops_the_sign_in(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    controller = make_controller(rig.authenticator(wait=None))  # the real, cancellable wait
    presenter = attach_device_code_dialog(controller)
    with qtbot.wait_signal(controller.device_code, timeout=10_000):
        controller.sign_in_device_code()
    qtbot.wait_until(lambda: presenter.dialog is not None)
    assert presenter.dialog is not None

    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-out")):
        presenter.dialog.cancel_button.click()
    assert controller.text == "Sign-in cancelled."
    assert controller.auth is not None and controller.auth.current_account() is None


def test_sign_out_goes_back_to_signed_out_everywhere(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    controller = make_controller(rig.authenticator())
    window = QMainWindow()
    qtbot.add_widget(window)
    menu = build_account_menu(window, controller)
    label = _status(qtbot, controller)
    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-in")):
        menu.sign_in_code.trigger()
    assert menu.who.text() == f"Signed in as {ADA.user_principal_name}"
    assert menu.sign_out.isEnabled()

    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-out")):
        menu.sign_out.trigger()
    assert menu.who.text() == "Not signed in" and not menu.sign_out.isEnabled()
    assert menu.sign_in.isEnabled() and "not signed in" in label.text()
    assert rig.authenticator().current_account() is None  # the next start is signed out too


def test_the_next_start_finds_the_cached_sign_in(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    rig.authenticator().sign_in_with_device_code()  # yesterday's run
    controller = make_controller(rig.authenticator())
    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-in")):
        controller.refresh()
    assert controller.account is not None
    assert controller.account.username == ADA.user_principal_name
    assert rig.prompts == [rig.prompts[0]]  # no second sign-in


def test_the_start_panel_signs_in_with_the_browser_and_closes(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    controller = make_controller(rig.authenticator())
    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-out")):
        controller.refresh()
    panel = SignInPanel(controller)
    qtbot.add_widget(panel)
    panel.show()
    assert "Not signed in" in panel.state_label.text()
    assert unnamed_controls(panel) == []  # a screen reader can tell the two ways apart

    with qtbot.wait_signal(panel.finished, timeout=10_000) as closed:
        panel.browser_button.click()
    assert closed.args == [QDialog.DialogCode.Accepted.value]
    assert rig.browser.visited and rig.browser.visited[0].startswith(rig.idp.base_url)
    assert controller.account is not None
    assert controller.account.username == ADA.user_principal_name


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda r: {"authority": f"{r.idp.base_url}/nowhere.example"}, "was not found"),
        (lambda r: setattr(r.idp, "admin_consent_granted", False), "grant admin consent"),
        (lambda r: setattr(r.idp, "sign_in_as", "eve@elsewhere.example"), "not a member"),
    ],
    ids=["wrong-tenant", "no-admin-consent", "not-in-tenant"],
)
def test_sign_in_problems_show_a_clear_message_in_the_panel(
    qtbot: Any, rig: SignInRig, make_controller: Any, setup: Any, words: str
) -> None:
    controller = make_controller(rig.authenticator(**(setup(rig) or {})))
    panel = SignInPanel(controller)
    qtbot.add_widget(panel)
    panel.show()
    label = _status(qtbot, controller)

    with qtbot.wait_signal(controller.error, timeout=10_000) as failed:
        panel.code_button.click()
    message = failed.args[0]
    assert words in message and "AADSTS" not in message
    assert controller.state == "error"
    assert panel.state_label.text() == message and panel.isVisible()  # still there to retry
    assert panel.code_button.isEnabled() and panel.browser_button.isEnabled()
    assert "sign-in failed" in label.text() and label.toolTip() == message


def test_a_guest_account_is_flagged(qtbot: Any, rig: SignInRig, make_controller: Any) -> None:
    rig.idp.sign_in_as = GUEST.user_principal_name
    controller = make_controller(rig.authenticator())
    label = _status(qtbot, controller)
    with qtbot.wait_signal(controller.warning, timeout=10_000) as warned:
        controller.sign_in_device_code()
    assert "guest account" in warned.args[0]
    assert controller.state == "signed-in" and "(guest account)" in controller.text
    assert "(guest)" in label.text()


def test_an_unencrypted_token_cache_is_said_once(
    qtbot: Any, rig: SignInRig, make_controller: Any
) -> None:
    controller = make_controller(rig.authenticator(encrypt_cache=False))
    with qtbot.wait_signal(controller.warning) as warned:
        controller.refresh()
    assert "only your user account can read" in warned.args[0]
    with qtbot.assert_not_emitted(controller.warning):
        with qtbot.wait_signal(controller.state_changed):
            controller.refresh()


def test_demo_mode_needs_no_sign_in(qtbot: Any, make_controller: Any) -> None:
    controller = make_controller(None)
    window = QMainWindow()
    qtbot.add_widget(window)
    menu = build_account_menu(window, controller)
    with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("demo")):
        controller.refresh()
    assert "no sign-in needed" in controller.text
    assert "demo tenant" in status_text(controller)
    label = _status(qtbot, controller)
    label.setText("operator@contoso.example · demo tenant")  # what StatusBar shows in demo
    controller.refresh()
    assert label.text() == "operator@contoso.example · demo tenant"  # left alone
    assert not menu.sign_in.isEnabled() and not menu.sign_in_code.isEnabled()
    assert not menu.sign_out.isEnabled()
    assert menu.who.text() == "Demo tenant: no sign-in needed"


def test_graph_refusals_are_explained(tenant: Any, rig: SignInRig) -> None:
    read_users_only = GraphClient(
        tenant.base_url, lambda **_: tenant.issue_token(scopes=["User.ReadBasic.All"])
    )
    with pytest.raises(PermissionDenied) as refused:  # a real 403 from the simulated Graph
        read_users_only.get("/deviceManagement/windowsAutopilotDeviceIdentities")
    read_users_only.session.close()
    text = explain_graph_error(refused.value)
    assert "lacks the Intune permission" in text and "Ask an admin" in text

    with pytest.raises(SignInRequired) as missing:
        rig.authenticator().acquire_token()  # never signed in
    assert explain_graph_error(missing.value).startswith("Sign in first (Account ▸ Sign in…)")


def test_a_real_tenant_window_asks_to_sign_in_and_follows_the_operator(
    qtbot: Any, rig: SignInRig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scanner_app.core.config import Settings
    from scanner_app.core.services import open_services
    from scanner_app.core.tenant_sim.identity import DEMO_CLIENT_ID
    from scanner_app.ui.status_bar import StatusBar

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", rig.idp.ca_bundle_path)
    rig.idp.device_code_pending_polls = 0  # approved before the first poll: no wait at all
    settings = Settings.load(
        overrides={
            "tenant": rig.idp.tenant,
            "client_id": DEMO_CLIENT_ID,
            "authority_host": rig.idp.base_url,
            "graph_endpoint": "https://graph.example",
        }
    )
    services = open_services(settings, journal_path=tmp_path / "journal.sqlite3")
    window = QMainWindow()
    qtbot.add_widget(window)
    window.setStatusBar(StatusBar(services))
    messages: list[str] = []
    controller = install_account(window, services, show_message=messages.append)
    try:
        qtbot.wait_until(lambda: window.findChild(SignInPanel) is not None)  # signed out
        panel = window.findChild(SignInPanel)
        assert isinstance(panel, SignInPanel)

        with qtbot.wait_signal(controller.state_changed, check_params_cb=_state_is("signed-in")):
            panel.code_button.click()
        qtbot.wait_until(lambda: not panel.isVisible())
        assert services.operator == ADA.user_principal_name
        assert services.outbox.operator == ADA.user_principal_name  # journalled as Ada
        assert ADA.user_principal_name in window.statusBar().sign_in.text()  # type: ignore[attr-defined]
        assert all("Sign-in failed" not in m for m in messages)
    finally:
        controller.cancel()
        assert controller.tasks.shutdown(10_000)
        services.close()
