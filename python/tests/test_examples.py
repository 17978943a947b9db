"""The examples run: the article's chart comes out as a picture of the article's shares."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import compute_atlas as ca

ROOT = Path(__file__).resolve().parents[2]


def test_the_article_chart_example_draws_the_articles_shares(tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "article_chart.py"), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000
    # The article's 2026 shares, as the example prints them: Azure 50, AWS 45, Oracle 5.
    shares = ca.run("v=1&base=article-chart").data
    q = shares[(shares["metric"] == "share_new_capital_pct") & (shares["quarter"] == "2026Q1")]
    by = dict(zip(q["provider"], q["value"]))
    assert round(by["azure"]) == 50 and round(by["aws"]) == 45 and round(by["oracle"]) == 5
    assert "wrote" in result.stdout


def test_the_dask_example_runs_on_a_local_cluster() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "dask_sweep.py")],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "143 scenarios on 2 workers" in result.stdout, result.stdout + result.stderr
