"""Starting the app: settings problems end it with a clear line, never a hang."""

from __future__ import annotations

from typing import Any

from scanner_app.cli import main

CLIENT = "0c1b2a3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def test_self_test_without_demo_says_so_and_exits_2(qapp: Any, capsys: Any) -> None:
    assert main(["--self-test", "--tenant", "contoso.com", "--client-id", CLIENT]) == 2
    assert "add --demo" in capsys.readouterr().err


def test_bad_setting_is_named_and_nothing_starts(qapp: Any, capsys: Any) -> None:
    code = main(["--self-test", "--demo", "--graph-endpoint", "http://graph.example.com"])
    assert code == 2
    err = capsys.readouterr().err
    assert "graph_endpoint" in err and "https://" in err
