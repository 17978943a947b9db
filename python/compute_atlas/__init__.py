"""Compute Atlas from Python.

The planning and simulation core of the Compute Atlas explorer, as pandas DataFrames and dicts,
with the same numbers as the page and the ``atlas`` command line (the core writes floats in their
shortest form and pandas reads them back to the same bits).

A scenario is given as a page link (a whole address, a query string such as
``"v=1&energy=1.5"``, or a named scenario's id or name), a dict, or JSON text::

    import compute_atlas as ca
    r = ca.run("v=1&energy=1.5")
    r.summary["h100e_end"]
    r.data.query("metric == 'energy_twh' and region != ''")

Sweeps run many scenarios on every core (``ca.sweep``); ``compute_atlas.dask.sweep`` runs the same
rows on a Dask cluster.
"""

from __future__ import annotations

import io
import json
import sys
import warnings
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

import pandas as pd

from . import _core
from ._core import MODEL_VERSION, ScenarioError

__all__ = [
    "EXACT_FLOATS",
    "MODEL_VERSION",
    "Plan",
    "Results",
    "ScenarioError",
    "bands",
    "compare",
    "default_scenario",
    "expand",
    "kpis",
    "link",
    "plan",
    "presets",
    "run",
    "scenario",
    "sources",
    "sweep",
    "tornado",
    "validate",
]

__version__ = "0.1.0"

#: A scenario: a page link, a named scenario's id or name, a dict, or JSON text.
Source = Union[str, Mapping[str, Any]]


def _plain(value: Any) -> Any:
    """A numpy scalar (or anything with ``.item()``) as the Python number it holds."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"a scenario holds numbers, text, lists and dicts, not {type(value).__name__}")


def _text(source: Source) -> str:
    """The text the core reads: JSON for a dict, else the string as given."""
    if isinstance(source, Mapping):
        try:
            return json.dumps(source, allow_nan=False, default=_plain)
        except ValueError as e:
            raise ValueError(f"a scenario's numbers must be finite (no NaN or infinity): {e}") from None
    if not isinstance(source, str):
        raise TypeError(f"a scenario is a link, a dict or JSON text, not {type(source).__name__}")
    return source


#: How pandas reads a float back to the bits the core wrote: pandas 3 does by default; before, it
#: needs the round-trip parser.
EXACT_FLOATS: dict[str, Any] = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def _frame(csv: str, **kwargs: Any) -> pd.DataFrame:
    """A DataFrame of the core's CSV, every float read back to the bits the core wrote."""
    return pd.read_csv(io.StringIO(csv), comment="#", **EXACT_FLOATS, **kwargs)


@dataclass(frozen=True)
class Results:
    """One scenario's results.

    ``summary``: every headline figure by id (``h100e_end``, ``energy_twh_end_year``, …) and the
    span's totals, as ``atlas run -f json`` writes them. ``data``: the tidy long table of every
    series and breakdown (the command line's CSV columns: quarter, provider, region, accelerator,
    metric, unit, value, names and the metric's label; a total has empty provider, region and
    accelerator). ``redirects``: where export rules and limits moved money, by year.
    ``scenario``: the scenario as a dict (a scenario file). ``link``: its page link. ``notices``:
    what a link's parameters could not do (ignored or adjusted). ``warnings``: the model's remarks.
    """

    summary: dict[str, Any]
    data: pd.DataFrame
    redirects: pd.DataFrame
    scenario: dict[str, Any]
    link: str
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def series(self, metric: str, by: str | None = None) -> pd.DataFrame:
        """One metric by quarter: the total (``by=None``) or a breakdown by ``"provider"``,
        ``"region"`` or ``"accelerator"``, as a wide DataFrame indexed by quarter."""
        rows = self.data[self.data["metric"] == metric]
        dims = ["provider", "region", "accelerator"]
        if by is None:
            total = rows[rows[dims].isna().all(axis=1)]
            return total.set_index("quarter")[["value"]].rename(columns={"value": metric})
        if by not in dims:
            raise ValueError(f"by is one of {dims}, not {by!r}")
        others = [d for d in dims if d != by]
        part = rows[rows[by].notna() & rows[others].isna().all(axis=1)]
        return part.pivot(index="quarter", columns=by, values="value")


