#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as error:
        # config/settings.py opens SQLite without creating it: say how to make it.
        if "unable to open database file" not in str(error):
            raise
        sys.exit(
            "The SQLite database file does not exist yet (or can't be opened). "
            "Run `make migrate` to create it, or set RIPPLE_NEW_DATABASE=1 for one command."
        )
