"""Keeping a benchmark's figures in bench/results/, with the machine and its load."""

from __future__ import annotations

import os
import platform
import time


def write_figures(name: str, title: str, engine: str, lines: list[str]) -> str:
    """Write the lines under a dated title to bench/results/<stamp>-<name>.md; return its path."""
    stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime())
    path = os.path.join(os.path.dirname(__file__), "results", f"{stamp}-{name}.md")
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            f"# {title}, {time.strftime('%d %B %Y %H:%M UTC', time.gmtime())}\n\n"
            f"- Machine: {platform.node()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {engine}; load average at the end {load}.\n"
            f"- Note: {os.environ.get('BENCH_NOTE', 'shared machine')}\n\n```\n"
        )
        out.write("\n".join(lines) + "\n```\n")
    print(f"Written to {os.path.relpath(path)}")
    return path