def run(source: Source) -> Results:
    """Simulates a scenario. Raises :class:`ScenarioError` (with ``.problems``) when it cannot run;
    a link's ignored or adjusted parameters are Python warnings, and kept in ``notices``."""
    csv, results_json, scenario_json, query, notices = _core.run(_text(source))
    _warn(notices)
    results = json.loads(results_json)
    redirects = pd.DataFrame(results.get("redirects", []))
    return Results(
        summary=results["summary"],
        data=_frame(csv, keep_default_na=False, na_values={"provider": [""], "region": [""], "accelerator": [""]}),
        redirects=redirects,
        scenario=json.loads(scenario_json),
        link=query,
        notices=list(notices),
        warnings=list(results.get("warnings", [])),
    )


def _warn(notices: Sequence[str]) -> None:
    """A link's ignored or adjusted parameters, as Python warnings."""
    for n in notices:
        warnings.warn(f"compute_atlas: {n}", stacklevel=3)


def validate(source: Source) -> None:
    """Checks a scenario and raises one :class:`ScenarioError` listing every problem (a link's
    ignored or adjusted parameters count as problems here)."""
    problems = _core.validate(_text(source))
    if problems:
        error = ScenarioError(
            f"the scenario has {len(problems)} problem(s):\n  - " + "\n  - ".join(problems)
        )
        error.problems = problems  # type: ignore[attr-defined]
        raise error


def default_scenario() -> dict[str, Any]:
    """The default scenario (the article's world: OpenAI's deals on record) as a dict."""
    return json.loads(_core.default_scenario())


def scenario(source: Source) -> dict[str, Any]:
    """The whole scenario a link (or JSON) stands for, as a dict you can edit and run."""
    return json.loads(_core.scenario(_text(source)))


def link(source: Source) -> str:
    """The page link of a scenario. Raises ``ValueError`` for a scenario a link cannot carry
    (a file's own regions or providers)."""
    query, whole = _core.link(_text(source))
    if not whole:
        raise ValueError("this scenario has entities of its own that a link cannot carry; run it as a dict")
    return query


def presets() -> pd.DataFrame:
    """The named scenarios: id, name, description and link."""
    return pd.DataFrame(_core.presets(), columns=["id", "name", "description", "link"])


def kpis() -> pd.DataFrame:
    """The headline figures: id, label and unit, in the order of a sweep's columns."""
    return pd.DataFrame(_core.kpis(), columns=["id", "label", "unit"])


def sources() -> pd.DataFrame:
    """Every default value with its source and year (``atlas sources``), and each region's place."""
    return pd.read_csv(
        io.StringIO(_core.sources()),
        sep="\t",
        keep_default_na=False,
        na_values={"low": [""], "high": [""], "value": [""]},
        **EXACT_FLOATS,
    )


