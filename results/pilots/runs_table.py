"""The pilots' run tables: one CSV line per run (its run.json record) with the columns asked for.

    runs_table.py RUNS_DIR SUFFIXES COLUMN...

RUNS_DIR holds one folder per run, named SETTING-PART-...-PART: the `setting` column is the name without
its last SUFFIXES parts (the seed, an init). The one definition of a collapse every pilot uses is
`collapsed_at`'s.
"""
import csv, json, pathlib, sys


def collapsed_at(evals):
    """The first evaluation whose training loss is back at ln 2 (to 1e-4) after having been below 0.68:
    the model fell to the constant output after learning something. "" if it never did."""
    learned = False
    for e in evals:
        learned = learned or e["loss"] < 0.68
        if learned and abs(e["loss"] - 0.693147) < 1e-4:
            return e["step"]
    return ""


def busiest_median(evals):
    """The (upper) median over evaluations of the busiest expert's share of the routing each evaluation
    records, that step's training batch's ("" for dense)."""
    shares = sorted(max(e["routing"][0]["load"]) for e in evals if e.get("routing"))
    return round(shares[len(shares) // 2], 3) if shares else ""


COLUMNS = {
    "seed": lambda r, c, res, ev: r["seed"],
    "experts": lambda r, c, res, ev: c["experts"],
    "nodes": lambda r, c, res, ev: c["nodes"],
    "m": lambda r, c, res, ev: c["m"],
    "lr": lambda r, c, res, ev: c["lr"],
    "train_size": lambda r, c, res, ev: c["train-size"],
    "readout_init": lambda r, c, res, ev: c.get("readout-init", "normal"),
    "lr_width": lambda r, c, res, ev: c.get("lr-width", 0),
    "status": lambda r, c, res, ev: res["status"],
    "steps": lambda r, c, res, ev: res["steps_done"],
    "reached_at": lambda r, c, res, ev: next((e["step"] for e in ev if e["test_metric"] >= c["target"]), ""),
    "at_95": lambda r, c, res, ev: next((e["step"] for e in ev if e["test_metric"] >= 0.95), ""),
    "busiest_median": lambda r, c, res, ev: busiest_median(ev),
    "best_test": lambda r, c, res, ev: max(e["test_metric"] for e in ev),
    "final_test": lambda r, c, res, ev: res["test_metric"],
    "confirm": lambda r, c, res, ev: res.get("confirm_metric"),
    "final_train": lambda r, c, res, ev: res.get("train_metric"),
    "collapsed_at": lambda r, c, res, ev: collapsed_at(ev),
    "wall_s": lambda r, c, res, ev: round(res["wall_seconds"], 1),
}


def main(runs, suffixes, columns):
    unknown = [k for k in columns if k != "setting" and k not in COLUMNS]
    if unknown:
        sys.exit(f"runs_table.py: unknown column {unknown[0]}; accepted: setting, {', '.join(COLUMNS)}")
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(columns)
    for path in sorted(pathlib.Path(runs).glob("*/run.json")):
        r = json.loads(path.read_text())
        c, res = r["config"], r["result"]
        setting = path.parent.name.rsplit("-", suffixes)[0]
        out.writerow([setting if k == "setting" else COLUMNS[k](r, c, res, res["evaluations"]) for k in columns])


if __name__ == "__main__":
    if len(sys.argv) < 4 or not sys.argv[2].isdigit():
        sys.exit("usage: runs_table.py RUNS_DIR SUFFIXES COLUMN...")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
