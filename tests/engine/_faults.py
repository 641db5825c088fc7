"""A worker plugin that kills its worker process once, for the engine's fault tests.

Pickled by value (see conftest), so worker processes need not import the test package.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from distributed import WorkerPlugin


class KillWorkerOnce(WorkerPlugin):
    """SIGKILL the worker when it starts executing the task whose key ends with ``key_suffix``.

    The marker file makes it happen once: the nanny restarts the worker, the plugin is attached to the
    new worker, finds the marker and lets the retried task run.
    """

    name = "sprogtro-kill-worker-once"

    def __init__(self, marker: str, key_suffix: str):
        self.marker = marker
        self.key_suffix = key_suffix

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing" or not str(key).endswith(self.key_suffix):
            return
        marker = Path(self.marker)
        if marker.exists():
            return
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
