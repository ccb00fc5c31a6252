#!/usr/bin/python3
"""Draws the figures of a moesim sweep from its CSVs (one PNG + SVG per CSV).

Usage: /usr/bin/python3 results/plot.py SWEEP_DIR [--out FIG_DIR]

Reads only the CSVs that `moesim sweep` writes (their first column, `figure`, names the kind); the common
columns are documented in sims/sweep/aggregate.hpp, each kind's own in its file under sims/figures/. Error
bars span the seeds (min to max); markers are the mean, or for searches the value reached by a majority of
the seeds. Titles say what was measured, never whether it agrees with a claim: the README reads them.
"""
import argparse
import csv
import math
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "moesim"  # the same CSV gives the same SVG
import matplotlib.pyplot as plt  # noqa: E402


def num(row, key):
    v = row.get(key, "")
    return float(v) if v not in ("", None) else math.nan


def series_name(row):
    if row.get("series"):
        return row["series"]
    k = int(num(row, "experts")) if row.get("experts") else 0
    return "dense" if k == 0 else f"MoE K={k}"


def by_series(rows):
    groups = defaultdict(list)
    for r in rows:
        groups[series_name(r)].append(r)
    return groups


def errorbar(ax, xs, mid, lo, hi, **kw):
    yerr = [[max(0.0, m - l) if not math.isnan(l) else 0 for m, l in zip(mid, lo)],
            [max(0.0, h - m) if not math.isnan(h) else 0 for m, h in zip(mid, hi)]]
    kw.setdefault("marker", "o")
    return ax.errorbar(xs, mid, yerr=yerr, capsize=3, **kw)


MARKERS = "osD^v<>ph*"


def critical_width(rows, ax):
    # The bounds constrain m*H (width times heads): the critical m is drawn times H. Series are offset a
    # little along |V| so that equal values stay visible; a point that no majority of seeds reached within
    # the searched range is drawn as censored (an open triangle at the range's top: the truth lies above).
    heads = {num(r, "nodes"): num(r, "heads") for r in rows}
    groups = list(by_series(rows).items())
    censored_label = True
    for i, (name, rs) in enumerate(groups):
        rs.sort(key=lambda r: num(r, "nodes"))
        shift = 1 + 0.025 * (i - (len(groups) - 1) / 2)
        color, marker = f"C{i % 10}", MARKERS[i % len(MARKERS)]
        done = [r for r in rs if r["value_majority"] != ""]
        xs = [num(r, "nodes") * shift for r in done]
        h = [heads[num(r, "nodes")] for r in done]
        errorbar(ax, xs, [num(r, "value_majority") * k for r, k in zip(done, h)],
                 [num(r, "value_min") * k for r, k in zip(done, h)], [num(r, "value_max") * k for r, k in zip(done, h)],
                 label=name, color=color, marker=marker)
        cens = [r for r in rs if r["value_majority"] == ""]
        if cens:
            ax.scatter([num(r, "nodes") * shift for r in cens],
                       [num(r, "search_max") * heads[num(r, "nodes")] for r in cens], marker="^", facecolors="none",
                       edgecolors=color, s=60, label="no majority within the range (censored)" if censored_label else None)
            censored_label = False
    nodes = sorted({num(r, "nodes") for r in rows})
    bound = {num(r, "nodes"): num(r, "lower_bound") for r in rows}
    ax.plot(nodes, nodes, "k--", label="dense construction m H = |V| (Thm 3.3)")
    ax.plot(nodes, [bound[n] for n in nodes], "k:", label="lower bound |V| / log2 N (Thm 3.2, c = 1)")
    ax.set_xlabel("|V| (vertices; series offset slightly for visibility)")
    ax.set_ylabel(f"critical width m H (H = {int(max(heads.values()))}; test accuracy >= target)")
    ax.set_title("Length-2 path: critical width m H against |V|, majority of seeds")


