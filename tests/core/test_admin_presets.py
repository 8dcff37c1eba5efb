"""An admin's machine-wide preset changes what the app starts with; a user's own file, the
environment and flags still win (docs/admin-presets.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner_app.cli import build_parser
from scanner_app.core import paths
from scanner_app.core.config import Settings, SettingsError
from scanner_app.core.services import settings_from_args

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "packaging" / "config.toml.example"
TENANT = "11111111-2222-3333-4444-555555555555"
CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

PRESET = f"""\
tenant = "{TENANT}"
client_id = "{CLIENT}"
group_tags = ["Sales", "Kiosk"]
allow_free_group_tag = false
read_only = true
"""


@pytest.fixture
def site_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the app looks for the admin's file (ProgramData, /Library, /etc in production)."""
    path = tmp_path / "site" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("SCANNER_APP_SITE_CONFIG", str(path))
    home = tmp_path / "home"
    monkeypatch.setenv("SCANNER_APP_HOME", str(home))  # a user with no config file yet
    return path


def startup_settings(*argv: str) -> Settings:
    """The settings the window starts with for this command line."""
    return settings_from_args(build_parser().parse_args(list(argv)))


def test_without_a_preset_the_app_needs_a_tenant(site_file: Path) -> None:
    settings = startup_settings()
    assert settings.needs_tenant
    assert settings.group_tags == ()


def test_preset_sets_the_defaults_the_app_starts_with(site_file: Path) -> None:
    site_file.write_text(PRESET)
    settings = startup_settings()
    assert not settings.needs_tenant  # no sign-in setup screen: the admin configured it
    assert (settings.tenant, settings.client_id) == (TENANT, CLIENT)
    assert settings.group_tags == ("Sales", "Kiosk")
    assert settings.allow_free_group_tag is False
    assert settings.read_only is True
    assert settings.sources == (str(site_file),)


def test_users_file_overrides_the_preset_key_by_key(site_file: Path) -> None:
    site_file.write_text(PRESET)
    paths.config_file().write_text('group_tags = ["Warehouse"]\nread_only = false\n')
    settings = startup_settings()
    assert settings.group_tags == ("Warehouse",)
    assert settings.read_only is False
    assert settings.tenant == TENANT  # keys the user did not set still come from the preset
    assert settings.sources == (str(site_file), str(paths.config_file()))


def test_environment_and_flags_override_both(
    site_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_file.write_text(PRESET)
    monkeypatch.setenv("SCANNER_APP_GROUP_TAGS", "Finance, Lab")
    settings = startup_settings("--tenant", "fabrikam.com")
    assert settings.group_tags == ("Finance", "Lab")
    assert settings.tenant == "fabrikam.com"
    assert settings.client_id == CLIENT


def test_a_mistake_in_the_preset_names_the_file_and_the_key(site_file: Path) -> None:
    site_file.write_text('group_tag = ["Sales"]\n')  # misspelt key
    with pytest.raises(SettingsError) as raised:
        startup_settings()
    assert str(site_file) in str(raised.value)
    assert "group_tags" in str(raised.value)  # the "did you mean" hint


def test_the_example_preset_shipped_with_the_installers_is_valid(site_file: Path) -> None:
    text = EXAMPLE.read_text()
    site_file.write_text(re.sub(r"(?m)^# (\w+ = )", r"\1", text))  # uncomment every key
    settings = startup_settings()
    assert settings.tenant == "contoso.onmicrosoft.com"
    assert settings.group_tags == ("Sales", "Engineering", "Kiosk")
    assert settings.name_template == "CONTOSO-%SERIAL%"
    assert settings.sources == (str(site_file),)