def bands(source: Source) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Monte Carlo bands (the scenario's uncertainty settings: width, draws, seed): every
    series' P5–P95 per quarter as a DataFrame, and the headline figures' percentiles as a dict."""
    csv, kpi_json, notices = _core.bands(_text(source))
    _warn(notices)
    return _frame(csv), json.loads(kpi_json)


def tornado(source: Source, kpi: str = "carbon_location_mt_end_year") -> pd.DataFrame:
    """Each uncertain input and main slider at its low and high end, and how far it moves the
    headline figure ``kpi``, widest swing first."""
    csv, notices = _core.tornado(_text(source), kpi)
    _warn(notices)
    return _frame(csv)


def compare(a: Source, b: Source) -> pd.DataFrame:
    """Two scenarios' headline figures side by side: A, B, B − A and the change."""
    csv, notices = _core.compare(_text(a), _text(b))
    _warn(notices)
    return _frame(csv)


@dataclass(frozen=True)
class Plan:
    """A plan of the planner: ``plan`` (everything ``atlas plan -f json`` writes), ``purchases``
    (capital by provider, region, accelerator and year), and ``link``, the scenario with the plan
    applied (run it with :func:`run`)."""

    plan: dict[str, Any]
    purchases: pd.DataFrame
    link: str


def plan(
    source: Source,
    objective: str = "min_cost",
    target: float | None = None,
    max_share: float = 100.0,
    power_limit_gw: float | None = None,
    budget: bool = True,
    providers: Sequence[str] = (),
) -> Plan:
    """Solves for the best allocation of new capital (``objective``: ``"min_cost"`` for a capacity
    target, ``"max_compute"`` or ``"min_carbon"`` for the budget) under the scenario's export rules,
    offers and power limits. Raises ``ValueError`` when no plan meets the constraints (the message
    names the year and the constraint)."""
    plan_json, csv, query, notices = _core.plan(
        _text(source), objective, target, max_share, power_limit_gw, budget, list(providers)
    )
    _warn(notices)
    return Plan(plan=json.loads(plan_json), purchases=_frame(csv), link=query)


Grid = Union[Mapping[str, Union[str, Iterable[Any]]], Sequence[str]]


def expand(base: Source = "v=1", grid: Grid = ()) -> list[str]:
    """The links of a grid over ``base``: every combination of the values, the last parameter
    changing fastest. ``grid`` maps a link parameter to its values (a list, or a string
    ``"v1,v2"`` or ``"from:to:step"``), or is a list of ``"param=values"`` strings."""
    axes: list[tuple[str, list[str]]] = []
    if isinstance(grid, Mapping):
        for param, values in grid.items():
            if isinstance(values, str):
                axes.append((param, _core.parse_axis(f"{param}={values}")[1]))
            else:
                # Values as given: one may hold commas (a ban= list) and stays one value.
                axes.append((param, [_written(v) for v in values]))
    else:
        axes = [_core.parse_axis(spec) for spec in grid]
    base_text = _text(base)
    if base_text.lstrip().startswith("{"):
        base_text = link(base_text)
    return _core.expand(base_text, axes)


def _written(value: Any) -> str:
    """A value as a link writes it (``1.5``, ``40``, ``blackwell:embargoed``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _progress_bar(total: int) -> Callable[[int], None] | None:
    """A progress bar on standard error (tqdm if it is installed; a counter otherwise)."""
    try:
        from tqdm import tqdm  # type: ignore[import-not-found]
    except ImportError:
        done = [0]

        def plain(n: int) -> None:
            done[0] += n
            sys.stderr.write(f"\r{done[0]}/{total} scenarios")
            sys.stderr.flush()
            if done[0] >= total:
                sys.stderr.write("\n")

        return plain
    bar = tqdm(total=total, unit="scenario")
    return lambda n: (bar.update(n), bar.close() if bar.n >= total else None) and None


def sweep(
    base: Source | Sequence[str] = "v=1",
    grid: Grid | None = None,
    threads: int | None = None,
    progress: bool | None = None,
    start: int = 0,
) -> pd.DataFrame:
    """Runs many scenarios on every core (``threads`` to choose) and returns one row per scenario:
    ``index``, ``link``, ``problems`` (empty when it ran) and every headline figure.

    Either a base link and a ``grid`` (see :func:`expand`), or a list of links as ``base`` with no
    grid. A bad link is a row with its problems and no figures; the rest still run. A progress bar
    shows on a terminal (``progress`` to force it on or off). ``start`` numbers the rows from
    there (for the partitions of a larger sweep)."""
    if not isinstance(base, (str, Mapping)):
        if grid is not None:
            raise TypeError("give a base link and a grid, or a list of links without a grid")
        links = list(base)
    else:
        links = expand(base if isinstance(base, (str, Mapping)) else "v=1", grid or ())
    show = sys.stderr.isatty() if progress is None else progress
    callback = _progress_bar(len(links)) if show else None
    csv = _core.sweep(links, start, threads, callback)
    return _sweep_frame(csv)


def _sweep_frame(csv: str) -> pd.DataFrame:
    """A sweep's CSV as a DataFrame: figures as floats (NaN for a row that did not run). No
    comment lines: a sweep's CSV has none, and a link may hold a ``#``."""
    figures = list(kpis()["id"])
    return pd.read_csv(
        io.StringIO(csv),
        keep_default_na=False,
        na_values={k: [""] for k in figures},
        dtype={"link": str, "problems": str, **{k: "float64" for k in figures}},
        **EXACT_FLOATS,
    )
