"""The article's chart, from the Python package: each cloud's share of OpenAI's new compute
capital, 2023–2026 (Azure 90% → 50%, AWS 0 → 45%, Oracle 5–10%), as the page's first chart draws
it. A plain script in notebook style: run it with `python examples/article_chart.py [out.png]`
after `pip install ./python matplotlib`.
"""

import sys

import matplotlib

matplotlib.use("Agg")  # draw to a file; in a notebook, leave this out
import matplotlib.pyplot as plt

import compute_atlas as ca

# %% The scenario behind the article's chart, as the page's link names it.
r = ca.run("v=1&base=article-chart")
print(r.link)

# %% Each provider's share of the new capital by quarter: a wide DataFrame, one column each.
shares = (
    r.data[(r.data["metric"] == "share_new_capital_pct") & r.data["provider"].notna()]
    .pivot(index="quarter", columns="provider_name", values="value")
    .fillna(0.0)
)
shares = shares.loc[:, shares.sum() > 0]
shares = shares[shares.index <= "2026Q4"]  # the article's window, 2023–2026
print(shares.round(1).iloc[::4])
# Each provider in its own colour, as the page draws it (the scenario carries them).
colours = {p["name"]: p["colour"] for p in r.scenario["providers"]}

# %% The chart: stacked areas, as the page draws them.
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.stackplot(range(len(shares)), shares.T.values, labels=shares.columns, colors=[colours.get(c, "#888888") for c in shares.columns])
ax.set_xticks(range(0, len(shares), 4), shares.index[::4])
ax.set_xlim(0, len(shares) - 1)
ax.set_ylim(0, 100)
ax.set_ylabel("% of new capital")
ax.set_title("OpenAI's compute capital by cloud (Compute Atlas, the article's chart)")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
fig.tight_layout()
out = sys.argv[1] if len(sys.argv) > 1 else "article-chart.png"
fig.savefig(out, dpi=120)
print(f"wrote {out}")
