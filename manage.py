#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.settings")
    # manage.py is the developer's tool: without DEBUG in the environment it works in
    # development mode. The WSGI application (kampungkb/wsgi.py) stays production by
    # default and refuses to start without SECRET_KEY; so does manage.py with DEBUG=0.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
