"""One line per run of the train-size pilot: setting, seed, outcome, and where it collapsed (if it did)."""
import csv, json, pathlib, sys

runs = pathlib.Path(sys.argv[1])
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["setting", "seed", "nodes", "m", "train_size", "status", "steps", "best_test", "final_test", "confirm",
              "collapsed_at", "wall_s"])
for path in sorted(runs.glob("*/run.json")):
    r = json.loads(path.read_text())
    c, res = r["config"], r["result"]
    evals = res["evaluations"]
    # A collapse: the training loss back at ln 2 (to 1e-4) after having been below 0.68.
    collapsed, learned = "", False
    for e in evals:
        learned = learned or e["loss"] < 0.68
        if learned and abs(e["loss"] - 0.693147) < 1e-4:
            collapsed = e["step"]
            break
    setting = path.parent.name.rsplit("-", 1)[0]
    out.writerow([setting, r["seed"], c["nodes"], c["m"], c["train-size"], res["status"], res["steps_done"],
                  max(e["test_metric"] for e in evals), res["test_metric"], res.get("confirm_metric"), collapsed,
                  round(res["wall_seconds"], 1)])
