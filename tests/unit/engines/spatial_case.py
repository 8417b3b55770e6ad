"""The world both spatial tau-leaping kernel tests plan steps in: six patches of aouad, from
dead to crowded, on a 2 x 3 lattice."""

from __future__ import annotations

import numpy as np

from hyosan.model import builtin_model, compile_model
from hyosan.space import CompiledSpace, World, compile_space

LATTICE = World.lattice(np.full((2, 3), 40.0))
AOUAD_MOVES = {"S": 0.2, "E": 0.2, "Z": 0.8, "H": 0.5}
EPS = 0.03
N_SSA = 10.0
PATCHES = [  # S E Ez Z H D
    [0, 0, 0, 0, 0, 0],  # dead
    [20_000, 600, 0, 3_000, 30, 0],  # crowded: leaps
    [30, 2, 0, 3, 0, 0],  # few: critical
    [5_000, 100, 0, 500, 20, 10],
    [300, 0, 0, 0, 0, 0],  # humans only: reactions only with coupling
    [2_000, 5, 1, 50, 3, 0],  # few bitten and hybrids: critical
]


def aouad_space(coupling: float, moves: dict[str, float] | None = None) -> CompiledSpace:
    """aouad compiled on :data:`LATTICE`, moving as :data:`AOUAD_MOVES` unless ``moves``."""
    m = builtin_model("aouad")
    moves = AOUAD_MOVES if moves is None else moves
    return compile_space(m, compile_model(m), LATTICE, moves, coupling=coupling)
