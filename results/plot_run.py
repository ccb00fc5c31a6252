"""Learning curves and routing of training runs, from their records (run.json, or a sweep's records/).

Imported by plot.py for `moesim plot --run RUN` and `moesim plot --curves SWEEP_DIR`. Reads the record
fields sims/run_record.hpp writes: result.evaluations[] with step, loss, train_metric, test_metric and,
for MoE runs, routing[] per layer (load per expert, max_over_mean, entropy).
"""
import glob
import json
import math
import os

import matplotlib.pyplot as plt


class BadRecord(Exception):
    pass


def read_record(path):
    try:
        with open(path) as f:
            record = json.load(f)
        evals = record["result"]["evaluations"]
        if not isinstance(evals, list) or not evals:
            raise KeyError("result.evaluations")
        for e in evals:
            e["step"], e["train_metric"], e["test_metric"]  # noqa: B018 (present, or KeyError)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise BadRecord(f"{path}: unreadable ({e}; accepted: a run.json of moesim train or a sweep record)")
    except (KeyError, TypeError) as e:
        raise BadRecord(f"{path}: not a run record (missing {e}; accepted: a run.json of moesim train or a sweep record)")
    return record


def _loss(e):
    return math.nan if e.get("loss") is None else e["loss"]


def draw_run(record, title):
    """One run: loss, train and test metric against step; for an MoE, its routing per layer."""
    evals = record["result"]["evaluations"]
    steps = [e["step"] for e in evals]
    routed = [e for e in evals if e.get("routing")]
    panels = 4 if routed else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4.2))
    axes[0].plot(steps, [_loss(e) for e in evals], "o-", ms=3)
    axes[0].set(xlabel="step", ylabel="training loss (mean since the last evaluation)", title=title)
    axes[1].plot(steps, [e["train_metric"] for e in evals], "o--", ms=3, label="train")
    axes[1].plot(steps, [e["test_metric"] for e in evals], "o-", ms=3, label="test")
    if "confirm_metric" in record["result"]:
        axes[1].axhline(record["result"]["confirm_metric"], color="k", lw=0.8, ls=":", label="confirmation set")
    for name, score in sorted(record.get("baselines", {}).items()):
        axes[1].axhline(score, color="gray", lw=0.8, ls="-.", label=f"baseline {name}")
    axes[1].set(xlabel="step", ylabel="metric", ylim=(-0.02, 1.02))
    if routed:
        rsteps = [e["step"] for e in routed]
        layers = len(routed[0]["routing"])
        experts = len(routed[0]["routing"][0]["load"])
        for layer in range(layers):
            axes[2].plot(rsteps, [e["routing"][layer]["max_over_mean"] for e in routed], "o-", ms=3, label=f"layer {layer}")
            axes[3].plot(rsteps, [e["routing"][layer]["entropy"] for e in routed], "o-", ms=3, label=f"layer {layer}")
        axes[2].axhline(1, color="gray", lw=0.8, ls=":", label="balanced")
        axes[2].set(xlabel="step", ylabel="busiest expert's load / mean load", ylim=(0, experts * 1.05),
                    title=f"routing of the training batch, E = {experts}")
        axes[3].axhline(math.log(experts), color="gray", lw=0.8, ls=":", label="ln E (uniform router)")
        axes[3].set(xlabel="step", ylabel="router entropy (nats, mean over tokens)", ylim=(0, math.log(experts) * 1.05 + 1e-9))
    for ax in axes:
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _series(record):
    """What tells a sweep's runs apart besides the seed: the options, without seed."""
    options = record.get("options", {})
    return ", ".join(f"{k}={v}" for k, v in sorted(options.items()) if k not in ("seed", "task"))


def draw_curves(sweep_dir):
    """[(name, figure)]: per section of the sweep's records, train (dashed) and test (solid) metric against
    step of every run, one colour per configuration (its seeds share it)."""
    out = []
    for section_dir in sorted(glob.glob(os.path.join(sweep_dir, "records", "*"))):
        paths = sorted(glob.glob(os.path.join(section_dir, "*.json")))
        if not paths:
            continue
        records = [read_record(p) for p in paths]
        series = sorted({_series(r) for r in records})
        colour = {s: plt.cm.viridis(i / max(1, len(series) - 1)) for i, s in enumerate(series)}
        fig, ax = plt.subplots(figsize=(7.5, 4.8))
        for r in records:
            evals = r["result"]["evaluations"]
            steps = [e["step"] for e in evals]
            c = colour[_series(r)]
            ax.plot(steps, [e["train_metric"] for e in evals], "--", color=c, lw=0.8, alpha=0.7)
            ax.plot(steps, [e["test_metric"] for e in evals], "-", color=c, lw=0.8, alpha=0.7)
        section = os.path.basename(section_dir)
        ax.set(xlabel="step", ylabel="metric (dashed: train, solid: test)", ylim=(-0.02, 1.02),
               title=f"{section}: {len(records)} runs, {len(series)} configurations (colour)")
        ax.set_xscale("log")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        out.append((f"{section}.curves", fig))
    return out
