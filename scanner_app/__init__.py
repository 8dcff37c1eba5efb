"""Autopilot Bench Scanner: scan a device label, find it in Intune, set its group tag and user."""

__version__ = "0.1.0"
APP_NAME = "Autopilot Bench Scanner"
APP_ID = "autopilot-bench-scanner"
