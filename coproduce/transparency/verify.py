"""Check the public ledger without trusting the site: a single file, Python's standard library and
``cryptography`` only (no Django), so anyone can copy it and run it.

    python -m coproduce.transparency.verify proof https://example.org/ledger/proof/12
    python -m coproduce.transparency.verify consistency "https://example.org/ledger/consistency?from=10&to=40"
    python -m coproduce.transparency.verify sth https://example.org/ledger/sth --key https://example.org/ledger/key
    python -m coproduce.transparency.verify ledger https://example.org/data/ledger.jsonl --key https://example.org/ledger/key

Each argument is a web address or a file holding the JSON the site served. ``proof`` checks that
an entry is in the tree the signed tree head describes (and, when the entry's content is given,
that it hashes to the recorded digest); ``consistency`` that a later tree extends an earlier one
without changing it; ``sth`` that the tree head was signed by the key; ``ledger`` re-computes
every entry's hash, the chain and the root hash of a whole export (/data/ledger.jsonl) and checks
them against the signed tree head on its last line. Exit status 0 means every check passed; 1 names
the first that failed (for ``ledger``, the first bad line).

The hashes are those of RFC 9162 (Certificate Transparency 2.0), section 2.1: a leaf is
SHA-256(0x00 || entry hash), a node SHA-256(0x01 || left || right). The site uses the same
functions to build what it serves (docs/ledger.md, docs/decisions/0027-public-ledger.md).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry
STH_PREFIX = b"coproduce-ledger-sth-v1\n"


class VerificationError(Exception):
    """A check failed; the message says which and why."""


# --- Canonical content and entry hashes --------------------------------------------------------


def canonical(value: Any) -> str:
    """Sorted keys, no spaces, non-ASCII kept: the one text of a record's content."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def content_digest(content: Any) -> str:
    """The SHA-256 of a record's canonical content, in hex."""
    return sha256_hex(canonical(content))


def entry_hash(
    *,
    seq: int,
    type: str,
    key: str,
    content_sha256: str,
    prev: str,
    at: str,
    corrects: int | None,
) -> str:
    """An entry's own hash: it covers every field, the previous entry's hash among them."""
    return sha256_hex(
        canonical(
            {
                "at": at,
                "content_sha256": content_sha256,
                "corrects": corrects,
                "key": key,
                "prev": prev,
                "seq": seq,
                "type": type,
            }
        )
    )


# --- The Merkle tree of RFC 9162 ---------------------------------------------------------------


def leaf_hash(entry_hash_hex: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash_hex)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of leaf hashes; the hash of the empty string for no leaves."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = list(leaves)
    # Bottom-up pairing gives the same tree as the RFC's left-heavy split: an odd node moves up.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf ``index``."""
    n = len(leaves)
    if n <= 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_path(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_path(index - k, leaves[k:]), root(leaves[:k])]


