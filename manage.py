#!/usr/bin/env python
"""Django's manage.py; the ``haven`` command does the same with friendlier errors."""

from haven.cli import main

if __name__ == "__main__":
    main()
