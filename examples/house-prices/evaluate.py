"""Evaluate the last trained weights on a data file and log the error as a run."""
import argparse
import json

from train import load, rmse

try:
    import mlflow
except ImportError:
    import model_factory as mlflow


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/new.csv")
    args = parser.parse_args()

    with open("model/weights.json") as f:
        w = json.load(f)["w"]
    x, y = load(args.data)
    mlflow.set_experiment("house-prices")
    with mlflow.start_run(run_name="evaluate"):
        mlflow.log_param("data", args.data)
        mlflow.log_metric("rmse", rmse(w, x, y))


if __name__ == "__main__":
    main()
