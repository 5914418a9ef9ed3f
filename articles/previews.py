"""Preview links for outside readers: a random token, signed so that a tampered address fails before
any database work, stored so that it can expire and be revoked."""

from django.core import signing

SALT = "articles.preview-link"


def sign_token(token: str) -> str:
    return signing.Signer(salt=SALT).sign(token)


def unsign_token(signed: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(signed)
    except signing.BadSignature:
        return None
