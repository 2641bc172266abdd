"""Train a ridge regression on house prices and log it to the workspace's run store.

Runs with the standard library alone. Tracking goes through `mlflow` when it is installed and
through Model Factory's bundled `model_factory` module otherwise; both talk to the tracking
server that Model Factory starts for this workspace (MLFLOW_TRACKING_URI).
"""
import argparse
import csv
import json
import math
import os

try:
    import mlflow
except ImportError:  # Model Factory puts its module on PYTHONPATH for terminals and tasks.
    import model_factory as mlflow

DISTRICTS = ["north", "south", "east", "west"]


def features(row):
    base = [1.0, float(row["area"]), float(row["rooms"]), float(row["age"])]
    return base + [1.0 if row["district"] == d else 0.0 for d in DISTRICTS[1:]]


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [features(r) for r in rows], [float(r["price"]) for r in rows]


def solve(a, b):
    """Gaussian elimination with partial pivoting; the system is small (8 x 8)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= factor * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(x, y, ridge):
    k = len(x[0])
    xtx = [[sum(row[i] * row[j] for row in x) + (ridge if i == j and i > 0 else 0.0)
            for j in range(k)] for i in range(k)]
    xty = [sum(row[i] * t for row, t in zip(x, y)) for i in range(k)]
    return solve(xtx, xty)


def rmse(w, x, y):
    errors = [(sum(a * b for a, b in zip(w, row)) - t) ** 2 for row, t in zip(x, y)]
    return math.sqrt(sum(errors) / len(errors))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/train.csv")
    parser.add_argument("--ridge", type=float, default=0.1)
    args = parser.parse_args()

    x, y = load(args.data)
    split = int(len(x) * 0.8)
    mlflow.set_experiment("house-prices")
    with mlflow.start_run():
        mlflow.log_params({"data": args.data, "ridge": args.ridge, "rows": len(x)})
        w = fit(x[:split], y[:split], args.ridge)
        mlflow.log_metric("train_rmse", rmse(w, x[:split], y[:split]))
        mlflow.log_metric("rmse", rmse(w, x[split:], y[split:]))
        os.makedirs("model", exist_ok=True)
        with open("model/weights.json", "w") as f:
            json.dump({"features": ["bias", "area", "rooms", "age"] + DISTRICTS[1:], "w": w}, f)
        mlflow.log_artifacts("model", artifact_path="model")


if __name__ == "__main__":
    main()
