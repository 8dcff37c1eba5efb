"""Settings: precedence, validation messages that name the bad key and where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.core.config import PUBLIC_CLOUD_GRAPH, Settings, SettingsError

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "0c1b2a3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_point_at_the_public_cloud_and_need_a_tenant(tmp_path: Path) -> None:
    settings = Settings.load(env={}, site_file=tmp_path / "none.toml")
    assert settings.graph_endpoint == PUBLIC_CLOUD_GRAPH
    assert settings.needs_tenant


def test_precedence_site_then_user_file_then_env_then_flags(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site.toml",
        f'tenant = "{TENANT_ID}"\ncamera = "1"\ngroup_tags = ["Bench-A"]\nsounds = false\n',
    )
    user = write(tmp_path / "user.toml", 'camera = "2"\n')
    settings = Settings.load(
        config_file=user,
        env={"SCANNER_APP_CLIENT_ID": CLIENT_ID, "SCANNER_APP_CAMERA": "3"},
        overrides={"camera": "synthetic", "tenant": None},
        site_file=site,
    )
    assert settings.tenant == TENANT_ID  # site file, not masked by a None flag
    assert settings.client_id == CLIENT_ID  # environment
    assert settings.camera == "synthetic"  # flag wins
    assert settings.group_tags == ("Bench-A",)
    assert settings.sounds is False
    assert not settings.needs_tenant


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('graph_endpoint = "http://graph.example.com"', "graph_endpoint", "https://"),
        ('client_id = "my-app"', "client_id", "GUID"),
        ('tenant = "not a tenant!"', "tenant", "domain"),
        ('sounds = "loud"', "sounds", "true or false"),
        ('payload_rules = ["SN(\\\\d+"]', "payload_rules", "cannot be used"),
        ('payload_rules = ["SN(\\\\d+)"]', "payload_rules", "(?P<serial>"),
        ('name_template = "LAB-PC"', "name_template", "%SERIAL%"),
        ('group_tag = "Bench"', "group_tag", "did you mean 'group_tags'"),
        ("camera = [1, 2]", "camera", "text"),
    ],
)
def test_bad_values_are_refused_with_key_and_file(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    path = write(tmp_path / "config.toml", text + "\n")
    with pytest.raises(SettingsError) as info:
        Settings.load(config_file=path, env={}, site_file=tmp_path / "none.toml")
    assert info.value.key == key
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_broken_toml_and_missing_file_are_clear(tmp_path: Path) -> None:
    broken = write(tmp_path / "config.toml", "tenant = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config_file=broken, env={}, site_file=tmp_path / "none.toml")
    with pytest.raises(SettingsError, match="file not found"):
        Settings.load(config_file=tmp_path / "nope.toml", env={}, site_file=tmp_path / "x.toml")


def test_env_value_is_validated_and_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.load(env={"SCANNER_APP_AUTHORITY_HOST": "ftp://x"}, site_file=tmp_path / "n")
    assert "environment SCANNER_APP_AUTHORITY_HOST" in str(info.value)


def test_loopback_http_is_allowed_for_the_simulator(tmp_path: Path) -> None:
    settings = Settings.load(
        env={"SCANNER_APP_GRAPH_ENDPOINT": "http://127.0.0.1:8080"}, site_file=tmp_path / "n"
    )
    assert settings.graph_endpoint == "http://127.0.0.1:8080"


def test_national_cloud_settings_are_accepted(tmp_path: Path) -> None:
    settings = Settings.load(
        env={},
        site_file=tmp_path / "n",
        overrides={
            "authority_host": "https://login.microsoftonline.us",
            "graph_endpoint": "https://graph.microsoft.us",
            "tenant": "contoso.us",
        },
    )
    assert settings.graph_endpoint.endswith(".us")


def test_the_lookup_deadline_is_at_most_30_s_by_default_and_set_in_seconds(tmp_path: Path) -> None:
    assert Settings().lookup_deadline_s <= 30
    user = write(tmp_path / "user.toml", "lookup_deadline_s = 12\n")
    assert Settings.load(config_file=user, env={}).lookup_deadline_s == 12.0
    env = {"SCANNER_APP_LOOKUP_DEADLINE_S": "7.5"}
    assert Settings.load(config_file=user, env=env).lookup_deadline_s == 7.5
    saved = Settings.from_mapping(Settings(lookup_deadline_s=9.0).to_toml_dict())
    assert saved.lookup_deadline_s == 9.0  # what the settings dialog writes back


@pytest.mark.parametrize("value", ['"soon"', "0", "-5", "600", '"nan"', "true"])
def test_an_unusable_lookup_deadline_is_refused_with_key_and_file(
    tmp_path: Path, value: str
) -> None:
    user = write(tmp_path / "user.toml", f"lookup_deadline_s = {value}\n")
    with pytest.raises(SettingsError) as err:
        Settings.load(config_file=user, env={})
    assert "lookup_deadline_s" in str(err.value) and str(user) in str(err.value)
    assert "seconds" in str(err.value)


def test_the_card_settle_time_is_a_setting_and_refuses_nonsense(tmp_path: Path) -> None:
    assert Settings().card_settle_s == 0.8
    user = write(tmp_path / "user.toml", "card_settle_s = 1.5\n")
    assert Settings.load(config_file=user, env={}).card_settle_s == 1.5
    for value in ('"soon"', "-1", "60", '"nan"'):
        bad = write(tmp_path / "bad.toml", f"card_settle_s = {value}\n")
        with pytest.raises(SettingsError) as err:
            Settings.load(config_file=bad, env={})
        assert "card_settle_s" in str(err.value) and "seconds" in str(err.value)
