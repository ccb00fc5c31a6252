#!/usr/bin/python3
"""Draws the figures of a moesim sweep from its CSVs (one PNG + SVG per CSV).

Usage: /usr/bin/python3 results/plot.py SWEEP_DIR [--out FIG_DIR] [--curves]
       /usr/bin/python3 results/plot.py --run RUN [--out FIG_DIR]   (learning curves and routing of one run)

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
from matplotlib import ticker  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_run as plot_run_module  # noqa: E402


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


def axis_columns(rows):
    """The axis columns of a sweep CSV: those between `series` and `seeds`."""
    names = list(rows[0].keys())
    return names[names.index("series") + 1:names.index("seeds")]


def series_key(row, axes, leave_out=("nodes",)):
    """The series a row belongs to, as sims/figures/critical_width.cpp names it: its label, or without one
    its axis values but |V|."""
    if row.get("series"):
        return row["series"]
    return " ".join(f"{k}={row[k]}" for k in sorted(axes) if k not in leave_out and row[k] != "") or "all"


def ci_bars(ax, xs, mid, lo, hi, **kw):
    """Bars for 95% intervals; an unbounded end ("inf": resamples that reach no value in range) as an arrow."""
    finite_hi = [h if math.isfinite(h) else m * 1.6 for m, h in zip(mid, hi)]
    line = errorbar(ax, xs, mid, lo, finite_hi, **kw)
    for x, m, h in zip(xs, mid, hi):
        if not math.isfinite(h) and math.isfinite(m):
            ax.annotate("", (x, m * 1.8), (x, m), arrowprops=dict(arrowstyle="->", color=kw.get("color", "k")))
            ax.update_datalim([(x, m * 1.85)])  # annotations do not widen the axes: keep the arrow's head in
    ax.autoscale_view()
    return line


def critical_width(rows, axes, tables):
    # Panel 1: the critical m*H (the bounds constrain width times heads) by the majority of seeds, with its
    # 95% bootstrap interval, the fitted power law of each series, and the theory's two lines; series are
    # offset a little along |V|; a point no majority reaches within the range is drawn as censored (an open
    # triangle at the range's top); a point with seeds that met the constant-output trap says how many.
    # Panel 2: each series' fitted exponent with its interval, beside the exponents of |V| and
    # |V| / log2 N over the same sizes.
    ax, ax2 = axes
    axes_cols = axis_columns(rows)
    fits = {r["series"]: r for r in tables.get("fit", [])}
    heads = {num(r, "nodes"): num(r, "heads") for r in rows}
    # The sizes the exponents were fitted over: a theory row fits the `fitted` largest of all the sizes (fewer
    # than all with the kind's fit_from), so the fitted lines start at the smallest of those.
    nodes = sorted({num(r, "nodes") for r in rows})
    theory = [r for r in tables.get("fit", []) if r["series"].startswith("theory")]
    n_fit = num(theory[0], "fitted") if theory else len(nodes)
    fit_low = nodes[len(nodes) - int(n_fit)] if 0 < n_fit <= len(nodes) else nodes[0]
    groups = defaultdict(list)
    for r in rows:
        groups[series_key(r, axes_cols)].append(r)
    censored_label = True
    names = list(groups)  # the CSV's order: the preset's
    for i, key in enumerate(names):
        rs = sorted(groups[key], key=lambda r: num(r, "nodes"))
        shift = 1 + 0.015 * (i - (len(names) - 1) / 2)
        color, marker = f"C{i % 10}", MARKERS[i % len(MARKERS)]
        done = [r for r in rs if r["value_majority"] != ""]
        h = [heads[num(r, "nodes")] for r in done]
        ci_bars(ax, [num(r, "nodes") * shift for r in done], [num(r, "value_majority") * k for r, k in zip(done, h)],
                [num(r, "value_ci_low") * k for r, k in zip(done, h)], [num(r, "value_ci_high") * k for r, k in zip(done, h)],
                label=key, color=color, marker=marker, linestyle="none")
        cens = [r for r in rs if r["value_majority"] == ""]
        if cens:
            ax.scatter([num(r, "nodes") * shift for r in cens], [num(r, "search_max") * heads[num(r, "nodes")] for r in cens],
                       marker="^", facecolors="none", edgecolors=color, s=60,
                       label="no majority within the range (censored)" if censored_label else None)
            censored_label = False
        # Seeds whose search met a run at chance (the constant-output trap): their verdicts are the
        # recipe's, not the width's (the CSV's trapped_seeds; absent from older CSVs).
        for r in rs:
            trapped = num(r, "trapped_seeds")
            if trapped > 0:
                y = num(r, "value_majority") if r["value_majority"] != "" else num(r, "search_max")
                ax.annotate(f"{trapped:g} trapped", (num(r, "nodes") * shift, y * heads[num(r, "nodes")]), color=color,
                            fontsize=7, xytext=(4, -10), textcoords="offset points")
        f = fits.get(key)
        if f and f["exponent"] != "":
            xs = [num(r, "nodes") for r in rs if num(r, "nodes") >= fit_low]
            grid = [min(xs) * (max(xs) / min(xs)) ** (t / 20) for t in range(21)]
            ax.plot(grid, [math.exp(num(f, "intercept")) * x ** num(f, "exponent") for x in grid], color=color, alpha=0.5)
    bound = {num(r, "nodes"): num(r, "lower_bound") for r in rows}
    ax.plot(nodes, nodes, "k--", label="dense construction m H = |V| (Thm 3.3)")
    ax.plot(nodes, [bound[n] for n in nodes], "k:", label="lower bound |V| / log2 N (Thm 3.2, c = 1)")
    if len(nodes) > 1 and nodes[-1] / nodes[0] >= 4:
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
    ax.set_xlabel("|V| (vertices; series offset slightly for visibility)")
    ax.set_ylabel(f"critical width m H (H = {int(max(heads.values()))}; majority of seeds, 95% CI)")
    ax.set_title("Length-2 path: critical width m H against |V|")
    fitted = [r for r in tables.get("fit", []) if not r["series"].startswith("theory") and r["exponent"] != ""]
    for i, r in enumerate(fitted):
        errorbar(ax2, [i], [num(r, "exponent")], [num(r, "exponent_ci_low")], [num(r, "exponent_ci_high")],
                 color=f"C{names.index(r['series']) % 10}" if r["series"] in names else "k", linestyle="none")
    ax2.set_xticks(range(len(fitted)), [f"{r['series']}\n({r['fitted']} of {r['points']} sizes)" for r in fitted],
                   rotation=60, ha="right", fontsize=7)
    for r, style in zip([r for r in tables.get("fit", []) if r["series"].startswith("theory")], ["--", ":"]):
        ax2.axhline(num(r, "exponent"), color="k", linestyle=style, label=f"{r['series'][8:]}: {num(r, 'exponent'):.2f}")
    ax2.set_ylabel("fitted exponent of critical m H in |V| (95% CI)")
    ax2.set_title("Scaling exponent per series" + (f" (|V| >= {fit_low:g})" if fit_low > nodes[0] else ""))


def critical_width_protocol(rows, axes, tables):
    # Thm 3.2's protocol on the trained models: the smallest mantissa that reproduces every answer, and the
    # mantissa bits Alice sends, H (m+1) b, against DISJ's |V| - 2.
    ax, ax2 = axes
    for i, (key, rs) in enumerate(by_key(rows, lambda r: (r["series"], int(r["nodes"]))).items()):  # CSV order
        rs.sort(key=lambda r: num(r, "m"))
        label = f"{key[0]}, |V|={key[1]}"
        ms = [num(r, "m") for r in rs]
        errorbar(ax, ms, [num(r, "protocol_bits_mean") for r in rs], [num(r, "protocol_bits_ci_low") for r in rs],
                 [num(r, "protocol_bits_ci_high") for r in rs], label=label, color=f"C{i % 10}")
        ax2.plot(ms, [num(r, "mantissa_bits_sent_mean") for r in rs], "o-", color=f"C{i % 10}", label=label)
        ax2.axhline(num(rs[0], "disjointness_bits"), color=f"C{i % 10}", linestyle=":")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("width m of the trained model")
    ax.set_ylabel("smallest mantissa bits b reproducing every answer (mean, 95% CI)")
    ax.set_title("Protocol precision on trained models (all inputs)")
    ax2.set_xscale("log", base=2)
    ax2.set_yscale("log", base=2)
    ax2.set_xlabel("width m of the trained model")
    ax2.set_ylabel("mantissa bits sent H (m+1) b; dotted: |V| - 2")
    ax2.set_title("Bits Alice sends against DISJ's |V| - 2")


def critical_width_witness(rows, ax, tables):
    # Each trained model's accuracy over every input (its worst case) beside its test accuracy; open markers
    # for widths below the point's critical width.
    for i, (key, rs) in enumerate(by_key(rows, lambda r: (r["series"], int(r["nodes"]))).items()):  # CSV order
        rs.sort(key=lambda r: num(r, "m"))
        color = f"C{i % 10}"
        ms = [num(r, "m") for r in rs]
        ax.plot(ms, [num(r, "exhaustive_accuracy_mean") for r in rs], "-", color=color, label=f"{key[0]}, |V|={key[1]}: all inputs")
        ax.plot(ms, [num(r, "test_mean") for r in rs], "--", color=color, alpha=0.6)
        for r, m in zip(rs, ms):
            ax.scatter([m], [num(r, "exhaustive_accuracy_mean")], color=color,
                       facecolors="none" if r["below_critical"] == "1" else color)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("width m of the trained model (open: below the critical width)")
    ax.set_ylabel("accuracy: over every input (solid), test set (dashed)")
    ax.set_title("Worst case over every input against test accuracy")


def critical_width_routing(rows, axes, tables):
    # How many experts the MoE models use at each width tried: the perplexity of the expert loads (exp of
    # their entropy; K if every expert takes an equal share) with its 95% CI over seeds, and the busiest
    # expert's load over the mean (1: balanced; K: one expert takes everything). Filled markers: widths
    # where at least one seed passed.
    # Colour by |V|, line style and marker by series.
    ax, ax2 = axes
    sizes = sorted({int(r["nodes"]) for r in rows})
    series = list(dict.fromkeys(r["series"] for r in rows))  # CSV order
    styles = ["-", "--", ":", "-."]
    for key, rs in by_key(rows, lambda r: (r["series"], int(r["nodes"]))).items():
        rs.sort(key=lambda r: num(r, "m"))
        s = series.index(key[0])
        style = dict(color=f"C{sizes.index(key[1]) % 10}", linestyle=styles[s % len(styles)], marker=MARKERS[s % len(MARKERS)])
        label = f"{key[0]}, |V|={key[1]}"
        ms = [num(r, "m") for r in rs]
        errorbar(ax, ms, [num(r, "effective_experts_mean") for r in rs], [num(r, "effective_experts_ci_low") for r in rs],
                 [num(r, "effective_experts_ci_high") for r in rs], label=label, markerfacecolor="none", **style)
        passed = [(m, r) for m, r in zip(ms, rs) if int(r["passed"]) > 0]
        ax.scatter([m for m, _ in passed], [num(r, "effective_experts_mean") for _, r in passed], color=style["color"],
                   marker=style["marker"])
        ax2.plot(ms, [num(r, "busiest_over_mean_mean") for r in rs], label=label, **style)
    for a in (ax, ax2):
        a.set_xscale("log", base=2)
        a.set_xlabel("width m of the trained model (filled: some seed passed)")
    ax.set_yscale("log", base=2)
    ax.set_ylabel("experts in use: perplexity of the loads (mean, 95% CI)")
    ax.set_title("Experts the router uses")
    ax2.set_yscale("log", base=2)
    ax2.set_ylabel("busiest expert's load / mean load")
    ax2.set_title("Load imbalance")


def by_key(rows, key):
    groups = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return groups


def parameter_matched(rows, ax, tables):
    # The dense reference as a band, each arm's test accuracy against K with its 95% interval.
    for i, (arm, rs) in enumerate(sorted(by_key([r for r in rows if r["arm"] != "dense reference"], lambda r: r["arm"]).items())):
        rs.sort(key=lambda r: num(r, "experts") if num(r, "experts") > 0 else num(r, "dense_width") ** 2 / num(r, "m") ** 2)
        ks = [round(num(r, "dense_width") ** 2 / num(r, "m") ** 2) for r in rs]
        ratios = ", ".join(f"{num(r, 'total_ratio'):.2f}" for r in rs)
        errorbar(ax, ks, [num(r, "test_mean") for r in rs], [num(r, "test_ci_low") for r in rs],
                 [num(r, "test_ci_high") for r in rs], label=f"{arm} (totals x{ratios} of the dense)", color=f"C{i}")
        for r, k in zip(rs, ks):
            ax.annotate(f"m={r['m']}", (k, num(r, "test_mean")), textcoords="offset points", xytext=(4, -12), fontsize=7)
    for r in rows:
        if r["arm"] == "dense reference":
            ax.axhline(num(r, "test_mean"), color="k", label=f"dense reference, m_d = {r['m']} (total {r['dense_total']})")
            ax.axhspan(num(r, "test_ci_low"), num(r, "test_ci_high"), color="k", alpha=0.1)
    if rows:
        k = num(rows[0], "breaking_k")
        ax.axvline(k, color="k", linestyle=":", label=f"Cor 3.4: matched width below the bound from K = {int(k)}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("experts K (width m_d / sqrt(K))")
    ax.set_ylabel("length-2 path test accuracy (mean, 95% CI)")
    ax.set_title("Parameter-matched: narrow attention or small experts?")


def narrow_log_axis(ax):
    """A log x axis spanning less than x3 (a few close totals): widened to x1.5 either side and labelled
    with plain numbers, where matplotlib would crowd it with overlapping minor labels."""
    lo, hi = ax.get_xlim()
    if lo <= 0 or hi / lo >= 3:  # lo <= 0: limits left from a linear autoscale, which the log scale clips
        return False
    mid = (lo * hi) ** 0.5
    ax.set_xlim(mid / 1.5 / (hi / lo) ** 0.5, mid * 1.5 * (hi / lo) ** 0.5)
    ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    return True


def capacity_bits(rows, axes, what, tables):
    """Capacity figures: bits memorised (mean, 95% CI over seeds) against non-embedding total parameters, and
    bits per total and per active parameter with the ~2 bits/parameter of Allen-Zhu & Li; budget-control twins
    (more epochs, same model) hollow, a budget-limited series marked in the legend."""
    ax, ax2 = axes

    def twin(r):  # a budget-control twin: the series' largest model at more epochs
        return r.get("epochs_factor", "1") not in ("1", "")

    def base(r):
        return r["series"].rsplit(", ", 1)[0] if twin(r) else r["series"]

    bases = sorted({base(r) for r in rows})
    verdict = {base(r): r["budget_verdict"] for r in rows if r.get("budget_verdict")}
    for name, rs in by_series(rows).items():
        rs.sort(key=lambda r: num(r, "total_params"))
        is_twin, b = twin(rs[0]), base(rs[0])
        colour = f"C{bases.index(b) % 10}"
        label = name + (f" ({verdict[b]})" if not is_twin and verdict.get(b) else "")
        xs = [num(r, "total_params") for r in rs]
        errorbar(ax, xs, [num(r, "bits_mean") for r in rs], [num(r, "bits_ci_low") for r in rs],
                 [num(r, "bits_ci_high") for r in rs], label=label, color=colour, mfc="none" if is_twin else colour,
                 ls="none" if is_twin else "-")
        if not is_twin:
            ax2.plot(xs, [num(r, "bits_per_total") for r in rs], "o-", color=colour, label=f"{name}: per total")
            ax2.plot([num(r, "total_params") for r in rs], [num(r, "bits_per_active") for r in rs], "s:", color=colour,
                     label=f"{name}: per active", alpha=0.7)
    ax2.axhline(2, color="k", ls=":", lw=0.8, label="2 bits per parameter")
    for a in (ax, ax2):
        a.set_xscale("log")  # before reading the limits: a linear autoscale can leave lo <= 0
        a.autoscale_view()
        a.set_xlabel("non-embedding total parameters (routers included)")
        narrow_log_axis(a)
    lo, hi = ax.get_xlim()  # the 2-bit line once, across the final range
    ax.plot([lo, hi], [2 * lo, 2 * hi], "k:", lw=0.8, label="2 bits per parameter")
    ax.set_xlim(lo, hi)
    ax.set_yscale("log")
    ax.set_ylabel(f"bits memorised ({what}; mean, 95% CI)")
    hollow = " (hollow: 2x epochs)" if any(twin(r) for r in rows) else ""
    ax.set_title("Capacity in bits against total parameters" + hollow)
    ax2.set_ylabel("bits per parameter")
    ax2.set_title("Bits per total (solid) and per active (dotted) parameter")
    ax2.legend(fontsize=6)
    fits = [f"{r['series']}: {num(r, 'exponent'):.2f} [{num(r, 'exponent_ci_low'):.2f}, {num(r, 'exponent_ci_high'):.2f}]"
            for r in tables.get("fit", []) if r.get("exponent")]
    if fits:
        ax.text(0.98, 0.02, "exponent of bits ~ total^a, 95% CI:\n" + "\n".join(fits), transform=ax.transAxes,
                fontsize=6, ha="right", va="bottom", bbox=dict(fc="white", alpha=0.8, lw=0))


def memorization(rows, axes, tables):
    capacity_bits(rows, axes, "n (1 - H2(error)) of the labels", tables)


def phonebook(rows, axes, tables):
    capacity_bits(rows, axes, "n acc log2 1e8 of the numbers", tables)


def shortest_path(rows, ax, tables):
    # Test exact match, mean and 95% bootstrap interval over seeds, against total parameters; train dashed;
    # the graph-blind guesses' scores on the test sets (baseline_* columns, mean over points) as grey lines.
    for i, (name, rs) in enumerate(by_series(rows).items()):
        rs.sort(key=lambda r: num(r, "total_params"))
        xs = [num(r, "total_params") for r in rs]
        errorbar(ax, xs, [num(r, "test_mean") for r in rs], [num(r, "test_ci_low") for r in rs],
                 [num(r, "test_ci_high") for r in rs], label=f"{name}: test", color=f"C{i}")
        ax.plot(xs, [num(r, "train_mean") for r in rs], "--", color=f"C{i}", alpha=0.6)
    for j, col in enumerate(c for c in rows[0] if c.startswith("baseline_")):
        values = [num(r, col) for r in rows if not math.isnan(num(r, col))]
        if values:
            ax.axhline(sum(values) / len(values), color="0.5", linestyle=[":", "-."][j % 2], lw=1,
                       label=f"guess {col[len('baseline_'):].replace('_', ' ')}")
    ax.set_xscale("log")
    ax.set_xlabel("total parameters (non-embedding); dashed: train")
    ax.set_ylabel("shortest path exact match (95% CI over seeds)")
    ax.set_title("Shortest path: accuracy against total parameters")


def topk(rows, axes, tables):
    # Left: OOD accuracy (all features right) of the MoE models against k, mean and 95% interval over seeds,
    # per complexity K; the dense baseline dotted; the OOD set's ceiling (the Bayes-optimal guess's accuracy
    # given the eight panels) dashed. Right: the best k by OOD accuracy as a share of the ceiling, with its
    # bootstrap interval (large marker and bars) and each seed's own best (crosses).
    ax, ax2 = axes
    moe = [r for r in rows if r.get("model") == "moe"]
    dense = [r for r in rows if r.get("model") != "moe"]
    groups = defaultdict(list)
    for r in moe:
        groups[int(num(r, "features"))].append(r)
    for i, (features, rs) in enumerate(sorted(groups.items())):
        rs.sort(key=lambda r: num(r, "top-k"))
        ks = [num(r, "top-k") for r in rs]
        color = f"C{i}"
        errorbar(ax, ks, [num(r, "ood_mean") for r in rs], [num(r, "ood_ci_low") for r in rs],
                 [num(r, "ood_ci_high") for r in rs], label=f"K={features} features: all right", color=color)
        if rs[0].get("baseline_ood_ceiling"):
            ax.axhline(num(rs[0], "baseline_ood_ceiling"), color=color, linestyle="--", alpha=0.7,
                       label=f"K={features}: ceiling (Bayes-optimal guess)")
        for r in dense:
            if int(num(r, "features")) == features:
                ax.axhline(num(r, "ood_mean"), color=color, linestyle=":", alpha=0.8, label=f"K={features}: {r['series']}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("activated experts k")
    ax.set_ylabel("OOD accuracy (mean, 95% CI)")
    ax.set_title("SRAVEN: OOD accuracy against top-k")
    best = {}
    for r in moe:
        if r.get("best_k"):
            best[int(num(r, "features"))] = r
    fs = sorted(best)
    if fs:
        errorbar(ax2, fs, [num(best[f], "best_k") for f in fs], [num(best[f], "best_k_ci_low") for f in fs],
                 [num(best[f], "best_k_ci_high") for f in fs], markersize=10, linestyle="none",
                 label="best k by mean OOD share of the ceiling, 95% CI")
        label = "each seed's own best k"
        for f in fs:
            seeds = [float(k) for k in best[f].get("best_k_seeds", "").split()]
            offsets = [0.06 * (j - (len(seeds) - 1) / 2) for j in range(len(seeds))]
            ax2.plot([f + o for o in offsets], seeds, "x", color="C1", label=label)
            label = None
    ax2.set_xlabel("complexity: features per problem K")
    ax2.set_ylabel("best k")
    ax2.set_title("Best top-k against complexity")


DRAW = {
    "critical-width": (critical_width, 2),
    "critical-width-fit": None,  # drawn in the critical-width figure
    "critical-width-protocol": (critical_width_protocol, 2),
    "critical-width-witness": (critical_width_witness, 1),
    "critical-width-routing": (critical_width_routing, 2),
    "parameter-matched": (parameter_matched, 1),
    "memorization": (memorization, 2),
    "phonebook": (phonebook, 2),
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
    if not rows or rows[0].get("figure") not in DRAW or DRAW[rows[0]["figure"]] is None:
        return None
    for line, r in enumerate(rows, start=2):
        if None in r or None in r.values():  # DictReader's marks for extra and missing fields
            raise BadInput(f"{name}:{line}: the row's fields do not match the header (a truncated or edited file?)")
    kind = rows[0]["figure"]
    if any(r.get("figure") != kind for r in rows):
        raise BadInput(f"{name}: rows of more than one figure kind (accepted: one kind per CSV, as moesim sweep writes)")
    draw, panels = DRAW[kind]
    tables = {}  # FIGURE.NAME.csv beside FIGURE.csv: further tables of the same figure
    stem = path[:-4]
    for other in ("fit",):
        if os.path.exists(f"{stem}.{other}.csv"):
            with open(f"{stem}.{other}.csv", newline="") as f:
                tables[other] = list(csv.DictReader(f))
    fig, axes = plt.subplots(1, panels, figsize=(6.4 * panels, 4.8))
    try:
        draw(rows, axes, tables)
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


def out_problem(out):
    """Why figures cannot be written into `out` (None if they can): checked before anything is drawn."""
    probe = out
    while probe and not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if probe and not os.path.isdir(probe):
        return f"--out {out}: {probe} is a file, not a folder (accepted: a folder, existing or new)"
    if probe and not os.access(probe, os.W_OK | os.X_OK):
        return f"--out {out}: {probe} is not writable (accepted: a folder you can write)"
    return None


def save(figures, out):
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


def plot_run(path, out):
    """One run's learning curves and routing: PATH is a run.json or the folder holding it."""
    record_path = os.path.join(path, "run.json") if os.path.isdir(path) else path
    try:
        record = plot_run_module.read_record(record_path)
    except plot_run_module.BadRecord as e:
        print(f"moesim: plot: --run {e}", file=sys.stderr)
        return 2
    out = out or os.path.dirname(os.path.abspath(record_path))
    if out_problem(out):
        print(f"moesim: plot: {out_problem(out)}", file=sys.stderr)
        return 2
    stem = os.path.splitext(os.path.basename(record_path))[0]
    save([(f"{stem}.curves", plot_run_module.draw_run(record, f"{record.get('options', {}).get('task', '')} {stem}"))], out)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", nargs="?")
    parser.add_argument("--out", default=None, help="folder for the figures (default: the sweep folder)")
    parser.add_argument("--run", default=None, help="one run (run.json or its folder): learning curves and routing")
    parser.add_argument("--curves", action="store_true", help="also learning curves of every record of the sweep")
    args = parser.parse_args()
    if args.run:
        return plot_run(args.run, args.out)
    if not args.sweep_dir:
        print("moesim: plot: a sweep folder or --run RUN is needed", file=sys.stderr)
        return 2
    out = args.out or args.sweep_dir
    if out_problem(out):
        print(f"moesim: plot: {out_problem(out)}", file=sys.stderr)
        return 2
    # Every CSV is read and drawn before any file is written: bad input leaves no figure behind.
    figures, skipped = [], []
    try:
        for name in sorted(os.listdir(args.sweep_dir)):
            if name.endswith(".fit.csv"):
                continue  # drawn inside its figure
            if name.endswith(".csv"):
                fig = figure_of(os.path.join(args.sweep_dir, name), name)
                (figures.append((name[:-4], fig)) if fig else skipped.append(name))
        if args.curves:
            figures += plot_run_module.draw_curves(args.sweep_dir)
    except BadInput as e:
        print(f"moesim: plot: {e}", file=sys.stderr)
        return 2
    except plot_run_module.BadRecord as e:
        print(f"moesim: plot: --curves: {e}", file=sys.stderr)
        return 2
    if not figures:
        print(f"moesim: plot: no sweep CSVs in {args.sweep_dir} (accepted: a folder holding the CSVs of moesim sweep"
              + (f"; {len(skipped)} other CSV(s) there" if skipped else "") + ")", file=sys.stderr)
        return 2
    for name in skipped:
        print(f"plot: {name} is not a moesim sweep CSV; left out", file=sys.stderr)
    save(figures, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
