"""Personal data: normalising, masking, and encryption at rest.

Phones are stored as E.164 (+8613812345678); ID numbers are Fernet-encrypted with a key derived
from FIELD_ENCRYPTION_KEY. Masking shows just enough to recognise a person on the phone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"


def normalise_phone(raw: str) -> str:
    """'138 1234 5678', '+86-138-1234-5678' → '+8613812345678'; raises ValidationError if invalid."""
    try:
        number = phonenumbers.parse(str(raw).strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("手机号格式不正确：%(raw)s"), params={"raw": raw}, code="bad_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("手机号无效：%(raw)s"), params={"raw": raw}, code="bad_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(e164: str) -> str:
    """'+8613812345678' → '13812345678' (what staff dial and type)."""
    if not e164:
        return ""
    return str(phonenumbers.parse(e164, DEFAULT_REGION).national_number)


def mask_phone(e164: str) -> str:
    national = national_phone(e164)
    if len(national) < 8:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"


def mask_id_number(id_number: str) -> str:
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_id_number(raw: str) -> str:
    """A mainland resident ID (18 characters, GB 11643 check digit); raises ValidationError."""
    value = str(raw).strip().upper()
    if len(value) != 18 or not value[:17].isdigit():
        raise ValidationError(_("身份证号应为18位"), code="bad_id_number")
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11]
    if value[17] != check:
        raise ValidationError(_("身份证号校验位不正确"), code="bad_id_number")
    return value


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def encrypt(plain: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("ID number cannot be decrypted: wrong GUANJIA_FIELD_KEY?") from None


def blind_index(plain: str) -> str:
    """A keyed digest: lets us find a duplicate ID number without storing it in clear."""
    return hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), plain.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