def parameter_matched(rows, ax):
    dense = [r for r in rows if num(r, "experts") == 0]
    moe = sorted([r for r in rows if num(r, "experts") > 0], key=lambda r: num(r, "experts"))
    xs = [num(r, "experts") for r in moe]
    errorbar(ax, xs, [num(r, "test_mean") for r in moe], [num(r, "test_min") for r in moe],
             [num(r, "test_max") for r in moe], label="MoE, width m_d / sqrt(K): test")
    ax.plot(xs, [num(r, "train_mean") for r in moe], "C0--", alpha=0.6, label="MoE: train")
    for r in moe:
        ax.annotate(f"m={r['m']}", (num(r, "experts"), num(r, "test_mean")), textcoords="offset points",
                    xytext=(4, -12), fontsize=7)
    for r in dense:
        ax.axhline(num(r, "test_mean"), color="C1", label=f"dense, width m_d = {r['m']}: test")
        ax.axhspan(num(r, "test_min"), num(r, "test_max"), color="C1", alpha=0.15)
    if rows:
        k = num(rows[0], "breaking_k")
        ax.axvline(k, color="k", linestyle=":", label=f"Cor 3.4: MoE below the bound from K = {int(k)}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("experts K (total parameters held fixed)")
    ax.set_ylabel("length-2 path accuracy")
    ax.set_ylim(0.4, 1.02)
    ax.set_title("Parameter-matched: dense m_d vs K experts of width m_d / sqrt(K)")


def memorization(rows, axes):
    ax, ax2 = axes
    for name, rs in by_series(rows).items():
        rs.sort(key=lambda r: num(r, "total_params"))
        xs = [num(r, "total_params") for r in rs]
        errorbar(ax, xs, [num(r, "value_majority") for r in rs], [num(r, "value_min") for r in rs],
                 [num(r, "value_max") for r in rs], label=name)
        for r in rs:
            if num(r, "experts") > 0:
                ax.annotate(f"K={r['experts']}", (num(r, "total_params"), num(r, "value_majority")),
                            textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("total parameters (non-embedding)")
    ax.set_ylabel("capacity: largest n memorised at >= 90%")
    ax.set_title("Gaussian memorisation: capacity against total parameters")
    moe = sorted([r for r in rows if num(r, "experts") > 0], key=lambda r: num(r, "experts"))
    ks = [num(r, "experts") for r in moe]
    ax2.plot(ks, [num(r, "bits_per_total") for r in moe], "o-", label="bits per total parameter")
    ax2.plot(ks, [num(r, "bits_per_active") for r in moe], "s-", label="bits per active parameter")
    ax2.set_xscale("log", base=2)
    ax2.set_xlabel("experts K")
    ax2.set_ylabel("memorised bits per parameter")
    ax2.set_title("MoE: capacity per parameter")
    ax2.legend(fontsize=8)


def phonebook(rows, ax):
    for name, rs in by_series(rows).items():
        rs.sort(key=lambda r: num(r, "total_params"))
        errorbar(ax, [num(r, "total_params") for r in rs], [num(r, "value_majority") for r in rs],
                 [num(r, "value_min") for r in rs], [num(r, "value_max") for r in rs], label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("total parameters (non-embedding)")
    ax.set_ylabel("largest phone book at >= 90% exact match")
    ax.set_title("Phone book: memorisation against total parameters")


def shortest_path(rows, ax):
    for i, (name, rs) in enumerate(by_series(rows).items()):
        rs.sort(key=lambda r: num(r, "total_params"))
        xs = [num(r, "total_params") for r in rs]
        errorbar(ax, xs, [num(r, "test_mean") for r in rs], [num(r, "test_min") for r in rs],
                 [num(r, "test_max") for r in rs], label=f"{name}: test", color=f"C{i}")
        ax.plot(xs, [num(r, "train_mean") for r in rs], "--", color=f"C{i}", alpha=0.6)
    ax.set_xscale("log")
    ax.set_xlabel("total parameters (non-embedding); dashed: train")
    ax.set_ylabel("shortest path exact match")
    ax.set_title("Shortest path: accuracy against total parameters")


def topk(rows, axes):
    ax, ax2 = axes
    moe = [r for r in rows if r.get("model") == "moe"]
    dense = [r for r in rows if r.get("model") != "moe"]
    groups = defaultdict(list)
    for r in moe:
        groups[int(num(r, "features"))].append(r)
    for i, (features, rs) in enumerate(sorted(groups.items())):
        rs.sort(key=lambda r: num(r, "top-k"))
        ks = [num(r, "top-k") for r in rs]
        errorbar(ax, ks, [num(r, "ood_mean") for r in rs], [num(r, "ood_min") for r in rs],
                 [num(r, "ood_max") for r in rs], label=f"K={features} features: all right", color=f"C{i}")
        ax.plot(ks, [num(r, "ood_feature_mean") for r in rs], "--", color=f"C{i}", alpha=0.6,
                label=f"K={features}: per feature")
        for r in dense:
            if int(num(r, "features")) == features:
                ax.axhline(num(r, "ood_mean"), color=f"C{i}", linestyle=":", alpha=0.8,
                           label=f"K={features}: {r['series']}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("activated experts k (of 8)")
    ax.set_ylabel("OOD accuracy")
    ax.set_title("SRAVEN: OOD accuracy against top-k")
    best = {}
    for r in moe:
        if r.get("best_k"):
            best[int(num(r, "features"))] = r
    fs = sorted(best)
    if fs:
        ax2.plot(fs, [num(best[f], "best_k") for f in fs], "o", markersize=10, label="k with the best mean OOD accuracy")
        label = "each seed's own best k"
        for f in fs:
            seeds = [float(k) for k in best[f].get("best_k_seeds", "").split()]
            offsets = [0.06 * (j - (len(seeds) - 1) / 2) for j in range(len(seeds))]
            ax2.plot([f + o for o in offsets], seeds, "x", color="C1", label=label)
            label = None
    ax2.set_xlabel("complexity: features per problem K")
    ax2.set_ylabel("best k by OOD accuracy")
    ax2.set_title("Best top-k against complexity")


DRAW = {
    "critical-width": (critical_width, 1),
    "parameter-matched": (parameter_matched, 1),
    "memorization": (memorization, 2),
    "phonebook": (phonebook, 1),
    "shortest-path": (shortest_path, 1),
    "topk": (topk, 2),
}


class BadInput(Exception):
    pass


def figure_of(path, name):
    """Reads one sweep CSV and draws it; None for a CSV that is not a sweep's (no known `figure`)."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise BadInput(f"{name}: unreadable ({e})")
    if not rows or rows[0].get("figure") not in DRAW:
        return None
    for line, r in enumerate(rows, start=2):
        if None in r or None in r.values():  # DictReader's marks for extra and missing fields
            raise BadInput(f"{name}:{line}: the row's fields do not match the header (a truncated or edited file?)")
    kind = rows[0]["figure"]
    if any(r.get("figure") != kind for r in rows):
        raise BadInput(f"{name}: rows of more than one figure kind (accepted: one kind per CSV, as moesim sweep writes)")
    draw, panels = DRAW[kind]
    fig, axes = plt.subplots(1, panels, figsize=(6.4 * panels, 4.8))
    try:
        draw(rows, axes)
    except (ValueError, KeyError, TypeError) as e:
        plt.close(fig)
        raise BadInput(f"{name}: not a well-formed '{kind}' CSV ({type(e).__name__}: {e}; accepted: the columns "
                       "sims/sweep/aggregate.hpp documents)")
    for ax in axes if panels > 1 else [axes]:
        if ax.get_legend_handles_labels()[0] and not ax.get_legend():
            ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir")
    parser.add_argument("--out", default=None, help="folder for the figures (default: the sweep folder)")
    args = parser.parse_args()
    out = args.out or args.sweep_dir
    # Every CSV is read and drawn before any file is written: bad input leaves no figure behind.
    figures, skipped = [], []
    try:
        for name in sorted(os.listdir(args.sweep_dir)):
            if name.endswith(".csv"):
                fig = figure_of(os.path.join(args.sweep_dir, name), name)
                (figures.append((name[:-4], fig)) if fig else skipped.append(name))
    except BadInput as e:
        print(f"moesim: plot: {e}", file=sys.stderr)
        return 2
    if not figures:
        print(f"moesim: plot: no sweep CSVs in {args.sweep_dir} (accepted: a folder holding the CSVs of moesim sweep"
              + (f"; {len(skipped)} other CSV(s) there" if skipped else "") + ")", file=sys.stderr)
        return 2
    for name in skipped:
        print(f"plot: {name} is not a moesim sweep CSV; left out", file=sys.stderr)
    os.makedirs(out, exist_ok=True)
    for name, fig in figures:
        stem = os.path.join(out, name)
        for ext in ("png", "svg"):
            # Written beside, then renamed: a killed plot leaves the old figure or the new one.
            tmp = f"{stem}.tmp.{os.getpid()}.{ext}"
            fig.savefig(tmp, dpi=110, metadata={"Date": None} if ext == "svg" else None)
            os.replace(tmp, f"{stem}.{ext}")
        plt.close(fig)
        print(f"{stem}.png  {stem}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
