"""Tests of ledger.merkle against a naive RFC 9162 reference and published vectors."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import merkle
from ledger.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    MissingNodeError,
    NodeAddress,
    append_leaves,
    consistency_addresses,
    consistency_proof,
    inclusion_addresses,
    inclusion_proof,
    leaf_hash,
    node_hash,
    nodes_completed_by_append,
    root,
    root_addresses,
    root_from_inclusion_proof,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors"

# ---------------------------------------------------------------------------------------------------------
# Reference: RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF, transcribed literally.
# ---------------------------------------------------------------------------------------------------------


def _k(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: Sequence[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def ref_proof(m: int, d: Sequence[bytes]) -> list[bytes]:
    return ref_subproof(m, d, True)


# ---------------------------------------------------------------------------------------------------------
# Fixtures: one long log whose prefixes are all the trees under test.
# ---------------------------------------------------------------------------------------------------------

BIG = 4100
DATA = [b"leaf-%d" % i for i in range(BIG)]
TREE = MemoryTree()
for _item in DATA:
    TREE.append(_item)
SMALL = 64
REF_ROOTS = [ref_mth(DATA[:n]) for n in range(SMALL + 2)]
REF_LEAVES = [leaf_hash(d) for d in DATA]


class CountingFetcher:
    """A NodeFetcher that records every call, to prove one round trip of O(log n) complete nodes."""

    def __init__(self, nodes: Mapping[NodeAddress, bytes]) -> None:
        self.nodes = nodes
        self.calls: list[list[NodeAddress]] = []

    def __call__(self, addresses: Iterable[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        requested = list(addresses)
        self.calls.append(requested)
        return {address: self.nodes[address] for address in requested if address in self.nodes}


def flip(value: bytes, bit: int) -> bytes:
    bit %= len(value) * 8
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def assert_fetch_is_logarithmic(fetcher: CountingFetcher, size: int) -> None:
    assert len(fetcher.calls) <= 1
    requested = fetcher.calls[0] if fetcher.calls else []
    assert len(requested) == len(set(requested))
    assert len(requested) <= 2 * size.bit_length()
    for level, index in requested:
        assert (index + 1) << level <= size, "asked for a node that is not complete at this size"


# ---------------------------------------------------------------------------------------------------------
# Hashing and roots.
# ---------------------------------------------------------------------------------------------------------


def load(name: str) -> object:
    return json.loads((VECTORS / name).read_text())


def test_hashes_match_published_rfc6962_hasher_vectors() -> None:
    tree = load("rfc6962_tree.json")
    assert isinstance(tree, dict)
    hasher = tree["hasher"]
    assert EMPTY_ROOT.hex() == hasher["empty_root"] == root_from_leaves([]).hex()
    assert leaf_hash(bytes.fromhex(hasher["leaf_data"])).hex() == hasher["leaf_hash"]
    left, right = bytes.fromhex(hasher["node_left"]), bytes.fromhex(hasher["node_right"])
    assert node_hash(left, right).hex() == hasher["node_hash"]


def test_published_eight_leaf_tree_nodes_and_roots() -> None:
    tree = load("rfc6962_tree.json")
    assert isinstance(tree, dict)
    leaves = [bytes.fromhex(x) for x in tree["leaves"]]
    memory = MemoryTree()
    for leaf in leaves:
        memory.append(leaf)
    expected_nodes = {
        (level, index): bytes.fromhex(value)
        for level, row in enumerate(tree["node_hashes_by_level"])
        for index, value in enumerate(row)
    }
    assert dict(memory.nodes) == expected_nodes
    for size, expected in enumerate(tree["root_by_size"]):
        assert memory.root(size).hex() == expected
        assert root_from_leaves([leaf_hash(x) for x in leaves[:size]]).hex() == expected
        assert ref_mth(leaves[:size]).hex() == expected


@pytest.mark.parametrize("size", [*range(SMALL + 2), 127, 128, 129, 1000, 1023, 1024, 1025, BIG])
def test_roots_match_reference(size: int) -> None:
    expected = REF_ROOTS[size] if size < len(REF_ROOTS) else ref_mth(DATA[:size])
    assert root_from_leaves(REF_LEAVES[:size]) == expected
    fetcher = CountingFetcher(TREE.nodes)
    assert root(size, fetcher) == expected
    assert fetcher.calls == ([root_addresses(size)] if size else [])
    assert len(root_addresses(size)) == bin(size).count("1")
    assert_fetch_is_logarithmic(fetcher, max(size, 1))


def test_store_holds_exactly_the_complete_subtrees() -> None:
    for size in range(SMALL + 1):
        tree = MemoryTree([leaf_hash(d) for d in DATA[:size]])
        expected = {(level, k) for level in range(8) for k in range(size >> level)}
        assert set(tree.nodes) == expected
        for (level, k), value in tree.nodes.items():
            assert value == ref_mth(DATA[k << level : (k + 1) << level])


# ---------------------------------------------------------------------------------------------------------
# Appending.
# ---------------------------------------------------------------------------------------------------------


def test_nodes_completed_by_append_reads_only_left_siblings() -> None:
    store: dict[NodeAddress, bytes] = {}
    for index in range(300):
        fetcher = CountingFetcher(store)
        completed = nodes_completed_by_append(index, REF_LEAVES[index], fetcher)
        trailing_ones = (index ^ (index + 1)).bit_length() - 1
        assert [(level, k) for level, k, _ in completed] == [
            (level, index >> level) for level in range(trailing_ones + 1)
        ]
        expected_reads = [(level, (index >> level) - 1) for level in range(trailing_ones)]
        assert fetcher.calls == ([expected_reads] if expected_reads else [])
        for level, k, value in completed:
            store[(level, k)] = value
    assert store == dict(MemoryTree(REF_LEAVES[:300]).nodes)


def test_append_leaves_batches_equal_single_appends() -> None:
    rng = random.Random(6962)
    expected = dict(MemoryTree(REF_LEAVES[:1500]).nodes)
    for _ in range(20):
        store: dict[NodeAddress, bytes] = {}
        position = 0
        while position < 1500:
            count = min(rng.choice([1, 2, 3, 7, 8, 64, 100, 255, 256, 513]), 1500 - position)
            fetcher = CountingFetcher(store)
            completed = append_leaves(position, REF_LEAVES[position : position + count], fetcher)
            assert len(fetcher.calls) <= 1
            reads = fetcher.calls[0] if fetcher.calls else []
            assert set(reads) <= set(root_addresses(position))
            for level, k, value in completed:
                assert (level, k) not in store
                store[(level, k)] = value
            position += count
        assert store == expected
    assert append_leaves(5, [], CountingFetcher({})) == []


def test_append_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        append_leaves(-1, [REF_LEAVES[0]], TREE.fetch)
    with pytest.raises(ValueError):
        append_leaves(0, [b"short"], TREE.fetch)
    with pytest.raises(MissingNodeError):
        append_leaves(3, [REF_LEAVES[3]], CountingFetcher({}))


def test_memory_tree_batches_and_accessors() -> None:
    tree = MemoryTree()
    tree.extend(REF_LEAVES[:10])
    assert tree.append(DATA[10]) == 10
    assert tree.append_leaf_hash(REF_LEAVES[11]) == 11
    assert tree.size == 12
    assert tree.root() == ref_mth(DATA[:12])
    assert tree.leaf_hash(11) == REF_LEAVES[11]
    assert tree.inclusion_proof(3) == ref_path(3, DATA[:12])
    assert tree.consistency_proof(5) == ref_proof(5, DATA[:12])
    with pytest.raises(IndexError):
        tree.leaf_hash(12)
    with pytest.raises(ValueError):
        tree.root(13)
    with pytest.raises(ValueError):
        tree.inclusion_proof(0, 13)


# ---------------------------------------------------------------------------------------------------------
# Inclusion proofs.
# ---------------------------------------------------------------------------------------------------------


def check_inclusion(index: int, size: int, tree_root: bytes, expected: list[bytes]) -> None:
    fetcher = CountingFetcher(TREE.nodes)
    proof = inclusion_proof(index, size, fetcher)
    assert proof == expected
    assert_fetch_is_logarithmic(fetcher, size)
    assert (fetcher.calls[0] if fetcher.calls else []) == inclusion_addresses(index, size)
    leaf = REF_LEAVES[index]
    assert verify_inclusion(index, size, leaf, proof, tree_root)
    assert root_from_inclusion_proof(index, size, leaf, proof) == tree_root
    assert verify_inclusion(index, size, leaf, tuple(proof), tree_root)

    for position in range(len(proof)):
        tampered = [*proof]
        tampered[position] = flip(proof[position], index * 7 + position)
        assert not verify_inclusion(index, size, leaf, tampered, tree_root)
    assert not verify_inclusion(index, size, flip(leaf, size), proof, tree_root)
    assert not verify_inclusion(index, size, leaf, proof, flip(tree_root, index))
    if proof:
        assert not verify_inclusion(index, size, leaf, proof[:-1], tree_root)
        assert not verify_inclusion(index, size, leaf, proof[1:], tree_root)
        assert not verify_inclusion(index, size, leaf, [*proof[:-1], proof[-1][:31]], tree_root)
    assert not verify_inclusion(index, size, leaf, [*proof, REF_LEAVES[0]], tree_root)
    assert not verify_inclusion(index, size, leaf, [REF_LEAVES[0], *proof], tree_root)
    assert not verify_inclusion(index, size, leaf, [*proof, tree_root], tree_root)
    # Wrong index: a leaf has exactly one position, so every other index fails.
    for other in {index - 1, index + 1, index ^ 1, size - 1 - index, 0, size - 1, size, size + 5}:
        if other != index:
            assert not verify_inclusion(other, size, leaf, proof, tree_root)
    # Wrong size, with that size's real root: accepted only where RFC 9162 gives the very same path.
    for other_size in (size - 1, size + 1, 2 * size):
        if 0 < other_size <= BIG and index < other_size:
            other_root = REF_ROOTS[other_size] if other_size < len(REF_ROOTS) else TREE.root(other_size)
            same_path = ref_path(index, DATA[:other_size]) == proof
            assert verify_inclusion(index, other_size, leaf, proof, other_root) == same_path
    assert not verify_inclusion(index, 0, leaf, proof, EMPTY_ROOT)


@pytest.mark.parametrize("size", range(1, SMALL + 1))
def test_every_inclusion_proof_up_to_64_matches_reference(size: int) -> None:
    for index in range(size):
        check_inclusion(index, size, REF_ROOTS[size], ref_path(index, DATA[:size]))


def test_random_large_inclusion_proofs_match_reference() -> None:
    rng = random.Random(9162)
    sizes = [65, 100, 127, 128, 129, 255, 256, 257, 1000, 1024, 1025, 2047, 2048, 2049, BIG]
    sizes += [rng.randrange(65, BIG + 1) for _ in range(25)]
    for size in sizes:
        data = DATA[:size]
        tree_root = ref_mth(data)
        for index in {0, size - 1, rng.randrange(size), rng.randrange(size)}:
            check_inclusion(index, size, tree_root, ref_path(index, data))


def test_inclusion_proof_rejects_bad_parameters() -> None:
    for index, size in [(0, 0), (5, 5), (6, 5), (-1, 5)]:
        with pytest.raises(ValueError):
            inclusion_proof(index, size, TREE.fetch)
        with pytest.raises(ValueError):
            root_from_inclusion_proof(index, size, REF_LEAVES[0], [])
    with pytest.raises(MissingNodeError) as caught:
        inclusion_proof(0, BIG * 2, TREE.fetch)
    assert caught.value.address in inclusion_addresses(0, BIG * 2)
    assert isinstance(caught.value, KeyError) and str(caught.value).startswith("Merkle node (level=")
    with pytest.raises(ValueError):
        root_addresses(-1)


# ---------------------------------------------------------------------------------------------------------
# Consistency proofs.
# ---------------------------------------------------------------------------------------------------------


def tree_root_of(size: int) -> bytes:
    return REF_ROOTS[size] if size < len(REF_ROOTS) else TREE.root(size)


def check_consistency(first: int, second: int, expected: list[bytes]) -> None:
    fetcher = CountingFetcher(TREE.nodes)
    proof = consistency_proof(first, second, fetcher)
    assert proof == expected
    assert_fetch_is_logarithmic(fetcher, second)
    assert (fetcher.calls[0] if fetcher.calls else []) == consistency_addresses(first, second)
    r1, r2 = tree_root_of(first), tree_root_of(second)
    assert verify_consistency(first, second, r1, r2, proof)
    assert verify_consistency(first, second, r1, r2, tuple(proof))

    for position in range(len(proof)):
        tampered = [*proof]
        tampered[position] = flip(proof[position], first * 5 + position)
        assert not verify_consistency(first, second, r1, r2, tampered)
    assert not verify_consistency(first, second, flip(r1, second), r2, proof)
    assert not verify_consistency(first, second, r1, flip(r2, first), proof)
    if first != second:
        assert not verify_consistency(first, second, r2, r1, proof)
        assert not verify_consistency(first, second, r1, r2, proof[:-1])
        assert not verify_consistency(first, second, r1, r2, proof[1:])
    assert not verify_consistency(first, second, r1, r2, [*proof, r1])
    assert not verify_consistency(first, second, r1, r2, [r2, *proof])
    # Other sizes, with their real roots: accepted only where RFC 9162 gives the very same proof.
    for other_first, other_second in [
        (first - 1, second),
        (first + 1, second),
        (first, second - 1),
        (first, second + 1),
        (first, 2 * second),
    ]:
        if 0 < other_first <= other_second <= BIG and (other_first, other_second) != (first, second):
            same = ref_proof(other_first, DATA[:other_second]) == proof
            result = verify_consistency(
                other_first, other_second, tree_root_of(other_first), tree_root_of(other_second), proof
            )
            assert result == same
    assert not verify_consistency(0, second, EMPTY_ROOT, r2, proof)
    assert not verify_consistency(second + 1, second, r2, r2, proof)


@pytest.mark.parametrize("second", range(1, SMALL + 1))
def test_every_consistency_proof_up_to_64_matches_reference(second: int) -> None:
    for first in range(1, second + 1):
        check_consistency(first, second, ref_proof(first, DATA[:second]))


def test_random_large_consistency_proofs_match_reference() -> None:
    rng = random.Random(6962)
    pairs = [(1, BIG), (BIG, BIG), (BIG - 1, BIG), (1024, 1025), (1023, 2049), (64, 4096), (2048, 4099)]
    for _ in range(25):
        second = rng.randrange(65, BIG + 1)
        pairs.append((rng.randrange(1, second + 1), second))
    for first, second in pairs:
        check_consistency(first, second, ref_proof(first, DATA[:second]))


def test_consistency_proof_rejects_bad_parameters() -> None:
    for first, second in [(0, 5), (0, 0), (6, 5), (-1, 5)]:
        with pytest.raises(ValueError):
            consistency_proof(first, second, TREE.fetch)
    assert consistency_proof(7, 7, CountingFetcher({})) == []


@pytest.mark.parametrize("size", [2**20, 10**6, 2**40 - 1, 10**12 + 7, 2**63 + 12345])
def test_address_counts_stay_logarithmic_for_huge_trees(size: int) -> None:
    rng = random.Random(size)
    for index in [0, 1, size // 2, size - 2, size - 1, *(rng.randrange(size) for _ in range(50))]:
        addresses = inclusion_addresses(index, size)
        assert len(addresses) == len(set(addresses)) <= 2 * size.bit_length()
        assert all((k + 1) << level <= size for level, k in addresses)
        first = index + 1
        addresses = consistency_addresses(first, size)
        assert len(addresses) == len(set(addresses)) <= 2 * size.bit_length()
        assert all((k + 1) << level <= size for level, k in addresses)
    assert len(root_addresses(size)) == bin(size).count("1")


# ---------------------------------------------------------------------------------------------------------
# Published transparency-dev/merkle probes.
# ---------------------------------------------------------------------------------------------------------


def _hashes_ok(*values: bytes) -> bool:
    return all(len(value) == 32 for value in values)


def test_published_inclusion_probes() -> None:
    probes = load("transparency_dev_inclusion.json")
    assert isinstance(probes, list) and len(probes) > 90
    eight = MemoryTree([leaf_hash(bytes.fromhex(x)) for x in load_tree_leaves()])
    for probe in probes:
        proof = [bytes.fromhex(x) for x in probe["proof"]]
        leaf, tree_root = bytes.fromhex(probe["leaf_hash"]), bytes.fromhex(probe["root"])
        # This verifier also rejects hashes that are not 32 bytes; Go's only skips that for equal sizes.
        expected = probe["valid"] and _hashes_ok(leaf, tree_root, *proof)
        got = verify_inclusion(probe["leaf_index"], probe["tree_size"], leaf, proof, tree_root)
        assert got == expected, probe["source"]
        if probe["valid"]:
            assert eight.inclusion_proof(probe["leaf_index"], probe["tree_size"]) == proof, probe["source"]


def test_published_consistency_probes() -> None:
    probes = load("transparency_dev_consistency.json")
    assert isinstance(probes, list) and len(probes) > 90
    eight = MemoryTree([leaf_hash(bytes.fromhex(x)) for x in load_tree_leaves()])
    checked_happy = 0
    for probe in probes:
        proof = [bytes.fromhex(x) for x in probe["proof"]]
        r1, r2 = bytes.fromhex(probe["first_root"]), bytes.fromhex(probe["second_root"])
        expected = probe["valid"] and _hashes_ok(r1, r2, *proof)
        got = verify_consistency(probe["first"], probe["second"], r1, r2, proof)
        assert got == expected, probe["source"]
        if probe["source"].endswith("happy-path.json"):
            assert eight.consistency_proof(probe["first"], probe["second"]) == proof, probe["source"]
            checked_happy += 1
    assert checked_happy == 5


def load_tree_leaves() -> list[str]:
    tree = load("rfc6962_tree.json")
    assert isinstance(tree, dict)
    leaves = tree["leaves"]
    assert isinstance(leaves, list)
    return leaves


# ---------------------------------------------------------------------------------------------------------
# Verifiers never raise.
# ---------------------------------------------------------------------------------------------------------

GARBAGE: list[object] = [None, "", "00" * 32, -1, True, 2**70, 1.5, b"", b"\x00" * 31, b"\x00" * 33, [], {}]


def test_verifiers_return_false_on_garbage() -> None:
    size, index = 11, 4
    proof = TREE.inclusion_proof(index, size)
    good: list[object] = [index, size, REF_LEAVES[index], proof, REF_ROOTS[size]]
    assert verify_inclusion(*good)  # type: ignore[arg-type]
    for position in range(5):
        for bad in [*GARBAGE, [None], ["x" * 32], iter(proof), b"".join(proof), [bytearray(32)]]:
            args = [*good]
            args[position] = bad
            assert verify_inclusion(*args) is False  # type: ignore[arg-type]

    cons = TREE.consistency_proof(5, size)
    good = [5, size, REF_ROOTS[5], REF_ROOTS[size], cons]
    assert verify_consistency(*good)  # type: ignore[arg-type]
    for position in range(5):
        for bad in [*GARBAGE, [None], iter(cons), b"".join(cons)]:
            args = [*good]
            args[position] = bad
            assert verify_consistency(*args) is False  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    index=st.integers(min_value=-3, max_value=2**65),
    size=st.integers(min_value=-3, max_value=2**65),
    proof=st.lists(st.binary(min_size=30, max_size=33), max_size=70),
    value=st.binary(min_size=31, max_size=33),
)
def test_verifiers_never_raise(index: int, size: int, proof: list[bytes], value: bytes) -> None:
    assert verify_inclusion(index, size, value, proof, value) in (True, False)
    assert verify_consistency(index, size, value, value, proof) in (True, False)


def test_module_exports_exist() -> None:
    for name in merkle.__all__:
        assert hasattr(merkle, name)
