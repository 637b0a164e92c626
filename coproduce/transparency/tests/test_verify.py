"""The stand-alone verifier's Merkle tree against RFC 9162's definitions, and its signatures."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from coproduce.transparency import verify


def _leaves(n: int) -> list[bytes]:
    return [verify.leaf_hash(hashlib.sha256(str(i).encode()).hexdigest()) for i in range(n)]


def _mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 2.1.1 defines it (recursive, split at the largest power of
    two below n)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return verify.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


@pytest.mark.parametrize("n", range(0, 40))
def test_the_root_is_rfc_9162s(n: int) -> None:
    assert verify.root(_leaves(n)) == _mth(_leaves(n))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 13, 32, 33])
def test_every_leaf_has_an_inclusion_proof_that_verifies(n: int) -> None:
    leaves = _leaves(n)
    root = verify.root(leaves)
    for index, leaf in enumerate(leaves):
        verify.verify_inclusion(index, n, leaf, verify.inclusion_path(index, leaves), root)


def test_an_inclusion_proof_fails_for_another_leaf_index_or_root() -> None:
    leaves = _leaves(11)
    root, path = verify.root(leaves), verify.inclusion_path(6, leaves)
    with pytest.raises(verify.VerificationError):
        verify.verify_inclusion(6, 11, leaves[5], path, root)
    with pytest.raises(verify.VerificationError):
        verify.verify_inclusion(5, 11, leaves[6], path, root)
    with pytest.raises(verify.VerificationError):
        verify.verify_inclusion(6, 11, leaves[6], path, verify.root(leaves[:10]))
    with pytest.raises(verify.VerificationError):
        verify.verify_inclusion(6, 11, leaves[6], path[:-1], root)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6, 7, 8, 9, 16, 21])
def test_every_earlier_tree_has_a_consistency_proof_that_verifies(n: int) -> None:
    leaves = _leaves(n)
    for m in range(0, n + 1):
        verify.verify_consistency(
            m, n, verify.root(leaves[:m]), verify.root(leaves), verify.consistency_path(m, leaves)
        )


def test_a_consistency_proof_fails_when_the_earlier_tree_was_changed() -> None:
    leaves = _leaves(10)
    changed = [*leaves[:3], verify.leaf_hash("ab" * 32), *leaves[4:]]
    path = verify.consistency_path(6, changed)
    with pytest.raises(verify.VerificationError):
        verify.verify_consistency(6, 10, verify.root(leaves[:6]), verify.root(changed), path)
    with pytest.raises(verify.VerificationError):
        verify.verify_consistency(6, 10, verify.root(leaves[:6]), verify.root(leaves), [])


def test_a_signed_tree_head_verifies_with_its_key_only() -> None:
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    timestamp, root_hash = "2026-01-01T00:00:00.000000+00:00", "ab" * 32
    sth = {"tree_size": 3, "timestamp": timestamp, "root_hash": root_hash}
    message = verify.sth_message(3, timestamp, root_hash)
    signed = {**sth, "signature": base64.b64encode(key.sign(message)).decode()}
    verify.verify_sth(signed, public.decode())
    with pytest.raises(verify.VerificationError):
        verify.verify_sth({**signed, "tree_size": 4}, public.decode())
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with pytest.raises(verify.VerificationError):
        verify.verify_sth(signed, base64.b64encode(other).decode())


def test_canonical_content_sorts_keys_and_has_no_spaces() -> None:
    assert verify.canonical({"b": 1, "a": ["x", "ŵ"]}) == '{"a":["x","ŵ"],"b":1}'
