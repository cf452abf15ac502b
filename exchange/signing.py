"""Ed25519 keys and signatures of the exchange (docs/exchange-protocol.md).

A member signs each batch's exact bytes with its private key; the hub verifies them with the
public key its registry holds for that member. Public keys are written ``ed25519:`` followed
by the 32 raw bytes in base64, one short line to copy into the hub's registry.
"""

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

PUBLIC_KEY_PREFIX = "ed25519:"


class PublicKeyError(ValueError):
    """A public key that is not one (bad prefix, base64 or length)."""


def generate_private_key(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path`` as unencrypted PEM, readable by its owner only; an
    existing file is never overwritten."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return PUBLIC_KEY_PREFIX + base64.b64encode(raw).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    text = text.strip()
    if not text.startswith(PUBLIC_KEY_PREFIX):
        raise PublicKeyError(f"a public key starts with {PUBLIC_KEY_PREFIX}")
    try:
        raw = base64.b64decode(text[len(PUBLIC_KEY_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise PublicKeyError("the key is not valid base64") from None
    if len(raw) != 32:
        raise PublicKeyError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(key: Ed25519PrivateKey, body: bytes) -> str:
    return base64.b64encode(key.sign(body)).decode()


def verify(registered_key: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is the registered key's signature of ``body``."""
    try:
        public = parse_public_key(registered_key)
        public.verify(base64.b64decode(signature, validate=True), body)
    except (PublicKeyError, InvalidSignature, binascii.Error, ValueError):
        return False
    return True
