"""The Python package against the command line: the same numbers, to the bit, for every
function; errors that list every problem; sweeps on every core; the GIL released while the core
works."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import compute_atlas as ca

ROOT = Path(__file__).resolve().parents[2]


def cli_path() -> str:
    path = os.environ.get("ATLAS_CLI") or str(ROOT / "target" / "debug" / "atlas")
    assert Path(path).exists(), f"the atlas command line is built first ({path}); cargo xtask test builds it"
    return path


def atlas(*args: str) -> str:
    return subprocess.run([cli_path(), *args], check=True, capture_output=True, text=True).stdout


def frame(text: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), comment="#", **ca.EXACT_FLOATS, **kwargs)


QUERIES = ["v=1", "v=1&energy=1.5&ban=blackwell:embargoed", "v=1&base=world&carbon=80"]


@pytest.mark.parametrize("query", QUERIES)
def test_run_gives_the_command_lines_numbers_to_the_bit(query: str) -> None:
    r = ca.run(query)
    cli = json.loads(atlas("run", "--query", query, "-f", "json"))
    assert r.summary == cli["summary"]
    csv = atlas("run", "--query", query, "-f", "csv")
    expected = frame(csv, keep_default_na=False, na_values={"provider": [""], "region": [""], "accelerator": [""]})
    pd.testing.assert_frame_equal(r.data, expected, check_exact=True)
    assert r.link.startswith("v=1")


def test_the_issues_one_liner() -> None:
    out = subprocess.run(
        [os.environ.get("PYTHON", sys.executable), "-c", "import compute_atlas as ca; print(ca.run('v=1').summary['h100e_end'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    cli = json.loads(atlas("run", "--query", "v=1", "-f", "json"))["summary"]["h100e_end"]
    assert float(out) == cli and out == repr(cli)


def test_a_scenario_as_a_dict_runs_as_its_link_does() -> None:
    s = ca.default_scenario()
    assert ca.run(s).summary == ca.run("v=1").summary
    world = ca.scenario("world")
    world["energy_cost_multiplier"] = 2.0
    assert ca.run(world).summary == ca.run("v=1&base=world&energy=2").summary
    assert ca.link(world) == "v=1&base=world&energy=2"


def test_results_give_series_by_quarter_and_breakdown() -> None:
    r = ca.run("v=1&base=world")
    total = r.series("h100e")
    by_region = r.series("h100e", by="region")
    assert list(total.index) == list(by_region.index)
    assert (by_region.sum(axis=1) - total["h100e"]).abs().max() <= 1e-6 * total["h100e"].max()
    assert set(r.redirects.columns) >= {"year", "reason", "usd_b", "unmet"}


def test_validate_raises_one_error_listing_every_problem() -> None:
    bad = ca.default_scenario()
    bad["energy_cost_multiplier"] = -1
    bad["end_year"] = 1900
    with pytest.raises(ca.ScenarioError) as caught:
        ca.validate(bad)
    problems = caught.value.problems
    assert len(problems) >= 2, problems
    assert any("energy_cost_multiplier" in p for p in problems)
    assert any("end_year" in p for p in problems)
    with pytest.raises(ca.ScenarioError) as run_error:
        ca.run(bad)
    assert run_error.value.problems == problems
    ca.validate("v=1&energy=2")
    with pytest.raises(ca.ScenarioError, match="enrgy"):
        ca.validate("v=1&enrgy=2")
    with pytest.raises(ca.ScenarioError):
        ca.run("{ not json")


def test_a_links_ignored_parameter_is_a_warning() -> None:
    with pytest.warns(UserWarning, match="did you mean “energy”"):
        r = ca.run("v=1&enrgy=2")
    assert r.summary == ca.run("v=1").summary
    assert r.notices and "enrgy" in r.notices[0]


def test_presets_sources_and_kpis() -> None:
    p = ca.presets()
    assert {"world", "azure-only"} <= set(p["id"])
    for _, row in p.iterrows():
        assert ca.run(row["link"]).summary == ca.run(row["id"]).summary
    s = ca.sources()
    cli = pd.read_csv(
        io.StringIO(atlas("sources")),
        sep="\t",
        keep_default_na=False,
        na_values={"low": [""], "high": [""], "value": [""]},
        **ca.EXACT_FLOATS,
    )
    pd.testing.assert_frame_equal(s, cli, check_exact=True)
    assert list(ca.kpis()["id"])[:1] == ["h100e_end"]


def test_bands_tornado_compare_and_plan_match_the_command_line() -> None:
    query = "v=1&unc=1&draws=100&seed=7"
    series, kpis = ca.bands(query)
    assert kpis == json.loads(atlas("bands", "--query", query, "-f", "json"))
    pd.testing.assert_frame_equal(series, frame(atlas("bands", "--query", query, "-f", "csv")), check_exact=True)

    t = ca.tornado("v=1", "energy_cost_usd_b_end_year")
    pd.testing.assert_frame_equal(
        t, frame(atlas("tornado", "--query", "v=1", "--kpi", "energy_cost_usd_b_end_year", "-f", "csv")), check_exact=True
    )
    with pytest.raises(ValueError):
        ca.tornado("v=1", "no_such_figure")

    c = ca.compare("v=1", "v=1&energy=2")
    pd.testing.assert_frame_equal(c, frame(atlas("compare", "v=1", "v=1&energy=2", "-f", "csv")), check_exact=True)

    p = ca.plan("v=1", max_share=60)
    assert p.plan == json.loads(atlas("plan", "--query", "v=1", "--max-share", "60", "-f", "json"))
    assert p.link == atlas("plan", "--query", "v=1", "--max-share", "60", "--link").strip()
    assert p.purchases["capital_usd_b"].sum() > 0 if "capital_usd_b" in p.purchases else len(p.purchases) > 0
    ca.run(p.link)
    with pytest.raises(ValueError, match="objective"):
        ca.plan("v=1", objective="cheapest")


def test_a_sweep_is_one_row_per_scenario_and_a_bad_link_stops_nothing() -> None:
    grid = {"energy": [0.5, 1, 2], "carbon": "0:100:50", "share.aws": ["20", "oops"]}
    rows = ca.sweep("v=1&base=world", grid, progress=False)
    assert len(rows) == 3 * 3 * 2
    assert list(rows["index"]) == list(range(18))
    bad = rows[rows["problems"] != ""]
    assert len(bad) == 9 and bad["h100e_end"].isna().all()
    assert all("oops" in p for p in bad["problems"])
    good = rows[rows["problems"] == ""]
    for _, row in good.head(3).iterrows():
        summary = ca.run(row["link"]).summary
        for k in ca.kpis()["id"]:
            assert row[k] == summary[k], (row["link"], k)
    # The same rows on one thread and on every core.
    one = ca.sweep(list(rows["link"]), threads=1, progress=False)
    pd.testing.assert_frame_equal(one, ca.sweep(list(rows["link"]), progress=False), check_exact=True)
    # And as the command line writes them, CSV and Parquet.
    cli = frame(atlas("sweep", "--base", "v=1&base=world", "--grid", "energy=0.5,1,2", "--grid", "carbon=0:100:50", "--grid", "share.aws=20,oops"), keep_default_na=False, na_values={k: [""] for k in ca.kpis()["id"]}, dtype={"link": str, "problems": str})
    pd.testing.assert_frame_equal(rows, cli, check_exact=True)


def test_the_command_lines_parquet_has_the_same_rows(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    assert pyarrow
    out = tmp_path / "sweep.parquet"
    atlas("sweep", "--base", "v=1", "--grid", "energy=1,2,x", "-f", "parquet", "-o", str(out))
    parquet = pd.read_parquet(out)
    rows = ca.sweep("v=1", {"energy": "1,2,x"}, progress=False)
    assert list(parquet.columns) == list(rows.columns)
    assert list(parquet["link"]) == list(rows["link"])
    pd.testing.assert_frame_equal(
        parquet[list(ca.kpis()["id"])].astype(float), rows[list(ca.kpis()["id"])], check_exact=True
    )


def test_the_gil_is_released_while_the_core_works() -> None:
    links = ca.expand("v=1&base=world", {"energy": "0.5:2:0.01"})
    stamps: list[float] = []
    stop = threading.Event()

    def count() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            if n % 1000 == 0:
                stamps.append(time.perf_counter())

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.02)
    started = time.perf_counter()
    ca.sweep(links, threads=1, progress=False)
    ended = time.perf_counter()
    stop.set()
    counter.join()
    # The sweep is one chunk, so with the GIL held throughout no other Python thread could run in
    # the middle half of it; released, the counter kept counting there.
    took = ended - started
    middle = [t for t in stamps if started + 0.25 * took < t < started + 0.75 * took]
    assert took > 0.05, took
    assert len(middle) > 10, f"{len(middle)} ticks in the middle of a {took:.2f} s sweep"


def test_a_sweep_shows_its_progress_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    ca.sweep("v=1", {"energy": "1,2,3"}, progress=True)
    assert "3/3 scenarios" in capsys.readouterr().err
    ca.sweep("v=1", {"energy": "1,2,3"}, progress=False)
    assert capsys.readouterr().err == ""


def test_a_scenario_error_survives_pickling_with_its_problems() -> None:
    with pytest.raises(ca.ScenarioError) as caught:
        ca.run({"format_version": 1, "utilisation": 1.7, "carbon_price_usd_per_t": -20})
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is ca.ScenarioError and back.problems == caught.value.problems
    assert len(back.problems) == 2


def test_grid_values_with_commas_stay_one_value_and_links_read_as_everywhere() -> None:
    both = "blackwell:embargoed,hopper:embargoed"
    links = ca.expand("https://example.org/atlas/?v=1&base=world#map", {"ban": [both], "energy": "1,2"})
    assert links == [f"v=1&base=world&ban={both}&energy=1", f"v=1&base=world&ban={both}&energy=2"]
    rows = ca.sweep(links, progress=False)
    assert (rows["problems"] == "").all()
    assert rows.loc[0, "h100e_end"] == ca.run(links[0]).summary["h100e_end"]
    assert len(ca.sweep("world", {"energy": [1]}, progress=False)) == 1
    with pytest.raises(ValueError, match="twice"):
        ca.expand("v=1", ["energy=1", "energy=2"])
    with pytest.raises(TypeError):
        ca.sweep(["v=1"], {"energy": [1]})
    # A link with a # in a value keeps its row's problem (no comment-cutting).
    bad = ca.sweep(["v=1&energy=2#x"], progress=False)
    assert bad.loc[0, "link"] == "v=1&energy=2#x"


def test_every_function_warns_of_a_links_ignored_parameter() -> None:
    with pytest.warns(UserWarning, match="B: enrgy"):
        ca.compare("v=1", "v=1&enrgy=2")
    with pytest.warns(UserWarning, match="enrgy"):
        ca.tornado("v=1&enrgy=2", "h100e_end")
