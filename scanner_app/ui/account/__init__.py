"""Sign-in in the window: the account controller, its menu and status field, the dialogs."""
