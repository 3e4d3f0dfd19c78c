"""RFC 9162 §2 Merkle tree over SHA-256, stored as complete subtrees so proofs cost O(log n) reads.

Every accepted statement becomes a leaf of one append-only tree (DESIGN.md, "The global log and
checkpoints"). The tree is persisted as the hashes of its *complete* subtrees, addressed by
``(level, index)``: node ``(level, k)`` covers leaves ``[k * 2**level, (k + 1) * 2**level)`` and level 0
holds the leaf hashes. A complete node never changes once written, so the store is append-only too.

RFC 9162 also needs the hashes of *incomplete* right-hand subtrees (e.g. ``MTH(D[6:7])`` in a tree of
size 7). Such a subtree's root is the right fold of the complete subtrees that decompose its range, so
every root and proof is assembled from complete nodes only.

Each operation runs in three steps so that a database answers it in one round trip: a pure function
computes the node addresses (``root_addresses``, ``inclusion_addresses``, ``consistency_addresses``),
one call to a :data:`NodeFetcher` returns their hashes, and the hashes are assembled into the result.
The verifiers (``verify_inclusion``, ``verify_consistency``) follow RFC 9162 §2.1.3.2 and §2.1.4.2
literally, so proofs produced here are accepted by any RFC 9162 verifier and vice versa.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "CompletedNode",
    "MemoryTree",
    "MissingNodeError",
    "NodeAddress",
    "NodeFetcher",
    "append_leaves",
    "consistency_addresses",
    "consistency_proof",
    "inclusion_addresses",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "nodes_completed_by_append",
    "root",
    "root_addresses",
    "root_from_inclusion_proof",
    "root_from_leaves",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Length in bytes of every hash in the tree (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""RFC 9162 §2.1.1: the root of the empty tree, MTH({}) = SHA-256 of the empty string."""

NodeAddress = tuple[int, int]
"""``(level, index)`` of a complete subtree: it covers leaves ``[index << level, (index + 1) << level)``."""

CompletedNode = tuple[int, int, bytes]
"""``(level, index, hash)`` of a node an append has just completed, ready to be stored."""

NodeFetcher = Callable[[Iterable[NodeAddress]], Mapping[NodeAddress, bytes]]
"""Storage callback: given every address one operation needs, return a mapping holding (at least) them.

It is called at most once per operation, with the complete address list, so a database serves a whole
proof in one query. It is not called when an operation needs no stored node.
"""

_sha256 = hashlib.sha256


class MissingNodeError(KeyError):
    """The node store lacks a node the requested tree size needs (size beyond the stored tree?).

    A ``KeyError`` (hence a ``LookupError``), since it is a failed lookup in the node mapping.
    """

    def __init__(self, address: NodeAddress) -> None:
        super().__init__(address)
        self.address = address

    def __str__(self) -> str:
        return f"Merkle node (level={self.address[0]}, index={self.address[1]}) is not stored"


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 §2.1.1 leaf hash, SHA-256(0x00 || data): the value stored at level 0."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1 interior node hash, SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def root_from_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH over already hashed leaves, computed in one pass with O(log n) memory.

    Exists for monitors and tests that recompute a root from the raw leaf list (``GET /ledger/leaves``).
    """
    stack: list[bytes] = []
    for position, value in enumerate(leaf_hashes):
        # Merge with the left siblings this leaf completes (one per trailing 1 bit of its position).
        while position & 1:
            value = node_hash(stack.pop(), value)
            position >>= 1
        stack.append(value)
    return _fold(stack) if stack else EMPTY_ROOT


def _fold(peaks: Sequence[bytes]) -> bytes:
    """Root of a range from its complete subtrees, largest first: MTH of the RFC's right-hand splits."""
    value = peaks[-1]
    for i in range(len(peaks) - 2, -1, -1):
        value = node_hash(peaks[i], value)
    return value


