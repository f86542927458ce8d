"""A task for tests/core/test_scale_out.py: notes which worker process ran which task."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def task_note_runner(number: int, path: str) -> int:
    time.sleep(0.05)  # long enough that two workers are busy at the same time
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{number} {os.getpid()}\n")
    return number
