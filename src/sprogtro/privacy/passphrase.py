"""Where the key vault's passphrase comes from: ``SPROGTRO_PASSPHRASE`` or an interactive prompt.

Shared by every command that writes or reads a key file (``pseudonymize``, ``reidentify``, ``ingest``).
The passphrase is never echoed, logged or written anywhere.
"""

from __future__ import annotations

import os
import sys

from sprogtro.errors import VaultError

ENV_VAR = "SPROGTRO_PASSPHRASE"


def get_passphrase(*, confirm: bool = False, prompt: str = "Passphrase for the key file") -> str:
    """The passphrase from the environment, else asked for on the terminal (twice when ``confirm``,
    i.e. when a new key file is created). Raises :class:`VaultError` when neither is possible."""
    value = os.environ.get(ENV_VAR)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise VaultError(f"no passphrase: set {ENV_VAR} or run in a terminal to be asked for one")
    import click

    value = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
    if not value:
        raise VaultError("empty passphrase")
    return value
