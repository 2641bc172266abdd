"""Train a churn model (logistic regression) and track the run.

    python3 train.py [--data data/reference.csv] [--learning-rate 0.1] [--epochs 200]
                     [--l2 0.001]

Needs only the standard library. Tracking goes through `mlflow` when it is installed and
through Model Factory's bundled `model_factory` module otherwise; both send the run to the
tracking server in MLFLOW_TRACKING_URI, which Model Factory sets for its terminals and tasks.

The run gets the parameters, the loss of every epoch, the final accuracy, log loss and ROC
AUC on the training data, the model as model/model.json, and the data file as its training
dataset. The model is also written to model/model.json here, for evaluate.py.
"""
import argparse
import os

import logistic

try:
    import mlflow
except ImportError:  # Model Factory puts its module on PYTHONPATH for terminals and tasks.
    import model_factory as mlflow

EXPERIMENT = "churn"
MODEL_FILE = os.path.join("model", "model.json")


def use_experiment():
    """Sends new runs to the "churn" experiment, unless the launcher already chose one.

    Model Factory (and `mlflow run`) create the run before the script starts and pass it in
    MLFLOW_RUN_ID, or name the experiment in MLFLOW_EXPERIMENT_ID or MLFLOW_EXPERIMENT_NAME;
    setting another experiment then would make mlflow refuse to resume the run.
    """
    chosen = ("MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME")
    if not any(os.environ.get(name) for name in chosen):
        mlflow.set_experiment(EXPERIMENT)


def log_new_params(run, params):
    """Logs the parameters the run does not carry yet.

    A run that Model Factory (or `mlflow run`) launched already has the MLproject's
    parameters as they were given, and MLflow refuses to change a logged value, even from
    "0.10" to "0.1"; those stay as the launcher logged them.
    """
    mlflow.log_params({key: value for key, value in params.items()
                       if key not in run.data.params})


def log_dataset(path, context):
    """Records the data file as a dataset input of the active run, with ``churned`` as its
    targets. model_factory takes the file's path; mlflow wants a Dataset, which it builds
    from a pandas DataFrame (pandas comes with mlflow)."""
    if mlflow.__name__ == "model_factory":
        mlflow.log_input(path, context=context, targets=logistic.TARGET)
        return
    import pandas
    from mlflow.data import from_pandas

    dataset = from_pandas(pandas.read_csv(path), source=os.path.abspath(path),
                          targets=logistic.TARGET, name=os.path.basename(path))
    mlflow.log_input(dataset, context=context)


def parse_args():
    """The command line of the MLproject's `train` entry point."""
    parser = argparse.ArgumentParser(description="Train the churn model.")
    parser.add_argument("--data", default="data/reference.csv", help="training CSV file")
    parser.add_argument("--learning-rate", type=float, default=logistic.DEFAULTS["learning_rate"],
                        help="gradient step size")
    parser.add_argument("--epochs", type=int, default=logistic.DEFAULTS["epochs"],
                        help="passes of gradient descent over the data")
    parser.add_argument("--l2", type=float, default=logistic.DEFAULTS["l2"],
                        help="L2 penalty on the weights")
    return parser.parse_args()


def main():
    args = parse_args()
    rows = logistic.read_rows(args.data)

    use_experiment()
    with mlflow.start_run() as run:
        mlflow.set_tag("model_type", "logistic_regression")
        log_new_params(run, {"data": args.data, "learning_rate": args.learning_rate,
                             "epochs": args.epochs, "l2": args.l2, "rows": len(rows)})
        log_dataset(args.data, "training")

        def log_loss(epoch, loss):
            mlflow.log_metric("loss", loss, step=epoch)

        model = logistic.train(rows, args.learning_rate, args.epochs, args.l2, log_loss)
        scores = logistic.metrics(model, rows)
        mlflow.log_metrics(scores)

        os.makedirs(os.path.dirname(MODEL_FILE), exist_ok=True)
        logistic.save_model(model, MODEL_FILE)
        mlflow.log_artifact(MODEL_FILE, artifact_path="model")

    print(", ".join(f"{name} {value:.4f}" for name, value in scores.items()))


if __name__ == "__main__":
    main()
