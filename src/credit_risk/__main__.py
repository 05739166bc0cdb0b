"""Run the project as ``python -m credit_risk``."""

import sys
from pathlib import Path
from typing import Any

from kedro.framework.cli.utils import find_run_command
from kedro.framework.project import configure_project


def main(*args: Any, **kwargs: Any) -> Any:
    """Run the Kedro project's ``run`` command.

    Args:
        *args: Positional arguments passed to the run command.
        **kwargs: Keyword arguments passed to the run command.

    Returns:
        Whatever the run command returns.
    """
    package_name = Path(__file__).parent.name
    configure_project(package_name)
    kwargs["standalone_mode"] = not hasattr(sys, "ps1")
    run = find_run_command(package_name)
    return run(*args, **kwargs)


if __name__ == "__main__":
    main()
