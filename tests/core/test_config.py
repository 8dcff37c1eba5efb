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


# ---- files as Windows and other tools save them ---------------------------------------------
PRESET = 'tenant = "contoso.com"\ngroup_tags = ["Büro", "Kiosk"]\n'


@pytest.mark.parametrize(
    "data",
    [
        PRESET.encode("utf-8"),
        b"\xef\xbb\xbf" + PRESET.encode("utf-8"),  # Notepad's UTF-8 with a BOM
        b"\xff\xfe" + PRESET.encode("utf-16-le"),  # Windows PowerShell 5: Out-File, >
        b"\xfe\xff" + PRESET.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_a_config_in_utf8_or_utf16_with_a_bom_is_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    settings = Settings.load(config_file=path, env={}, site_file=tmp_path / "none.toml")
    assert settings.tenant == "contoso.com"
    assert settings.group_tags == ("Büro", "Kiosk")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (PRESET.replace("Büro", "Caf\xe9").encode("latin-1"), "is not UTF-8 text"),
        (bytes(range(256)) * 8, "a binary file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)), "is not UTF-8 text"),
        (PRESET.encode("utf-16-le"), "UTF-16 without a byte-order mark"),
        (PRESET.encode("utf-32"), "is UTF-32 text"),
        (b"tags = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
        (b"# " + b"x" * (2 << 20) + b"\n", "not a settings file"),
    ],
    ids=[
        "latin-1",
        "binary",
        "binary-without-nul",
        "utf-16-no-bom",
        "utf-32",
        "nested-5000",
        "2-MB",
    ],
)
def test_a_config_that_is_not_readable_text_is_refused_naming_the_file(
    tmp_path: Path, data: bytes, words: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    with pytest.raises(SettingsError) as info:
        Settings.load(config_file=path, env={}, site_file=tmp_path / "none.toml")
    message = str(info.value)
    assert message.startswith(f"{path}: config ") and words in message
    assert "\n" not in message


# ---- list settings from the environment -----------------------------------------------------
RULE = r"^[A-Z]{2,8}-(?P<serial>[A-Z0-9]{8,})$"


def test_a_payload_rule_from_the_environment_keeps_its_commas(tmp_path: Path) -> None:
    env = {"SCANNER_APP_PAYLOAD_RULES": RULE}
    settings = Settings.load(env=env, site_file=tmp_path / "none.toml")
    assert settings.payload_rules == (RULE,)


def test_several_payload_rules_from_the_environment_as_lines_or_an_array(tmp_path: Path) -> None:
    other = r"^ASSET:(?P<serial>\d{6,})$"
    for value in (f"{RULE}\n{other}\n", f"['{RULE}', '{other}']"):
        env = {"SCANNER_APP_PAYLOAD_RULES": value}
        settings = Settings.load(env=env, site_file=tmp_path / "none.toml")
        assert settings.payload_rules == (RULE, other)


def test_group_tags_from_the_environment_split_on_commas_or_come_as_an_array(
    tmp_path: Path,
) -> None:
    env = {"SCANNER_APP_GROUP_TAGS": "Sales, Kiosk"}
    assert Settings.load(env=env, site_file=tmp_path / "n").group_tags == ("Sales", "Kiosk")
    env = {"SCANNER_APP_GROUP_TAGS": '["Sales, EU", "Kiosk"]'}
    assert Settings.load(env=env, site_file=tmp_path / "n").group_tags == ("Sales, EU", "Kiosk")


def test_a_broken_array_in_the_environment_is_named(tmp_path: Path) -> None:
    env = {"SCANNER_APP_PAYLOAD_RULES": "['^A(?P<serial>\\d+)$', "}
    with pytest.raises(SettingsError) as info:
        Settings.load(env=env, site_file=tmp_path / "n")
    assert str(info.value).startswith("environment SCANNER_APP_PAYLOAD_RULES: payload_rules ")
    assert "not a TOML array" in str(info.value)
