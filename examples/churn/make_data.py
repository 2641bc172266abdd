"""Generates the example's two data sets: data/reference.csv and data/current.csv.

    python3 make_data.py [--out DIR]     (default: the data folder beside this script)

The CSVs are committed; this script is how they were made, and a test checks that it still
makes them byte for byte. It uses the standard library alone and one fixed seed, and draws
every random number from ``random.Random.random()``, whose sequence for a given seed Python
keeps stable across versions (the normal and Poisson draws are computed here from it, rather
than taken from helpers whose algorithms have changed between releases).

The story: a telecom's customers, with whether they left (``churned``) within the quarter.

- reference.csv, 2,000 customers of the quarter the model is trained on. Churn follows a
  logistic model of the features (short tenure, high charges, many support calls, younger
  age, month-to-month contracts and paying by check make leaving likelier) plus Gaussian noise
  on the log-odds, and the label is a Bernoulli draw from that probability.
- current.csv, 2,000 customers of a later quarter, rows in time order. Prices went up
  (``monthly_charges`` about 10 higher) and more customers are on month-to-month contracts
  (``contract`` mix shifts): data drift from the first row. From row 800 on, a support
  backlog sets in: customers call more often (``support_calls`` gets a heavier tail) and the
  reason they leave changes (concept shift): each call weighs more than twice as much on the
  log-odds (0.45 to 1.0), while tenure, price and contract stop mattering.
  ``tenure_months``, ``age`` and ``payment`` keep their reference distributions.

Both files carry a ``prediction`` column: the class predicted by the model that train.py
trains on reference.csv with its default parameters (the same logistic.py code, with
logistic.DEFAULTS: learning rate 0.1, 200 epochs, L2 0.001). On reference.csv these are
in-sample predictions, which give a drift check the reference performance to compare with;
on current.csv they are what the deployed model said, so the concept shift shows as lost
accuracy. train.py and evaluate.py ignore the column.
"""
import argparse
import math
import os
import random

import logistic

SEED = 20240611
ROWS = 2000
SHIFT_ROW = 800  # the first row of current.csv after the support backlog sets in

CONTRACTS = ["month-to-month", "one-year", "two-year"]
PAYMENTS = ["card", "transfer", "check"]
COLUMNS = logistic.NUMERIC + logistic.CATEGORICAL + [logistic.TARGET, "prediction"]

# Who the customers are: the mean monthly charge, the shares of the three contracts, and
# the share of heavy callers, whose support calls are Poisson(4.5) rather than Poisson(1.4).
# The later quarter's entries that differ from the reference are its data drift.
REFERENCE_CUSTOMERS = {"charges_mean": 64.0, "contract_mix": [0.50, 0.30, 0.20],
                       "heavy_callers": 0.0}
LATER_CUSTOMERS = dict(REFERENCE_CUSTOMERS, charges_mean=74.0, contract_mix=[0.65, 0.22, 0.13])
BACKLOG_CUSTOMERS = dict(LATER_CUSTOMERS, heavy_callers=0.35)

# Why they leave: the log-odds of churn, per unit of each numeric column (centred on the
# reference's typical customer) and per level of each categorical one. The backlog's entries
# that differ from the reference are the concept shift: calls decide, and tenure, price and
# contract no longer hold customers back.
REFERENCE_CONCEPT = {
    "intercept": -0.4,
    "tenure_months": -0.045,
    "monthly_charges": 0.03,
    "support_calls": 0.45,
    "age": -0.015,
    "contract": {"month-to-month": 0.8, "one-year": -0.3, "two-year": -1.2},
    "payment": {"card": 0.0, "transfer": -0.15, "check": 0.35},
}
BACKLOG_CONCEPT = dict(
    REFERENCE_CONCEPT,
    intercept=-1.5,
    tenure_months=0.0,
    monthly_charges=0.0,
    support_calls=1.0,
    contract={"month-to-month": 0.0, "one-year": 0.0, "two-year": 0.0},
)
NOISE = 0.5  # the standard deviation of the unexplained part of the log-odds


