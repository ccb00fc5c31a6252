#!/usr/bin/python3
"""Peer of `moesim bench graphs`: the same workload with NetworkX, on one core.

Workload: a directed G(n, p) and one shortest-path query between a reachable pair, drawn as moesim
draws it (a source is kept with probability |reach(s)|/(n-1), the target is uniform in reach(s)).
NetworkX's shortest_path has no lexicographic tie-break; otherwise the work matches.
With --export, each instance is also serialised as `moesim data --format jsonl` writes it (json.dumps of
nodes, edges, source, target, path), the text counted and dropped.
Prints `instances_per_second: X`.
"""
import argparse
import json
import random
import time

import networkx as nx


def instance(n, p, rng):
    while True:
        g = nx.gnp_random_graph(n, p, seed=rng, directed=True)
        for _ in range(4 * n):
            s = rng.randrange(n)
            reach = [v for v in nx.single_source_shortest_path_length(g, s) if v != s]
            if rng.randrange(n - 1) >= len(reach):
                continue
            t = reach[rng.randrange(len(reach))]
            return g, s, t, nx.shortest_path(g, s, t)


def export(n, g, s, t, path):
    edges = sorted([u, v] for u, v in g.edges())
    return json.dumps({"nodes": n, "edges": edges, "source": s, "target": t, "path": path},
                      separators=(",", ":")) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--nodes", type=int, default=50)
    ap.add_argument("--p", type=float, required=True)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--export", action="store_true", help="serialise each instance as JSONL too")
    args = ap.parse_args()
    rng = random.Random(1)
    count, text_bytes, start = 0, 0, time.perf_counter()
    while True:
        for _ in range(16):
            g, s, t, path = instance(args.nodes, args.p, rng)
            if args.export:
                text_bytes += len(export(args.nodes, g, s, t, path))
            count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    print(f"instances_per_second: {count / elapsed:.1f}")


if __name__ == "__main__":
    main()