def _range_nodes(lo: int, hi: int) -> tuple[NodeAddress, ...]:
    """The complete subtrees decomposing leaves ``[lo, hi)``, largest first.

    Callers pass only ranges that RFC 9162's recursion produces: ``lo`` is a multiple of the largest
    power of two not above ``hi - lo``, so every piece is an aligned complete node.
    """
    width = hi - lo
    if width & (width - 1) == 0:
        level = width.bit_length() - 1
        return ((level, lo >> level),)
    nodes: list[NodeAddress] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return tuple(nodes)


def root_addresses(size: int) -> list[NodeAddress]:
    """Addresses whose fold is the root of the tree of ``size`` leaves (one per set bit of ``size``)."""
    if size < 0:
        raise ValueError(f"tree size must not be negative, got {size}")
    return list(_range_nodes(0, size)) if size else []


def _inclusion_plan(index: int, size: int) -> list[tuple[NodeAddress, ...]]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size]) as one node group per proof element, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    plan: list[tuple[NodeAddress, ...]] = []
    lo, hi = 0, size
    # PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
    while hi - lo > 1:
        level = (hi - lo - 1).bit_length() - 1
        split = lo + (1 << level)
        if index < split:
            # D[split:hi] is complete unless hi is still the tree size.
            plan.append(((level, split >> level),) if (hi - split) >> level else _range_nodes(split, hi))
            hi = split
        else:
            plan.append(((level, lo >> level),))
            lo = split
    plan.reverse()
    return plan


def _consistency_plan(first: int, second: int) -> list[tuple[NodeAddress, ...]]:
    """RFC 9162 §2.1.4.1 PROOF(first, D[0:second]) as one node group per proof element."""
    if not 0 < first <= second:
        raise ValueError(f"a consistency proof needs 0 < first <= second, got first={first}, second={second}")
    plan: list[tuple[NodeAddress, ...]] = []
    lo, hi = 0, second
    complete_first = True
    # SUBPROOF(m, D[n], b): {} if m == n and b; {MTH(D[n])} if m == n and not b; otherwise, with k the
    # largest power of two below n, SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m <= k,
    # else SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
    while first != hi:
        level = (hi - lo - 1).bit_length() - 1
        split = lo + (1 << level)
        if first <= split:
            plan.append(((level, split >> level),) if (hi - split) >> level else _range_nodes(split, hi))
            hi = split
        else:
            plan.append(((level, lo >> level),))
            lo = split
            complete_first = False
    if not complete_first:
        plan.append(_range_nodes(lo, hi))
    plan.reverse()
    return plan


def _flatten(plan: list[tuple[NodeAddress, ...]]) -> list[NodeAddress]:
    return [address for group in plan for address in group]


def inclusion_addresses(index: int, size: int) -> list[NodeAddress]:
    """Every stored node that the inclusion proof of leaf ``index`` in a tree of ``size`` needs."""
    return _flatten(_inclusion_plan(index, size))


def consistency_addresses(first: int, second: int) -> list[NodeAddress]:
    """Every stored node that the consistency proof between sizes ``first`` and ``second`` needs."""
    return _flatten(_consistency_plan(first, second))


def _fetch(fetch: NodeFetcher, addresses: list[NodeAddress]) -> Mapping[NodeAddress, bytes]:
    if not addresses:
        return {}
    return fetch(addresses)


def _missing(error: KeyError, requested: list[NodeAddress]) -> MissingNodeError:
    key = error.args[0] if error.args else None
    return MissingNodeError(key if key in requested else requested[0])


def _assemble(plan: list[tuple[NodeAddress, ...]], fetch: NodeFetcher) -> list[bytes]:
    addresses = _flatten(plan)
    nodes = _fetch(fetch, addresses)
    try:
        return [nodes[group[0]] if len(group) == 1 else _fold([nodes[a] for a in group]) for group in plan]
    except KeyError as error:
        raise _missing(error, addresses) from None


