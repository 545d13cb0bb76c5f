#!/usr/bin/env python
"""Django's command-line utility for Scorecard."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.settings")
    from scorecard.startup import run_or_exit

    def execute() -> None:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)

    run_or_exit(execute)


if __name__ == "__main__":
    main()
