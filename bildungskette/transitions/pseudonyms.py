"""Pseudonyms and the school's name key.

A pseudonym is a keyed hash of the class-list identity, so re-importing the same list yields the
same pseudonyms and nothing about the person can be read from it. Real names, when a school
switches them on, are encrypted with a key derived for that school only (HKDF over the
installation secret): a database dump alone does not reveal them, and no other school's key
opens them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: pseudonyms are read aloud and typed


def _master_secret() -> bytes:
    # A separate key can be set so rotating DJANGO_SECRET_KEY does not lock the names away.
    secret = os.environ.get("BILDUNGSKETTE_TRANSITIONS_KEY") or settings.SECRET_KEY
    return secret.encode("utf-8")


def _derive(info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"bildungskette-transitions",
                info=info.encode("utf-8")).derive(_master_secret())


def school_key(school_id: int) -> bytes:
    return _derive(f"school-names-{school_id}")


def source_key(school_id: int, identity: str) -> str:
    """Keyed hash of a class-list identity (e.g. 'Nachname|Vorname|Geburtsdatum' or a school's own id)."""
    normalised = " ".join(identity.casefold().split())
    return hmac.new(_derive(f"school-identity-{school_id}"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym_from_key(key_hex: str, length: int = 8) -> str:
    number = int(key_hex, 16)
    chars = []
    for _ in range(length):
        number, rest = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[rest])
    return "S-" + "".join(chars)


def name_encrypt(school_id: int, text: str) -> str:
    if not text:
        return ""
    fernet = Fernet(base64.urlsafe_b64encode(school_key(school_id)))
    return fernet.encrypt(text.encode("utf-8")).decode("ascii")


def name_decrypt(school_id: int, token: str) -> str:
    if not token:
        return ""
    fernet = Fernet(base64.urlsafe_b64encode(school_key(school_id)))
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return ""
