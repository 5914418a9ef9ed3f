#!/usr/bin/env python
"""The Wagtail peer's command-line utility (run it from bench/data/peers/wagtail-venv)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
