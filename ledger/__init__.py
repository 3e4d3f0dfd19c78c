"""The integrity kernel: signed statements, chains, Merkle log, checkpoints, verification."""
