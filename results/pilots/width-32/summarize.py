"""One line per run of the width-32 pilot: setting, seed, outcome, and where it collapsed (if it did)."""
import csv, json, pathlib, sys

runs = pathlib.Path(sys.argv[1])
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["setting", "seed", "experts", "m", "lr", "status", "steps", "reached_at", "best_test", "final_test",
              "confirm", "final_train", "collapsed_at", "wall_s"])
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
    reached = next((e["step"] for e in evals if e["test_metric"] >= c["target"]), "")
    out.writerow([path.parent.name.rsplit("-", 1)[0], r["seed"], c["experts"], c["m"], c["lr"], res["status"],
                  res["steps_done"], reached, max(e["test_metric"] for e in evals), res["test_metric"],
                  res.get("confirm_metric"), res.get("train_metric"), collapsed, round(res["wall_seconds"], 1)])
