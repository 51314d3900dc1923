"""`recreg demo`: migrate, load the demo register, gather static files and serve it."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from recreg.accounts.roles import Role
from recreg.core.management.commands.serve import default_workers, run_server
from recreg.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, load_demo


def demo_requires_2fa() -> bool:
    """Whether the demo server asks editors for a second factor: only if RECREG_REQUIRE_2FA says
    so, since a visitor trying the demo has no authenticator app set up for it."""
    return os.environ.get("RECREG_REQUIRE_2FA", "").strip().lower() in {"1", "true", "yes", "on"}


def sign_in_block(url: str, require_2fa: bool = False) -> list[str]:
    """The lines that tell a visitor where the demo is and how to sign in."""
    width = max(len(Role(login.role).label) for login in DEMO_LOGINS)
    email_width = max(len(login.email) for login in DEMO_LOGINS)
    rule = "=" * 72
    lines = [
        rule,
        "The Recommendations Register demo is ready.",
        "",
        f"  Open {url}",
        "",
        "  Sign in as any of these (role, email, password):",
    ]
    lines += [
        f"    {Role(login.role).label:<{width}}  {login.email:<{email_width}}  {DEMO_PASSWORD}"
        for login in DEMO_LOGINS
    ]
    if require_2fa:
        lines += [
            "",
            "  Two-factor sign-in is required of editors: at the first sign-in they set up an",
            "  authenticator app from the QR code shown.",
        ]
    else:
        lines += [
            "",
            "  Two-factor sign-in is optional in the demo, so editors sign in with the password",
            "  alone (in production it is required of editors). To try it as production has it,",
            "  run with RECREG_REQUIRE_2FA=on; anyone can set it up under 'Your account'.",
        ]
    lines += [
        "",
        "  Or do not sign in: the public view shows only published findings of the police",
        "  inspectorate's reports to forces, and each force's status.",
        rule,
    ]
    return lines


class Command(BaseCommand):
    help = "Migrate, load the demo register and serve it on http://127.0.0.1:8000/."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("RECREG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("RECREG_PORT", 8000)))
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--no-serve", action="store_true", help="Stop after loading and printing the logins."
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip gathering static files."
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background worker."
        )

    def handle(self, *args, host, port, seed, no_serve, no_collectstatic, **options):
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the demo register…")
        summary = load_demo(seed=seed)
        for line in summary.lines():
            self.stdout.write(line)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        require_2fa = demo_requires_2fa()
        for line in sign_in_block(f"http://{shown_host}:{port}/", require_2fa):
            self.stdout.write(line)
        if no_serve:
            return
        # Set for this server process only (gunicorn's workers are forked from it).
        settings.RECREG_REQUIRE_2FA = require_2fa
        # The background worker (reminders, imports, reports) runs beside the server and stops
        # with it.
        worker = None
        if not options.get("no_worker"):
            worker = subprocess.Popen([sys.executable, "-m", "recreg.cli", "worker"])  # noqa: S603
            self.stdout.write(f"Background worker started (process {worker.pid})")
        self.stdout.write("Serving (Ctrl-C to stop)")
        try:
            run_server(host, port, workers=default_workers())
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