def root(size: int, fetch: NodeFetcher) -> bytes:
    """RFC 9162 §2.1.1 MTH of the first ``size`` leaves, from at most log2(size) + 1 stored nodes."""
    addresses = root_addresses(size)
    if not addresses:
        return EMPTY_ROOT
    nodes = _fetch(fetch, addresses)
    try:
        return _fold([nodes[address] for address in addresses])
    except KeyError as error:
        raise _missing(error, addresses) from None


def inclusion_proof(index: int, size: int, fetch: NodeFetcher) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size]): the audit path of one leaf, leaf side first.

    Raises ``ValueError`` unless ``0 <= index < size``, and :class:`MissingNodeError` if the store
    does not hold the tree of ``size`` leaves.
    """
    return _assemble(_inclusion_plan(index, size), fetch)


def consistency_proof(first: int, second: int, fetch: NodeFetcher) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(first, D[0:second]); empty when ``first == second``.

    Raises ``ValueError`` unless ``0 < first <= second``: RFC 9162 defines no proof from the empty tree
    (every tree trivially extends it), and RFC 9162 verifiers reject one.
    """
    return _assemble(_consistency_plan(first, second), fetch)


def append_leaves(start_index: int, leaves: Sequence[bytes], fetch: NodeFetcher) -> list[CompletedNode]:
    """Every node completed by appending ``leaves`` (leaf hashes) at positions ``start_index, ...``.

    Returns ``(level, index, hash)`` triples in completion order, level 0 entries included, ready to be
    inserted. Of the existing tree it reads only the complete subtrees of ``[0, start_index)`` that the
    batch actually merges with (at most log2(start_index) + 1 of them, in one fetch); nodes made within
    the batch are kept in memory.
    """
    if start_index < 0:
        raise ValueError(f"leaf index must not be negative, got {start_index}")
    for value in leaves:
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise ValueError(f"a leaf hash must be {HASH_SIZE} bytes")
    if not leaves:
        return []
    end = start_index + len(leaves)
    # The left siblings available before the batch are the peaks of [0, start_index), one per set bit b
    # of start_index: node (b, (start_index >> b) - 1). The batch merges with the peak at level b only if
    # it completes the level b + 1 node containing start_index; if a peak is not needed, no higher one is.
    needed: list[NodeAddress] = []
    remaining, level = start_index, 0
    while remaining:
        if remaining & 1:
            if (((start_index >> (level + 1)) + 1) << (level + 1)) > end:
                break
            needed.append((level, (start_index >> level) - 1))
        remaining >>= 1
        level += 1
    nodes = _fetch(fetch, needed)
    try:
        stack = [nodes[address] for address in reversed(needed)]
    except KeyError as error:
        raise _missing(error, needed) from None
    completed: list[CompletedNode] = []
    for position in range(start_index, end):
        value = leaves[position - start_index]
        completed.append((0, position, value))
        level, index = 0, position
        while index & 1:
            value = node_hash(stack.pop(), value)
            level += 1
            index >>= 1
            completed.append((level, index, value))
        stack.append(value)
    return completed


def nodes_completed_by_append(index: int, leaf: bytes, fetch: NodeFetcher) -> list[CompletedNode]:
    """The nodes completed by appending leaf hash ``leaf`` as leaf number ``index`` (``(0, index, leaf)``
    first, then one per trailing 1 bit of ``index``), reading only their left siblings."""
    return append_leaves(index, [leaf], fetch)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_path(proof: object) -> bool:
    return isinstance(proof, list | tuple) and all(_is_hash(element) for element in proof)