def normal(rng, mean, std):
    """A normal draw by the Box-Muller transform (1 - u keeps log away from zero)."""
    u1, u2 = rng.random(), rng.random()
    return mean + std * math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


def poisson(rng, rate):
    """A Poisson draw by Knuth's multiplication method; fine for the small rates used here."""
    limit, count, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def choice(rng, levels, weights):
    """Picks a level with the given probabilities by inverting their cumulative sum."""
    u, total = rng.random(), 0.0
    for level, weight in zip(levels, weights):
        total += weight
        if u < total:
            return level
    return levels[-1]


def customer(rng, customers):
    """One customer's features, rounded as a billing system would store them."""
    tenure = min(72, 1 + int(-22.0 * math.log(1.0 - rng.random())))
    charges = min(max(normal(rng, customers["charges_mean"], 18.0), 18.25), 129.75)
    calls = poisson(rng, 4.5 if rng.random() < customers["heavy_callers"] else 1.4)
    age = min(max(int(normal(rng, 44.0, 13.0)), 18), 85)
    return {
        "tenure_months": tenure,
        "monthly_charges": f"{charges:.2f}",
        "support_calls": calls,
        "age": age,
        "contract": choice(rng, CONTRACTS, customers["contract_mix"]),
        "payment": choice(rng, PAYMENTS, [0.45, 0.35, 0.20]),
    }


def churns(rng, row, concept):
    """Draws whether the customer left, from a logistic model of the features with Gaussian
    noise on the log-odds (customers differ in ways no column records)."""
    z = (concept["intercept"]
         + concept["tenure_months"] * (row["tenure_months"] - 20)
         + concept["monthly_charges"] * (float(row["monthly_charges"]) - 64.0)
         + concept["support_calls"] * (row["support_calls"] - 1.4)
         + concept["age"] * (row["age"] - 44)
         + concept["contract"][row["contract"]]
         + concept["payment"][row["payment"]]
         + normal(rng, 0.0, NOISE))
    return 1 if rng.random() < logistic.sigmoid(z) else 0


def generate(rng):
    """Both quarters' rows, as dicts of the values to write, without predictions yet."""
    reference = []
    for _ in range(ROWS):
        row = customer(rng, REFERENCE_CUSTOMERS)
        row[logistic.TARGET] = churns(rng, row, REFERENCE_CONCEPT)
        reference.append(row)
    current = []
    for index in range(ROWS):
        backlog = index >= SHIFT_ROW
        row = customer(rng, BACKLOG_CUSTOMERS if backlog else LATER_CUSTOMERS)
        row[logistic.TARGET] = churns(rng, row, BACKLOG_CONCEPT if backlog else REFERENCE_CONCEPT)
        current.append(row)
    return reference, current


def add_predictions(reference, current):
    """Trains train.py's default model on the reference rows and stores its predicted class
    in both data sets' ``prediction`` column."""
    # The model sees the rows as train.py reads them back from a CSV file: as text.
    as_text = [[{key: str(value) for key, value in row.items()} for row in rows]
               for rows in (reference, current)]
    model = logistic.train(as_text[0], **logistic.DEFAULTS)
    for rows, text_rows in zip((reference, current), as_text):
        for row, predicted in zip(rows, logistic.predict(model, text_rows)):
            row["prediction"] = predicted


def write_csv(path, rows):
    """Writes the rows with LF line endings, whatever the platform, so the bytes are stable."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row in rows:
            f.write(",".join(str(row[column]) for column in COLUMNS) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "data"),
                        help="folder to write reference.csv and current.csv into")
    args = parser.parse_args()

    reference, current = generate(random.Random(SEED))
    add_predictions(reference, current)

    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "reference.csv"), reference)
    write_csv(os.path.join(args.out, "current.csv"), current)


if __name__ == "__main__":
    main()
