"""One-time codes: their shape, and a keyed hash that ignores how the code was typed."""

from __future__ import annotations

import re

from django.test import override_settings

from coproduce.common.onetime import CODE_ALPHABET, hash_secret, new_secret


def test_a_new_code_is_groups_of_four_without_look_alike_characters() -> None:
    codes = {new_secret() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert not set("01IO") & set(CODE_ALPHABET)
    assert len(new_secret(groups=2)) == 9


def test_the_hash_ignores_case_spaces_and_dashes_but_not_the_characters() -> None:
    assert hash_secret("ABCD-EFGH-JKLM") == hash_secret(" abcd efgh jklm ")
    assert hash_secret("ABCD-EFGH-JKLM") == hash_secret("ABCDEFGHJKLM")
    assert hash_secret("ABCD-EFGH-JKLM") != hash_secret("ABCD-EFGH-JKLN")
    assert len(hash_secret("ABCD")) == 64


def test_the_hash_is_keyed_with_the_secret_key() -> None:
    with override_settings(SECRET_KEY="one secret key that is long enough for the test"):
        first = hash_secret("ABCD-EFGH-JKLM")
    with override_settings(SECRET_KEY="another secret key that is long enough for it"):
        second = hash_secret("ABCD-EFGH-JKLM")
    assert first != second
