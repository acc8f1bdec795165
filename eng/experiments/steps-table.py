#!/usr/bin/env python3
"""Reads comparison.json of several `weightinit compare` runs (one architecture each) and prints the Markdown table
steps-to-threshold × architecture × initializer: mean ± std over the runs that reached the loss threshold, (k/n)."""
import json
import math
import os
import sys


def cell(values, total):
    reached = [v for v in values if v is not None]
    if not reached:
        return f"never (0/{total})"
    mean = sum(reached) / len(reached)
    if len(reached) == 1:
        return f"{mean:.0f} (1/{total})"
    std = math.sqrt(sum((v - mean) ** 2 for v in reached) / (len(reached) - 1))
    return f"{mean:.0f} ± {std:.0f} ({len(reached)}/{total})"


rows, initializers, threshold = [], [], None
for directory in sys.argv[1:]:
    with open(os.path.join(directory, "comparison.json"), encoding="utf-8") as f:
        doc = json.load(f)
    options = doc["options"]
    threshold = options["lossThreshold"]
    initializers = options["initializers"]
    by = {i: [r["stepsToLoss"] for r in doc["runs"] if r["initializer"] == i] for i in initializers}
    final = {i: [r["epochs"][-1]["trainingLoss"] for r in doc["runs"] if r["initializer"] == i and r["epochs"]] for i in initializers}
    rows.append((options["architecture"], by, final))
print(f"Steps until the mean training loss of the last 50 batches first reached {threshold} (mean ± std over the seeds that reached it; (k/n) seeds did), and the last epoch's mean training loss.")
print()
print("| Architecture | " + " | ".join(f"{i}: steps" for i in initializers) + " | " + " | ".join(f"{i}: final training loss" for i in initializers) + " |")
print("| --- | " + " | ".join(["---:"] * (2 * len(initializers))) + " |")
for architecture, by, final in rows:
    loss = [f"{sum(final[i]) / len(final[i]):.4f}" if final[i] else "—" for i in initializers]
    print(f"| {architecture} | " + " | ".join(cell(by[i], len(by[i])) for i in initializers) + " | " + " | ".join(loss) + " |")
