"""A simulated tenant (Graph subset + identity provider) served on loopback."""
