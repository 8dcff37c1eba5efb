"""A self-signed loopback certificate, generated at run time (nothing secret ships).

The Graph side serves HTTPS with it, and the identity provider (identity.py) reuses it: MSAL
refuses a plain-http authority. The client trusts it by pointing ``verify`` at ``cert_path``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class CertPair:
    """PEM files on disk: ``cert_path`` doubles as the CA bundle a client verifies against."""

    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.cert_path), str(self.key_path))
        return ctx


def generate(hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) valid for ``hosts`` for one day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Simulated tenant (loopback)")])
    alt: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def write_pair(directory: str | Path | None = None) -> CertPair:
    """Generate a pair into ``directory`` (a fresh temporary one by default)."""
    folder = Path(directory or tempfile.mkdtemp(prefix="scanner-sim-tls-"))
    folder.mkdir(parents=True, exist_ok=True)
    cert_pem, key_pem = generate()
    pair = CertPair(folder / "loopback-cert.pem", folder / "loopback-key.pem")
    pair.cert_path.write_bytes(cert_pem)
    pair.key_path.write_bytes(key_pem)
    pair.key_path.chmod(0o600)
    return pair
