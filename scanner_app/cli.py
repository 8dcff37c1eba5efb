"""Command line: the GUI by default, plus subcommands that call scanner_app.core directly.

Each subcommand lives in ``scanner_app/commands/<name>.py`` with two functions:
``register(subparsers)`` adds its parser (cheap: no heavy imports at module level) and
``run(args) -> int`` does the work. Subcommands not built yet say so and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from scanner_app import APP_NAME, __version__

#: Subcommand name -> (module under scanner_app.commands, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "decode": ("decode", "decode image or video files and print what they hold"),
    "lookup": ("lookup", "find an Autopilot device by serial number or ZtdId"),
    "assign": ("assign", "set a device's group tag, user and name"),
    "sync": ("sync", "ask Intune to sync Autopilot devices now"),
    "simulate": ("simulate", "run the simulated tenant alone on loopback"),
    "doctor": ("doctor", "check cameras, decoder engines, settings and sign-in"),
    "bench": ("bench", "time the decoder on this machine's camera or a file"),
    "sign-in": ("sign_in", "sign in (browser or --device-code) and cache the sign-in"),
    "sign-out": ("sign_out", "forget the cached sign-in"),
    "whoami": ("whoami", "show who is signed in, to which tenant"),
    "journal": ("journal", "list, retry or export the change journal"),
}

EPILOG = """\
Without a subcommand the window opens. Examples:
  scanner-app --demo                 the app on a simulated tenant and a synthetic camera
  scanner-app --demo --self-test     drive scan -> apply -> verify unattended; exit 0 if it passed
  scanner-app decode --json label.jpg
  scanner-app lookup 5CG1234XYZ --demo
Settings come from the config file, SCANNER_APP_* environment variables and these flags,
in increasing order of precedence; `scanner-app doctor` shows where each file lives.
"""


def add_tenant_options(parser: argparse.ArgumentParser, *, subcommand: bool = False) -> None:
    """Options every command that talks to a tenant shares (GUI included).

    On a subcommand the defaults are SUPPRESS, so ``scanner-app --demo lookup X`` and
    ``scanner-app lookup --demo X`` mean the same: the subparser must not overwrite a value
    given before the subcommand with its own default.
    """
    g = parser.add_argument_group("tenant")

    def option(*names: str, **kwargs: Any) -> None:
        if subcommand:
            kwargs["default"] = argparse.SUPPRESS
        g.add_argument(*names, **kwargs)

    option(
        "--demo",
        action="store_true",
        help="use the built-in simulated tenant (no sign-in, no network)",
    )
    option("--tenant", metavar="ID|DOMAIN", help="Entra ID tenant id or domain")
    option("--client-id", metavar="GUID", help="app registration (public client) id")
    option(
        "--authority-host",
        metavar="URL",
        help="sign-in host (default https://login.microsoftonline.com)",
    )
    option(
        "--graph-endpoint", metavar="URL", help="Graph endpoint (default https://graph.microsoft.com)"
    )
    option("--config", metavar="FILE", help="read settings from this TOML file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scanner-app",
        description=f"{APP_NAME}: scan a device label or Autopilot QR code, find the device in "
        "Intune and set its group tag and user in one step.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="drive the whole path in the real window with no human; exit 0 only if it passed",
    )
    parser.add_argument(
        "--camera",
        metavar="SOURCE",
        help="camera index, video file, image folder, stream URL or 'synthetic'",
    )
    parser.add_argument(
        "--log-level",
        default=None,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log level for the log file and the console (default INFO)",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep config, data and logs under DIR instead of the per-user folders",
    )
    add_tenant_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, (module_name, help_text) in COMMANDS.items():
        module = _command_module(module_name)
        if module is None:
            p = sub.add_parser(name, help=f"{help_text} (not built yet)", description=help_text)
            p.set_defaults(run=_not_built(name))
        else:
            p = module.register(sub, name, help_text)
            p.set_defaults(run=module.run)
    return parser


def _command_module(module_name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"scanner_app.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"scanner_app.commands.{module_name}":
            return None
        raise


def _not_built(name: str):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        print(f"scanner-app {name}: not built yet in this version.", file=sys.stderr)
        return 2

    return run


#: Exit status when the reader of our output went away (``… | head -1``): 128 + SIGPIPE, what
#: a shell reports for ``cat`` in the same place, so ``set -o pipefail`` scripts see the same.
EXIT_BROKEN_PIPE = 141
EXIT_CANCELLED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; a closed pipe or Ctrl+C ends it quietly, never with a traceback."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, so a closed pipe is met inside the try, not at exit
        return code
    except BrokenPipeError:
        _stdout_to_devnull()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("scanner-app: cancelled.", file=sys.stderr)
        return EXIT_CANCELLED


def _stdout_to_devnull() -> None:
    """Python's advice (signal module docs, "Note on SIGPIPE"): point stdout at devnull, so
    the interpreter's last flush at exit does not fail again and print a traceback."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's StringIO)
        pass


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from scanner_app.logs import setup_logging

    if args.home:
        import os

        os.environ["SCANNER_APP_HOME"] = args.home
    setup_logging(args.log_level, console=args.command is not None or args.self_test)
    if args.command:
        return int(args.run(args))
    from scanner_app.ui.app import run_gui

    return run_gui(args)
