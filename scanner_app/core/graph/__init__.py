"""Microsoft Graph: HTTP client, Autopilot devices, users and sign-in."""
