"""The built-in models, their parameters named as in their papers.

- ``aouad``: the outbreak of *All of Us Are Dead* (DESIGN.md): humans ``S``,
  bitten ``E`` (by a zombie) and ``Ez`` (by a hybrid), zombies ``Z``,
  hybrids ``H``, dead ``D``. Time in hours.
- ``aouad-army``: ``aouad`` with soldiers ``A`` who guard camps and
  checkpoints: armed and trained, they are never bitten and shoot zombies
  (``alpha_a`` per zombie per hour, times the soldiers' share of the people
  there); like everyone, they cannot tell a hybrid from a human.
- ``aouad-camp``: ``aouad-army`` with the hybrids' side: ``Hc``, hybrids who
  control their hunger with another hybrid's help (they lapse at
  ``beta_h * (1 - control)``; a hybrid on its own is helped where a helped
  hybrid shares its patch, at ``help``, and loses the help at ``relapse``),
  ``Hf``, hybrids the soldiers have found out (at ``screen``) and hunt
  (``alpha_f``), and ``Dh``, the hybrids killed. Its roles name the
  hybrids (``H``, ``Hc``, ``Hf`` alive, ``Dh`` killed), so that summaries
  can tell whether they survived.
- ``munz-basic``, ``munz-latent``, ``munz-quarantine``, ``munz-cure``: the
  SZR, SIZR, SIZRQ and SIZR-with-cure models of Munz et al. (2009). Mass
  action; time in days; defaults are the paper's printed values, whose
  population unit is the thousand (see the ``munz-*`` scenarios).
- ``alemi``: the SZR model of Alemi et al. (2015), frequency dependent
  (bite rate ``beta`` per zombie per day in a population of humans).
- ``sir``: Kermack-McKendrick SIR, frequency dependent.

References
----------
.. [1] P. Munz, I. Hudea, J. Imad, R. J. Smith?, "When zombies attack!:
   Mathematical modelling of an outbreak of zombie infection", in Infectious
   Disease Modelling Research Progress, Nova Science, 2009, pp. 133-150.
.. [2] A. A. Alemi, M. Bierbaum, C. R. Myers, J. P. Sethna, "You can run, you
   can hide: The epidemiology and statistical mechanics of zombies",
   Phys. Rev. E 92, 052801 (2015).
.. [3] W. O. Kermack, A. G. McKendrick, "A contribution to the mathematical
   theory of epidemics", Proc. R. Soc. A 115, 700-721 (1927).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from hyosan.errors import unknown
from hyosan.model.core import Model, Parameter, Reaction

__all__ = ["BUILTIN_MODELS", "builtin_model"]

_MUNZ = (
    "Munz, Hudea, Imad & Smith? (2009), When zombies attack!: Mathematical modelling "
    "of an outbreak of zombie infection."
)
_ALEMI = (
    "Alemi, Bierbaum, Myers & Sethna (2015), You can run, you can hide: The epidemiology "
    "and statistical mechanics of zombies. Phys. Rev. E 92, 052801."
)
_R = Reaction.parse


def _aouad() -> Model:
    p = Parameter
    return Model(
        name="aouad",
        compartments=("S", "E", "Ez", "Z", "H", "D"),
        parameters=(
            p("beta", 1.5, "zombie bites per zombie per hour among humans", "1/h"),
            p("sigma", 6.0, "turning rate of the bitten (1/mean time to turn)", "1/h"),
            p("p_hybrid", 0.005, "probability that a bitten human becomes a hybrid", ""),
            p("beta_h", 0.02, "bites per hybrid per hour when it loses control", "1/h"),
            p("alpha", 0.3, "zombies destroyed per zombie per hour by fighting humans", "1/h"),
            p("alpha_h", 0.005, "hybrids killed per hybrid per hour by humans", "1/h"),
        ),
        reactions=(
            _R("S + Z -> E + Z", "beta", law="frequency", name="bite"),
            _R("E -> Z", "sigma * (1 - p_hybrid)", name="turn"),
            _R("E -> H", "sigma * p_hybrid", name="turn hybrid"),
            _R("S + H -> Ez + H", "beta_h", law="frequency", name="hybrid bite"),
            _R("Ez -> Z", "sigma", name="turn from hybrid bite"),
            _R("S + Z -> S + D", "alpha", law="frequency", name="fight zombie"),
            _R("S + H -> S + D", "alpha_h", law="frequency", name="fight hybrid"),
        ),
        population=("S", "E", "Ez", "Z", "H"),
        humans=("S",),
        zombies=("Z",),
        survivors=("S", "H"),
        time_unit="hour",
        description="All of Us Are Dead: bites, turning, hybrids, humans fighting back (hours).",
        references=("hyosan DESIGN.md: the world of All of Us Are Dead (Netflix, 2022).",),
    )


def _aouad_army() -> Model:
    """``aouad`` with soldiers ``A``: armed, never bitten, they shoot zombies (not hybrids)."""
    base = _aouad()
    return dataclasses.replace(
        base,
        name="aouad-army",
        compartments=(*base.compartments, "A"),
        parameters=(
            *base.parameters,
            Parameter("alpha_a", 20.0, "zombies shot per zombie per hour among soldiers", "1/h"),
        ),
        reactions=(
            *base.reactions,
            _R("A + Z -> A + D", "alpha_a", law="frequency", name="soldiers shoot"),
        ),
        population=(*base.population, "A"),
        humans=("S", "A"),
        survivors=("S", "H", "A"),
        description="All of Us Are Dead with the army: soldiers A shoot zombies (hours).",
    )


def _aouad_camp() -> Model:
    """``aouad-army`` with helped (``Hc``), found-out (``Hf``) and killed (``Dh``) hybrids.

    A helped hybrid lapses at ``beta_h * (1 - control)``; a hybrid on its
    own becomes helped where a helped hybrid shares its patch (``H + Hc ->
    Hc + Hc``, frequency dependent, so only there), and is on its own again
    at ``relapse``. Soldiers find out the hybrids they meet (``screen``,
    times the soldiers' share of the people there) and hunt those they found
    (``alpha_f``); humans fight the hybrids they do not know at ``alpha_h``.
    Every hybrid killed goes to ``Dh``, not ``D``: a hybrid's death is then a
    count of its own, exact (``Dh >= 1``: a hybrid was killed). Only a
    strike, which sends everyone to ``D``, kills hybrids out of ``Dh``'s sight.
    """
    base = _aouad_army()
    p = Parameter
    kept = [r for r in base.reactions if r.name != "fight hybrid"]
    return dataclasses.replace(
        base,
        name="aouad-camp",
        compartments=(*base.compartments, "Hc", "Hf", "Dh"),
        parameters=(
            *base.parameters,
            p("control", 0.75, "share of its lapses a hybrid avoids while helped", ""),
            p(
                "help",
                15.0,
                "hybrids helped per helped hybrid per hour among the people there",
                "1/h",
            ),
            p("relapse", 0.001, "rate at which a helped hybrid is on its own again", "1/h"),
            p("screen", 0.05, "hybrids found out per hybrid per hour among soldiers", "1/h"),
            p("alpha_f", 5.0, "found-out hybrids killed per hybrid per hour among soldiers", "1/h"),
        ),
        reactions=(
            *kept,
            _R(
                "S + Hc -> Ez + Hc",
                "beta_h * (1 - control)",
                law="frequency",
                name="helped hybrid bite",
            ),
            _R("S + Hf -> Ez + Hf", "beta_h", law="frequency", name="found hybrid bite"),
            _R("S + H -> S + Dh", "alpha_h", law="frequency", name="fight hybrid"),
            _R("S + Hc -> S + Dh", "alpha_h", law="frequency", name="fight helped hybrid"),
            _R("H + Hc -> Hc + Hc", "help", law="frequency", name="help"),
            _R("Hc -> H", "relapse", name="relapse"),
            _R("H + A -> Hf + A", "screen", law="frequency", name="screen"),
            _R("Hc + A -> Hf + A", "screen", law="frequency", name="screen helped"),
            _R("A + Hf -> A + Dh", "alpha_f", law="frequency", name="hunt"),
        ),
        population=(*base.population, "Hc", "Hf"),
        survivors=("S", "H", "Hc", "Hf", "A"),
        hybrids=("H", "Hc", "Hf", "Dh"),
        description=(
            "All of Us Are Dead in a camp: the army, hybrids who help each other control "
            "their hunger, hybrids found out and hunted (hours)."
        ),
    )


def _munz_parameters(*extra: Parameter) -> tuple[Parameter, ...]:
    p = Parameter
    return (
        p("Pi", 0.0, "birth rate (people per day)", "1/day"),
        p("delta", 0.0001, "natural death rate", "1/day"),
        p("beta", 0.0095, "transmission: new zombies per human-zombie encounter", "1/day"),
        p("alpha", 0.005, "zombies destroyed per human-zombie encounter", "1/day"),
        p("zeta", 0.0001, "resurrection of the removed as zombies", "1/day"),
        *extra,
    )


def _munz(name: str, latent: bool, quarantine: bool, cure: bool) -> Model:
    p = Parameter
    extra: list[Parameter] = []
    comps = ["S", "I", "Z", "R"] if latent else ["S", "Z", "R"]
    reactions = [
        _R("-> S", "Pi", name="birth"),
        _R("S -> R", "delta", name="natural death"),
    ]
    if latent:
        extra.append(p("rho", 0.005, "rate at which the infected turn into zombies", "1/day"))
        reactions += [
            _R("S + Z -> I + Z", "beta", name="bite"),
            _R("I -> R", "delta", name="infected natural death"),
            _R("I -> Z", "rho", name="turn"),
        ]
    else:
        reactions.append(_R("S + Z -> Z + Z", "beta", name="bite"))
    reactions += [
        _R("S + Z -> S + R", "alpha", name="destroy zombie"),
        _R("R -> Z", "zeta", name="resurrection"),
    ]
    if quarantine:
        comps.append("Q")
        extra += [
            p("kappa", 0.001, "quarantine rate of the infected", "1/day"),
            p("sigma", 0.001, "quarantine rate of zombies", "1/day"),
            p("gamma", 0.0001, "rate at which the quarantined are killed", "1/day"),
        ]
        reactions += [
            _R("I -> Q", "kappa", name="quarantine infected"),
            _R("Z -> Q", "sigma", name="quarantine zombie"),
            _R("Q -> R", "gamma", name="killed in quarantine"),
        ]
    if cure:
        extra.append(p("c", 0.05, "cure rate of zombies back to humans", "1/day"))
        reactions.append(_R("Z -> S", "c", name="cure"))
    return Model(
        name=name,
        compartments=tuple(comps),
        parameters=_munz_parameters(*extra),
        reactions=tuple(reactions),
        humans=("S", "I") if latent else ("S",),
        zombies=("Z",),
        description=f"Munz et al. (2009) {name.removeprefix('munz-')} model (mass action, days).",
        references=(_MUNZ,),
    )


def _spread_and_removal(
    name: str,
    x: str,
    *,
    beta: Parameter,
    spread: str,
    removal: Reaction,
    removal_rate: Parameter,
    description: str,
    reference: str,
) -> Model:
    """``S, x, R``: ``S + x -> 2 x`` (named ``spread``) at ``beta S x / N``, and one ``removal``.

    Alemi et al.'s SZR (humans kill zombies) and Kermack-McKendrick's SIR
    (the infected recover) are both of this form.
    """
    return Model(
        name=name,
        compartments=("S", x, "R"),
        parameters=(beta, removal_rate),
        reactions=(_R(f"S + {x} -> {x} + {x}", "beta", law="frequency", name=spread), removal),
        humans=("S",),
        zombies=(x,),
        description=description,
        references=(reference,),
    )


def _alemi() -> Model:
    return _spread_and_removal(
        "alemi",
        "Z",
        beta=Parameter("beta", 1.0, "bites per zombie per day among humans", "1/day"),
        spread="bite",
        removal=_R("S + Z -> S + R", "kappa", law="frequency", name="kill"),
        removal_rate=Parameter(
            "kappa", 0.8, "zombies killed per zombie per day by humans", "1/day"
        ),
        description="Alemi et al. (2015) SZR model, fully connected (frequency dependent, days).",
        reference=_ALEMI,
    )


def _sir() -> Model:
    return _spread_and_removal(
        "sir",
        "I",
        beta=Parameter("beta", 0.3, "infectious contacts per infected per day", "1/day"),
        spread="infection",
        removal=_R("I -> R", "gamma", name="recovery"),
        removal_rate=Parameter("gamma", 0.1, "recovery rate", "1/day"),
        description="Kermack-McKendrick SIR (frequency dependent, days).",
        reference="Kermack & McKendrick (1927), Proc. R. Soc. A 115, 700-721.",
    )


BUILTIN_MODELS: dict[str, Callable[[], Model]] = {
    "aouad": _aouad,
    "aouad-army": _aouad_army,
    "aouad-camp": _aouad_camp,
    "munz-basic": lambda: _munz("munz-basic", latent=False, quarantine=False, cure=False),
    "munz-latent": lambda: _munz("munz-latent", latent=True, quarantine=False, cure=False),
    "munz-quarantine": lambda: _munz("munz-quarantine", latent=True, quarantine=True, cure=False),
    "munz-cure": lambda: _munz("munz-cure", latent=True, quarantine=False, cure=True),
    "alemi": _alemi,
    "sir": _sir,
}


_BUILT: dict[str, Model] = {}


def builtin_model(name: str) -> Model:
    """The built-in model called ``name``.

    Examples
    --------
    >>> builtin_model("munz-basic").compartments
    ('S', 'Z', 'R')
    """
    if name in _BUILT:  # a model is immutable: build each once (runs at small N call often)
        return _BUILT[name]
    if name not in BUILTIN_MODELS:
        raise unknown("built-in model", name, BUILTIN_MODELS, key="model")
    model = _BUILT[name] = BUILTIN_MODELS[name]()
    return model
