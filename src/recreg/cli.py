"""The `recreg` command.

`recreg manage ARGS` is Django's manage.py; every other subcommand (demo, serve, token, …) is
one of the project's management commands, so each has one implementation and one --help.
"""

from __future__ import annotations

import os
import sys

# `recreg NAME` runs the management command on the right.
COMMANDS = {
    "demo": ("demo", "Migrate, load the demo data and serve it (and the worker)"),
    "serve": ("serve", "Serve the register with a production-grade server"),
    "worker": ("worker", "Run background work: reminders, imports, reports"),
    "token": ("token", "Create API tokens (token create --user EMAIL)"),
    "extract": ("extract", "Print the findings a report document holds"),
    "import": ("import_register", "Import inspections, findings, responses or grades"),
    "risk": ("risk", "Rank a force's question areas by the risk model"),
    "audit": ("audit", "Check the audit trail's hash chain (audit verify)"),
    "backup": ("backup", "Write the whole register to one file (backup FILE)"),
    "restore": ("restore", "Load a register from a backup file (restore FILE)"),
    "report": ("report", "Write a committee update paper (report committee --org SLUG …)"),
    "manage": (None, "Django's management commands (migrate, createsuperuser, …)"),
}


def _usage() -> str:
    lines = ["usage: recreg COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<8} {text}" for name, (_, text) in COMMANDS.items()]
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
        target = COMMANDS[command][0]
        if target is None:
            execute_from_command_line(["recreg manage", *rest])
        else:
            execute_from_command_line([f"recreg {command}", target, *rest])
    except ImproperlyConfigured as exc:
        print(f"recreg: configuration problem: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
