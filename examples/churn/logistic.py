"""The churn model: reading the data, encoding it, a logistic regression and its metrics.

Standard library only, and no tracking: train.py, evaluate.py and make_data.py all import it,
so the model that labels the `prediction` column of the data sets is trained by exactly the
code a user runs. Everything is deterministic (no randomness, sums in row order), so the same
data and parameters give the same weights on every run.
"""
import csv
import json
import math

NUMERIC = ["tenure_months", "monthly_charges", "support_calls", "age"]
CATEGORICAL = ["contract", "payment"]
TARGET = "churned"
THRESHOLD = 0.5
FORMAT = "model-factory/logistic-regression"

# train.py's defaults, and the MLproject's; make_data.py labels the data with this model.
DEFAULTS = {"learning_rate": 0.1, "epochs": 200, "l2": 0.001}

# log(0) is undefined, so probabilities are kept this far from 0 and 1 in the log loss.
_EPSILON = 1e-15


def read_rows(path):
    """Reads a CSV file into a list of dicts, one per data row, values left as text."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fit_encoding(rows):
    """Learns how to turn rows into numbers: each numeric column's mean and standard
    deviation (so gradient descent sees features on one scale) and each categorical
    column's levels (for one-hot encoding), in sorted order so the feature layout does not
    depend on row order."""
    numeric = {}
    for column in NUMERIC:
        values = [float(row[column]) for row in rows]
        mean = sum(values) / len(values)
        std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        numeric[column] = {"mean": mean, "std": std if std > 0 else 1.0}
    categorical = {column: sorted({row[column] for row in rows}) for column in CATEGORICAL}
    return {"numeric": numeric, "categorical": categorical}


def feature_names(encoding):
    """The names of the encoded features, in the order of the weights."""
    names = list(NUMERIC)
    for column in CATEGORICAL:
        names += [f"{column}={level}" for level in encoding["categorical"][column]]
    return names


def encode(row, encoding):
    """One row as a feature vector. A category the training data never had gets all zeros,
    the model's average case, rather than an error."""
    features = []
    for column in NUMERIC:
        scale = encoding["numeric"][column]
        features.append((float(row[column]) - scale["mean"]) / scale["std"])
    for column in CATEGORICAL:
        features += [1.0 if row[column] == level else 0.0
                     for level in encoding["categorical"][column]]
    return features


def sigmoid(z):
    """The logistic function, written so that a large |z| cannot overflow math.exp."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def fit(x, y, learning_rate, epochs, l2, on_epoch=None):
    """Fits a logistic regression by batch gradient descent from zero weights.

    Each epoch takes one step down the gradient of the mean log loss plus an L2 penalty of
    ``l2 / 2 * |w|^2`` on the weights (not on the bias, which only sets the base rate).
    ``on_epoch(epoch, loss)`` is called with the objective before each step, so a tracker can
    draw the loss curve. Returns ``(bias, weights)``.
    """
    n, k = len(x), len(x[0])
    bias, weights = 0.0, [0.0] * k
    for epoch in range(epochs):
        gradient, gradient_bias, loss = [0.0] * k, 0.0, 0.0
        for features, target in zip(x, y):
            p = sigmoid(bias + sum(w * f for w, f in zip(weights, features)))
            loss += log_loss_term(p, target)
            error = p - target
            gradient_bias += error
            for j in range(k):
                gradient[j] += error * features[j]
        loss = loss / n + l2 / 2 * sum(w * w for w in weights)
        if on_epoch is not None:
            on_epoch(epoch, loss)
        bias -= learning_rate * gradient_bias / n
        weights = [w - learning_rate * (g / n + l2 * w) for w, g in zip(weights, gradient)]
    return bias, weights


def train(rows, learning_rate, epochs, l2, on_epoch=None):
    """Encodes the rows, fits the regression and returns the whole model as a dict that
    json.dump can write and ``predict_proba`` can use."""
    encoding = fit_encoding(rows)
    x = [encode(row, encoding) for row in rows]
    y = [int(row[TARGET]) for row in rows]
    bias, weights = fit(x, y, learning_rate, epochs, l2, on_epoch)
    return {
        "format": FORMAT,
        "target": TARGET,
        "threshold": THRESHOLD,
        "features": feature_names(encoding),
        "bias": bias,
        "weights": weights,
        "numeric": encoding["numeric"],
        "categorical": encoding["categorical"],
        "hyperparameters": {"learning_rate": learning_rate, "epochs": epochs, "l2": l2},
    }


def load_model(path):
    """Reads a model written by ``save_model`` and checks that it is one."""
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if model.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} model")
    return model


def save_model(model, path):
    """Writes the model as indented JSON, readable in the editor and in the run's artifacts."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")


def predict_proba(model, rows):
    """The model's probability of churn for each row."""
    bias, weights = model["bias"], model["weights"]
    return [sigmoid(bias + sum(w * f for w, f in zip(weights, encode(row, model))))
            for row in rows]


def predict(model, rows):
    """The predicted class (0 or 1) of each row."""
    return [1 if p >= model["threshold"] else 0 for p in predict_proba(model, rows)]


def log_loss_term(p, target):
    """One row's log loss, with p clipped away from 0 and 1."""
    p = min(max(p, _EPSILON), 1.0 - _EPSILON)
    return -math.log(p) if target == 1 else -math.log(1.0 - p)


def auc(targets, scores):
    """ROC AUC by the rank formula (Mann-Whitney U over the positives' ranks), with tied
    scores given their average rank, as scikit-learn's roc_auc_score counts them."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        for i in range(start, end + 1):
            ranks[order[i]] = (start + end) / 2 + 1
        start = end + 1
    positives = sum(1 for t in targets if t == 1)
    negatives = len(targets) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    rank_sum = sum(r for r, t in zip(ranks, targets) if t == 1)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def metrics(model, rows):
    """Accuracy, log loss and ROC AUC of the model on rows that carry the target."""
    targets = [int(row[TARGET]) for row in rows]
    probabilities = predict_proba(model, rows)
    correct = sum(1 for p, t in zip(probabilities, targets)
                  if (1 if p >= model["threshold"] else 0) == t)
    return {
        "accuracy": correct / len(rows),
        "log_loss": sum(log_loss_term(p, t) for p, t in zip(probabilities, targets)) / len(rows),
        "auc": auc(targets, probabilities),
    }