def root_from_inclusion_proof(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` implies for leaf ``index`` of a tree of ``size`` (RFC 9162 §2.1.3.2 steps
    1-4); raises ``ValueError`` if the proof cannot belong to such a tree (wrong length, bad input)."""
    if not (_is_count(index) and _is_count(size) and index < size):
        raise ValueError(f"leaf index {index!r} is not in a tree of size {size!r}")
    if not _is_hash(leaf_hash) or not _is_path(proof):
        raise ValueError(f"leaf hash and proof elements must be {HASH_SIZE}-byte strings")
    fn, sn = index, size - 1
    value = leaf_hash
    for element in proof:
        if sn == 0:
            raise ValueError("inclusion proof is too long")
        if fn & 1 or fn == sn:
            value = node_hash(element, value)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            value = node_hash(value, element)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("inclusion proof is too short")
    return value


def verify_inclusion(index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show leaf ``leaf_hash`` at ``index`` in the tree ``root`` of
    ``size`` leaves? Returns False, never raises, on any malformed input."""
    if not _is_hash(root):
        return False
    try:
        return root_from_inclusion_proof(index, size, leaf_hash, proof) == root
    except ValueError:
        return False


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree ``second_root`` of ``second`` leaves an append-only extension of
    the tree ``first_root`` of ``first`` leaves? Returns False, never raises, on any malformed input.

    As in RFC 9162 verifiers, ``first == second`` needs an empty proof and equal roots, and
    ``first == 0`` is rejected (an empty tree is extended by every tree; there is nothing to prove).
    """
    if not (_is_count(first) and _is_count(second) and 0 < first <= second):
        return False
    if not (_is_hash(first_root) and _is_hash(second_root) and _is_path(proof)):
        return False
    if first == second:
        return len(proof) == 0 and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for element in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(element, fr)
            sr = node_hash(element, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, element)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


class MemoryTree:
    """An append-only RFC 9162 tree held in a dict, built on the same (level, index) node store and
    fetch interface as the database-backed log: for tests, offline tools and small callers."""

    __slots__ = ("_nodes", "_size")

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        self._nodes: dict[NodeAddress, bytes] = {}
        self._size = 0
        if leaf_hashes:
            self.extend(leaf_hashes)

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def nodes(self) -> Mapping[NodeAddress, bytes]:
        """Read-only view of every stored complete subtree, keyed by (level, index)."""
        return MappingProxyType(self._nodes)

    def fetch(self, addresses: Iterable[NodeAddress]) -> Mapping[NodeAddress, bytes]:
        """The :data:`NodeFetcher` of this tree."""
        # The whole store is a valid answer (a mapping holding at least the requested nodes), and
        # handing it over avoids copying on the hot path.
        return self._nodes

    def append(self, data: bytes) -> int:
        """Hash ``data`` as a leaf (RFC 9162 §2.1.1), append it and return its index."""
        return self.append_leaf_hash(leaf_hash(data))

    def append_leaf_hash(self, value: bytes) -> int:
        """Append an already hashed leaf and return its index."""
        index = self._size
        for level, node_index, node in nodes_completed_by_append(index, value, self.fetch):
            self._nodes[(level, node_index)] = node
        self._size = index + 1
        return index

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append already hashed leaves as one batch."""
        for level, node_index, node in append_leaves(self._size, leaf_hashes, self.fetch):
            self._nodes[(level, node_index)] = node
        self._size += len(leaf_hashes)

    def leaf_hash(self, index: int) -> bytes:
        """The stored hash of leaf ``index``."""
        if not 0 <= index < self._size:
            raise IndexError(f"leaf index {index} is not in a tree of size {self._size}")
        return self._nodes[(0, index)]

    def _checked_size(self, size: int | None) -> int:
        if size is None:
            return self._size
        if not 0 <= size <= self._size:
            raise ValueError(f"tree size {size} is not between 0 and {self._size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Root of the tree of the first ``size`` leaves (default: all)."""
        return root(self._checked_size(size), self.fetch)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves (default: all)."""
        return inclusion_proof(index, self._checked_size(size), self.fetch)

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from size ``first`` to size ``second`` (default: all)."""
        return consistency_proof(first, self._checked_size(second), self.fetch)
