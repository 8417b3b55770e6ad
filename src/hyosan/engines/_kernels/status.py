"""Status codes the kernels return; :class:`hyosan.engines.Status` gives each its meaning."""

REACHED = 0
"""The segment reached its stop time."""
CONDITION = 1
"""A stop condition became true; its index is returned with the status."""
BUDGET = 2
"""The event budget of this call ran out; call again to go on."""
