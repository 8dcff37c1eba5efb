"""`python -m scanner_app` runs the same entry point as the `scanner-app` script."""

import sys

from scanner_app.cli import main

sys.exit(main())