def consistency_path(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): that the tree of the first ``first`` leaves is a prefix of this one."""
    if first <= 0 or first >= len(leaves):
        return []
    return _subproof(first, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes
) -> None:
    """RFC 9162 2.1.3.2; raises VerificationError when the proof does not hold."""
    if index >= size or index < 0:
        raise VerificationError("The leaf index is outside the tree.")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise VerificationError("The audit path is longer than the tree allows.")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0 or r != root_hash:
        raise VerificationError("The audit path does not lead to the tree head's root hash.")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> None:
    """RFC 9162 2.1.4.2; raises VerificationError when the proof does not hold."""
    if first < 0 or first > second:
        raise VerificationError("The first tree must not be larger than the second.")
    if first == second:
        if path or first_root != second_root:
            raise VerificationError("Two trees of one size must have the same root hash.")
        return
    if first == 0:
        if path:
            raise VerificationError("An empty tree needs no proof.")
        return
    if not path:
        raise VerificationError("The consistency path is empty.")
    items = list(path)
    if first & (first - 1) == 0:
        items.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = items[0]
    for c in items[1:]:
        if sn == 0:
            raise VerificationError("The consistency path is longer than the trees allow.")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != first_root or sr != second_root:
        raise VerificationError("The consistency path does not lead to both root hashes.")


class RootBuilder:
    """The root hash of leaves given one at a time, in O(log n) memory: the complete subtrees of
    sizes 2^a > 2^b > … (the binary digits of the count), folded from the right, are MTH(D[n])."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash) of complete subtrees

    def add(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            node = node_hash(self._stack.pop()[1], node)
            height += 1
        self._stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        result = self._stack[-1][1]
        for _height, node in reversed(self._stack[:-1]):
            result = node_hash(node, result)
        return result


# --- Signed tree heads -------------------------------------------------------------------------


def sth_message(tree_size: int, timestamp: str, root_hash_hex: str) -> bytes:
    """What the site signs: a fixed prefix and the tree head's fields, one a line."""
    return STH_PREFIX + f"{tree_size}\n{timestamp}\n{root_hash_hex}\n".encode()


def verify_sth(sth: dict[str, Any], public_key_b64: str) -> None:
    """Check the Ed25519 signature of a signed tree head with the site's public key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        signature = base64.b64decode(sth["signature"], validate=True)
        message = sth_message(int(sth["tree_size"]), str(sth["timestamp"]), str(sth["root_hash"]))
        key.verify(signature, message)
    except (InvalidSignature, ValueError, KeyError, TypeError) as error:
        raise VerificationError("The tree head's signature does not match the key.") from error


def _hex(value: Any, what: str) -> bytes:
    try:
        data = bytes.fromhex(str(value))
    except ValueError:
        raise VerificationError(f"{what} is not hexadecimal.") from None
    if len(data) != 32:
        raise VerificationError(f"{what} is not a SHA-256 hash.")
    return data


def check_proof(proof: dict[str, Any], public_key_b64: str | None = None) -> str:
    """Check an inclusion proof as /ledger/proof/<seq> serves it; return a one-line summary."""
    entry, sth = proof["entry"], proof["sth"]
    if "content" in entry and content_digest(entry["content"]) != entry["content_sha256"]:
        raise VerificationError("The content does not hash to the recorded digest.")
    recomputed = entry_hash(
        seq=entry["seq"],
        type=entry["type"],
        key=entry["key"],
        content_sha256=entry["content_sha256"],
        prev=entry["prev"],
        at=entry["at"],
        corrects=entry["corrects"],
    )
    if recomputed != entry["hash"]:
        raise VerificationError("The entry's fields do not hash to its hash.")
    if proof["leaf_index"] != entry["seq"] - 1 or proof["tree_size"] != sth["tree_size"]:
        raise VerificationError("The proof is not about this entry in this tree.")
    verify_inclusion(
        int(proof["leaf_index"]),
        int(proof["tree_size"]),
        leaf_hash(entry["hash"]),
        [_hex(p, "A hash of the audit path") for p in proof["inclusion_path"]],
        _hex(sth["root_hash"], "The root hash"),
    )
    if public_key_b64 is not None:
        verify_sth(sth, public_key_b64)
    return f"Entry {entry['seq']} is in the ledger of {sth['tree_size']} entries."


def check_consistency(proof: dict[str, Any], public_key_b64: str | None = None) -> str:
    """Check a consistency proof as /ledger/consistency serves it; return a one-line summary."""
    first, second = proof["first"], proof["second"]
    verify_consistency(
        int(first["tree_size"]),
        int(second["tree_size"]),
        _hex(first["root_hash"], "The first root hash"),
        _hex(second["root_hash"], "The second root hash"),
        [_hex(p, "A hash of the consistency path") for p in proof["consistency_path"]],
    )
    if public_key_b64 is not None:
        verify_sth(first, public_key_b64)
        verify_sth(second, public_key_b64)
    return (
        f"The ledger of {second['tree_size']} entries extends the ledger of "
        f"{first['tree_size']} entries without changing it."
    )


# --- A whole exported ledger (JSON Lines) -----------------------------------------------------

EXPORT_FORMAT = "coproduce-ledger-export-v1"


class LineError(VerificationError):
    """A check failed on one line of an export."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def check_export(lines: Iterable[str], public_key_b64: str | None = None) -> str:
    """Check an export as /data/ledger.jsonl serves it: a header line, one line per entry from
    entry 1, and the signed tree head on the last line. Re-computes each content digest (where the
    content is public), each entry's hash, the chain and the root hash; raises LineError naming
    the first line that does not hold."""
    previous, expected = GENESIS, 1
    newest: dict[tuple[str, str], int] = {}
    tree = RootBuilder()
    last_at, sth, number = "", None, 0
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if sth is not None:
            raise LineError(number, "there is more after the signed tree head.")
        try:
            data = json.loads(text)
        except ValueError:
            raise LineError(number, "this is not a line of JSON.") from None
        if not isinstance(data, dict):
            raise LineError(number, "this is not a JSON object.")
        if number == 1:
            if data.get("format") != EXPORT_FORMAT:
                raise LineError(number, f"the first line must name the format {EXPORT_FORMAT}.")
            continue
        if "sth" in data:
            sth = data["sth"]
            continue
        try:
            seq = int(data["seq"])
            if seq != expected:
                raise LineError(
                    number,
                    f"entry {expected} should come next, not entry {seq}: "
                    "an entry is missing, or the lines were reordered.",
                )
            if "content" in data and content_digest(data["content"]) != data["content_sha256"]:
                raise LineError(number, "the content does not hash to the recorded digest.")
            if data["prev"] != previous:
                raise LineError(number, "the chain is broken (the previous hash differs).")
            recomputed = entry_hash(
                seq=seq,
                type=str(data["type"]),
                key=str(data["key"]),
                content_sha256=str(data["content_sha256"]),
                prev=str(data["prev"]),
                at=str(data["at"]),
                corrects=data["corrects"],
            )
            if recomputed != data["hash"]:
                raise LineError(number, "the entry's fields do not hash to its hash.")
            record = (str(data["type"]), str(data["key"]))
            if data["corrects"] is not None and newest.get(record) != data["corrects"]:
                raise LineError(number, "it corrects an entry of another record.")
            _hex(data["hash"], "The entry's hash")
            tree.add(leaf_hash(str(data["hash"])))
        except (KeyError, TypeError, ValueError) as error:
            raise LineError(number, f"the entry is incomplete or malformed ({error}).") from None
        newest[record] = seq
        previous, last_at, expected = data["hash"], str(data["at"]), expected + 1
    if number == 0:
        raise LineError(1, "the export is empty.")
    if sth is None:
        raise LineError(number + 1, "the signed tree head is missing from the end.")
    try:
        size, root_hex = int(sth["tree_size"]), str(sth["root_hash"])
    except (KeyError, TypeError, ValueError):
        raise LineError(number, "the signed tree head is malformed.") from None
    if size != tree.size:
        raise LineError(
            number, f"the tree head is of {size} entries but the export holds {tree.size}."
        )
    if root_hex != tree.root().hex():
        raise LineError(number, "the entries do not give the tree head's root hash.")
    if str(sth.get("timestamp", "")) != last_at:
        raise LineError(number, "the tree head's time is not the last entry's.")
    if public_key_b64 is not None:
        try:
            verify_sth(sth, public_key_b64)
        except VerificationError as error:
            raise LineError(number, str(error)) from None
    return f"The export holds the whole ledger of {size} entries, unchanged."


def lines_of(source: str) -> Iterator[str]:
    """The lines of a web address or a file, read as they come (an export can be large)."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source)  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            for raw in response:
                yield raw.decode("utf-8")
        return
    with open(source, encoding="utf-8") as file:
        yield from file


# --- Command line ------------------------------------------------------------------------------


def load(source: str) -> dict[str, Any]:
    """JSON from a web address or a file."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            data: dict[str, Any] = json.loads(response.read().decode())
            return data
    with open(source, encoding="utf-8") as file:
        loaded: dict[str, Any] = json.load(file)
        return loaded


def _key(source: str | None) -> str | None:
    if source is None:
        return None
    if source.startswith(("http://", "https://")) or source.endswith(".json"):
        return str(load(source)["public_key"])
    return source  # the key itself, in base64


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coproduce.transparency.verify",
        description="Check the public ledger's proofs, signed tree heads and exports.",
    )
    parser.add_argument("what", choices=["proof", "consistency", "sth", "ledger"])
    parser.add_argument(
        "source", help="a web address or a file the site served (JSON; JSON Lines for ledger)"
    )
    parser.add_argument(
        "--key", help="the public key: base64, or the address or file of /ledger/key"
    )
    args = parser.parse_args(argv)
    try:
        key = _key(args.key)
        if args.what == "ledger":
            print(check_export(lines_of(args.source), key))
            if key is None:
                print("(The tree head's signature was not checked: give --key to check it.)")
            return 0
        data = load(args.source)
        if args.what == "proof":
            print(check_proof(data, key))
        elif args.what == "consistency":
            print(check_consistency(data, key))
        else:
            if key is None:
                raise VerificationError("Give the public key with --key.")
            verify_sth(data, key)
            print(f"The tree head of {data['tree_size']} entries is signed by this key.")
    except (VerificationError, KeyError, TypeError, ValueError, OSError) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    if key is None and args.what != "sth":
        print("(The tree head's signature was not checked: give --key to check it.)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
