"""Evaluate a trained churn model on a data file and track the result as a run.

    python3 evaluate.py [--data data/current.csv]

The model comes from MODEL_PATH when it is set (Model Factory sets it to the artifact folder
of the model version being evaluated, with MODEL_URI naming that version), else from
model/model.json, where train.py leaves the model it trained last. The run gets the accuracy,
log loss and ROC AUC on the data, the data file as its evaluation dataset, and a model_uri
tag linking it to the model version.
"""
import argparse
import os

import logistic
from train import MODEL_FILE, log_dataset, log_new_params, mlflow, use_experiment


def model_file():
    """The model to evaluate: MODEL_PATH (the artifact folder, or the JSON file itself), else
    the last one train.py wrote here."""
    path = os.environ.get("MODEL_PATH")
    if not path:
        return MODEL_FILE
    return os.path.join(path, "model.json") if os.path.isdir(path) else path


def parse_args():
    """The command line of the MLproject's `evaluate` entry point."""
    parser = argparse.ArgumentParser(description="Evaluate the churn model on a data file.")
    parser.add_argument("--data", default="data/current.csv", help="CSV file with `churned`")
    return parser.parse_args()


def main():
    args = parse_args()
    path = model_file()
    model = logistic.load_model(path)
    rows = logistic.read_rows(args.data)

    use_experiment()
    with mlflow.start_run(run_name="evaluate") as run:
        if os.environ.get("MODEL_URI"):
            mlflow.set_tag("model_uri", os.environ["MODEL_URI"])
        log_new_params(run, {"data": args.data, "model": path, "rows": len(rows)})
        log_dataset(args.data, "evaluation")
        scores = logistic.metrics(model, rows)
        mlflow.log_metrics(scores)

    print(", ".join(f"{name} {value:.4f}" for name, value in scores.items()))


if __name__ == "__main__":
    main()
