"""The direct method's output helper (``_kernels/direct.py``): jitted equals ``py_func``.

``branch_free_laws``, ``direct_steps`` and ``ssa_direct_run`` are checked in
``test_kernels.py``; ``record_until`` is the helper every kernel uses to fill
the output grid.
"""

from __future__ import annotations

import numpy as np

from hyosan.engines._kernels.direct import record_until

TIMES = np.linspace(0.0, 10.0, 11)


def test_record_until_equals_py_func_and_fills_the_times_before_the_limit() -> None:
    """From each start index and for limits on, between and past the grid times, the compiled
    and Python helpers fill the same rows with the state and return the same next index:
    the first grid time at or after the limit."""
    x = np.array([990.0, 7.0, 3.0])
    for i_out in (0, 4, 11):
        for t_limit in (0.0, 3.5, 4.0, 10.0, 12.0):
            outs, ends = [], []
            for fn in (record_until, record_until.py_func):
                out = np.full((len(TIMES), 3), -1.0)
                ends.append(fn(x, t_limit, TIMES, out, i_out))
                outs.append(out)
            np.testing.assert_array_equal(outs[0], outs[1])
            want = max(i_out, int(np.searchsorted(TIMES, t_limit, side="left")))
            assert ends[0] == ends[1] == want
            np.testing.assert_array_equal(
                outs[0][i_out:want], np.broadcast_to(x, (want - i_out, 3))
            )
            assert (outs[0][:i_out] == -1.0).all() and (outs[0][want:] == -1.0).all()
