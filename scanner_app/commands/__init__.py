"""Subcommands of `scanner-app`: one module each, with register(sub, name, help) and run(args).

A command module keeps heavy imports (OpenCV, requests, msal) inside ``run`` so that
``scanner-app --help`` stays fast.
"""
