"""The `recreg` command.

`recreg manage ARGS` is Django's manage.py; every other subcommand (demo, serve, token, …) is
one of the project's management commands, so each has one implementation and one --help.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "demo": "Migrate, load the demo data and serve it",
    "serve": "Serve the register with a production-grade server",
    "token": "Create API tokens (token create --user EMAIL)",
    "manage": "Django's management commands (migrate, createsuperuser, …)",
}


def _usage() -> str:
    lines = ["usage: recreg COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<8} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        sys.exit(0 if argv else 2)
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"recreg: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        sys.exit(2)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        if command == "manage":
            execute_from_command_line(["recreg manage", *rest])
        else:
            execute_from_command_line(["recreg", command, *rest])
    except ImproperlyConfigured as exc:
        print(f"recreg: configuration problem: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
