"""`recreg serve`: the register behind gunicorn, static files served by WhiteNoise."""

from __future__ import annotations

import gc
import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers(vendor: str | None = None) -> int:
    """One-request-at-a-time processes for this machine and database engine (the configured
    one unless named): one per core and one more on SQLite, two per core and one more (gunicorn's
    advice) on PostgreSQL.

    On SQLite a request never waits for a database server: its process works the whole time,
    and processes beyond the cores only take turns on them. Three processes rather than five on
    two cores gave every page a 95th percentile about a tenth lower at 8 concurrent readers
    (docs/adr/0004-processes-per-core.md). A PostgreSQL process waits for each statement's round
    trip, and the extra processes fill those waits."""
    if vendor is None:
        from django.db import connection

        vendor = connection.vendor
    cores = len(os.sched_getaffinity(0))
    return cores + 1 if vendor == "sqlite" else 2 * cores + 1


def freeze_loaded_objects(worker) -> None:
    """Once a worker has loaded the app, leave its objects out of garbage collection.

    Django, the app and their modules are a few hundred thousand objects that live as long
    as the process. Python's full collection walked them all every few hundred requests,
    50-60 ms each time: one request in a hundred waited for it. Frozen, a full collection
    walks only what requests have made since."""
    gc.freeze()


def run_server(host: str, port: int, workers: int, *, threads: int = 1) -> None:
    """Run gunicorn in this process until it is stopped."""
    from gunicorn.app.base import BaseApplication

    from recreg.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                # One request at a time per process takes the next connection only when it is
                # free, so the kernel spreads the load; threads share one core between them.
                "worker_class": "gthread" if threads > 1 else "sync",
                "timeout": 60,
                "graceful_timeout": 10,
                "accesslog": "-" if os.environ.get("RECREG_ACCESS_LOG") else None,
                "errorlog": "-",
                "loglevel": "warning",
                "post_worker_init": freeze_loaded_objects,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()


class Command(BaseCommand):
    help = "Serve the register with gunicorn (static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("RECREG_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("RECREG_PORT", 8000)))
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes (default: one per core and one more on SQLite, two per core and "
            "one more on PostgreSQL)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="threads per process (default 1: each process serves one request at a time)",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip gathering static files."
        )

    def handle(self, *args, host, port, workers, threads, no_collectstatic, **options):
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving the register on http://{host}:{port}/ (Ctrl-C to stop)")
        run_server(host, port, workers, threads=threads)
