"""Status codes the kernels return; the Python driver turns them into actions."""

REACHED = 0
"""The segment reached its stop time."""
CONDITION = 1
"""A stop condition became true; its index is returned with the status."""
BUDGET = 2
"""The event budget of this call ran out; call again to go on."""
NEGATIVE = 3
"""A count would have gone negative (a bug or an impossible model)."""
