"""The validation report's building blocks: one :class:`Check` per claim."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Check:
    """One validated claim, as it appears in ``docs/validation.md``.

    Attributes
    ----------
    title
        Short heading, e.g. "Munz basic model: the doomsday equilibrium is stable".
    source
        Where the expected result comes from (paper, equation, textbook).
    body
        Markdown: method, the numbers found and expected, and how the
        tolerance was derived (standard error or exact bound).
    passed
        Whether the check holds within its tolerance.
    figures
        File names of figures written into ``docs/validation/``.
    notes
        Where the paper and the equations disagree, or anything a reader should know.
    """

    title: str
    source: str
    body: str
    passed: bool
    figures: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = field(default=())


def render(checks: list[Check], *, command: str, seconds: float) -> str:
    """The whole report as markdown."""
    ok = sum(c.passed for c in checks)
    lines = [
        "# Validation report",
        "",
        f"Written by `{command}` in {seconds:.0f} s: {ok} of {len(checks)} checks pass.",
        "Every tolerance comes from a standard error or an exact bound, stated with",
        "the check. A failing check is a finding, reported as such.",
        "",
        "| # | check | result |",
        "| --- | --- | --- |",
    ]
    for i, c in enumerate(checks, 1):
        lines.append(f"| {i} | {c.title} | {'pass' if c.passed else '**FAIL**'} |")
    for i, c in enumerate(checks, 1):
        lines += ["", f"## {i}. {c.title}", "", f"*Source:* {c.source}", "", c.body.strip(), ""]
        lines += [f"![{c.title}](validation/{f})" for f in c.figures]
        if c.notes:
            lines += ["", f"*Note:* {c.notes.strip()}"]
        lines += ["", f"**Result: {'pass' if c.passed else 'FAIL'}**"]
    return "\n".join(lines) + "\n"
