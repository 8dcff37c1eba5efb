"""Entry script of the frozen app: the same ``main`` as the ``scanner-app`` console script."""

import multiprocessing
import sys

from scanner_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the app again
    sys.exit(main())
