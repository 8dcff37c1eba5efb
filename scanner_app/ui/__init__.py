"""PySide6 user interface: windows, widgets and thin thread workers over scanner_app.core."""
