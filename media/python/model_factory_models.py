"""Loading a model version's artifacts, and the tables it scores, for model_factory_serve.

Three loaders are tried in this order, and the first that succeeds serves the model:

1. ``mlflow``: the folder has an ``MLmodel`` file and ``import mlflow`` works; the model is
   loaded with ``mlflow.pyfunc.load_model`` and scored with a pandas DataFrame.
2. ``pickle``: a ``.pkl``, ``.pickle`` or ``.joblib`` file (``model.*`` first) holding an object
   with a ``predict`` method; ``.joblib`` files need joblib. The model's folder and its ``code/``
   subfolder go on ``sys.path`` first, so the classes a pickle names can be imported from
   beside it. Loading a pickle runs code from it: serve only models you trust.
3. ``json``: ``model.json`` in the Model Factory JSON format, for linear and logistic models
   (the example project writes one): ``{"format": "model-factory/logistic-regression" or
   "model-factory/linear-regression", "features": [...], "bias": b, "weights": [...],
   "numeric": {column: {"mean", "std"}}, "categorical": {column: [levels]}, "threshold"}``.
   A feature named ``column=level`` of a categorical column is 1.0 when the row has that
   level and 0.0 otherwise; any other feature is the numeric column of that name, standardised
   when ``numeric`` gives its mean and standard deviation. The score is ``bias + weights .
   features``; a logistic model predicts 1 when its sigmoid reaches ``threshold`` (0.5).

When none succeeds, the error names each loader and why it did not load the model.
Standard library only; mlflow, pandas and joblib are used when the model needs them.
"""
import json
import math
import os
import pickle
import re
import sys

JSON_FORMATS = ("model-factory/logistic-regression", "model-factory/linear-regression")
PICKLE_EXTENSIONS = (".pkl", ".pickle", ".joblib")


class LoadError(Exception):
    """No loader could load the model; the message names each one tried and why."""


class InputError(Exception):
    """Input the model cannot score: a missing column, a value that is not a number..."""


class NotApplicable(Exception):
    """The loader does not apply to these artifacts (no MLmodel file, no pickle...)."""


class Table:
    """Rows to score: ``columns`` (names, or None for rows given by position) and ``rows``,
    each a list of values (numbers, text, None for missing)."""

    def __init__(self, columns, rows):
        self.columns = columns
        self.rows = rows


def load_model(path):
    """The model at ``path`` (a folder of artifacts, or one model file), by the first loader
    that can load it; raises LoadError naming every loader tried and why it failed."""
    if not os.path.exists(path):
        raise LoadError(f"there is no model at {path}: no such file or folder")
    attempts = []
    for name, loader in (("mlflow", _load_mlflow), ("pickle", _load_pickle), ("json", _load_json)):
        try:
            return loader(path)
        except NotApplicable as skipped:
            attempts.append(f"{name}: {skipped}")
        except Exception as error:  # a loader that applied but failed: say why, try the next
            attempts.append(f"{name}: {type(error).__name__}: {error}")
    raise LoadError(f"could not load a model from {path}. Tried " + "; ".join(attempts))


def _folder(path):
    return path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))


# --- mlflow ------------------------------------------------------------------------------------

class MlflowModel:
    loader = "mlflow"

    def __init__(self, pyfunc, path):
        self._pyfunc = pyfunc
        self.description = f"mlflow pyfunc model from {path}"
        self.input_columns = _schema_columns(pyfunc)

    def predict(self, table):
        import pandas

        frame = pandas.DataFrame(table.rows, columns=table.columns)
        return to_list(self._pyfunc.predict(frame))


def _load_mlflow(path):
    folder = _folder(path)
    if not os.path.isfile(os.path.join(folder, "MLmodel")):
        raise NotApplicable(f"no MLmodel file in {folder}")
    try:
        import mlflow.pyfunc
    except ImportError as error:
        raise NotApplicable(f"an MLmodel file is there but mlflow is not installed for "
                            f"{sys.executable} ({error})")
    return MlflowModel(mlflow.pyfunc.load_model(folder), folder)


def _schema_columns(pyfunc):
    """The input column names from the model's signature, or None when it has none."""
    try:
        schema = pyfunc.metadata.get_input_schema()
        if schema is None or not schema.has_input_names():
            return None
        return [str(name) for name in schema.input_names()]
    except Exception:  # an old or unusual signature: the model checks its input itself
        return None


# --- pickle and joblib ------------------------------------------------------------------------

class PickledModel:
    def __init__(self, obj, file, loader):
        self._obj = obj
        self.loader = loader
        self.description = f"{type(obj).__name__} from {os.path.basename(file)}"
        names = getattr(obj, "feature_names_in_", None)
        self.input_columns = [str(name) for name in names] if names is not None else None

    def predict(self, table):
        rows, columns = table.rows, table.columns
        if self.input_columns and columns is not None:
            # Reorder to the order the model was fitted with; the caller checked they exist.
            positions = [columns.index(name) for name in self.input_columns]
            rows = [[row[i] for i in positions] for row in rows]
            columns = self.input_columns
        try:
            import pandas
        except ImportError:
            return to_list(self._obj.predict(rows))
        return to_list(self._obj.predict(pandas.DataFrame(rows, columns=columns)))


def _load_pickle(path):
    file = _pickle_file(path)
    folder = _folder(file)
    for extra in (os.path.join(folder, "code"), folder):
        if os.path.isdir(extra) and extra not in sys.path:
            sys.path.insert(0, extra)

    obj, loader = _unpickle(file)
    if not callable(getattr(obj, "predict", None)):
        raise TypeError(f"{os.path.basename(file)} holds a {type(obj).__name__}, "
                        f"which has no predict method")
    return PickledModel(obj, file, loader)


def _pickle_file(path):
    if os.path.isfile(path):
        if path.lower().endswith(PICKLE_EXTENSIONS):
            return path
        raise NotApplicable(f"{os.path.basename(path)} is not a .pkl, .pickle or .joblib file")
    found = sorted(name for name in os.listdir(path) if name.lower().endswith(PICKLE_EXTENSIONS))
    if not found:
        raise NotApplicable(f"no .pkl, .pickle or .joblib file in {path}")
    preferred = [name for name in found if name.lower().startswith("model.")]
    return os.path.join(path, (preferred or found)[0])


def _unpickle(file):
    """joblib for .joblib files (and for pickles that plain pickle cannot read, since
    joblib.dump writes .pkl files too), pickle otherwise."""
    if file.lower().endswith(".joblib"):
        return _joblib_load(file), "joblib"
    try:
        with open(file, "rb") as stream:
            return pickle.load(stream), "pickle"
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        try:
            return _joblib_load(file), "joblib"
        except ImportError:
            raise error from None


def _joblib_load(file):
    try:
        import joblib
    except ImportError as error:
        raise ImportError(f"{os.path.basename(file)} needs joblib, which is not installed for "
                          f"{sys.executable} ({error})") from None
    return joblib.load(file)


# --- the JSON model format --------------------------------------------------------------------

class JsonModel:
    loader = "json"

    def __init__(self, spec, file):
        self.kind = spec["format"].rsplit("/", 1)[1]
        self.description = f"{self.kind} from {os.path.basename(file)}"
        self._bias = float(spec["bias"])
        self._weights = [float(w) for w in spec["weights"]]
        self._threshold = float(spec.get("threshold", 0.5))
        numeric = spec.get("numeric") or {}
        categorical = spec.get("categorical") or {}
        self._plan = [_feature(name, numeric, categorical) for name in spec["features"]]
        columns = [step[1] for step in self._plan]
        self.input_columns = list(dict.fromkeys(columns))
        self.numeric_columns = {step[1] for step in self._plan if step[0] == "numeric"}

    def predict(self, table):
        positions = {name: table.columns.index(name) for name in self.input_columns}
        return [self._score(row, positions, number) for number, row in enumerate(table.rows)]

    def _score(self, row, positions, number):
        total = self._bias
        for (kind, column, detail), weight in zip(self._plan, self._weights):
            value = row[positions[column]]
            if kind == "numeric":
                mean, std = detail
                total += weight * (to_number(value, column, number) - mean) / std
            elif value is not None and str(value) == detail:
                total += weight
        if self.kind == "linear-regression":
            return total
        return 1 if _sigmoid(total) >= self._threshold else 0


def _feature(name, numeric, categorical):
    """How one feature is computed: ("numeric", column, (mean, std)) or
    ("level", column, level)."""
    column, equals, level = name.partition("=")
    if equals and column in categorical and name not in numeric:
        return ("level", column, level)
    scale = numeric.get(name) or {}
    std = float(scale.get("std", 1.0)) or 1.0
    return ("numeric", name, (float(scale.get("mean", 0.0)), std))


def _load_json(path):
    file = path if os.path.isfile(path) else os.path.join(path, "model.json")
    if not os.path.isfile(file) or not file.lower().endswith(".json"):
        raise NotApplicable(f"no model.json in {path}")
    with open(file, encoding="utf-8") as stream:
        spec = json.load(stream)
    problem = _json_problem(spec)
    if problem:
        raise ValueError(f"{os.path.basename(file)} is not a Model Factory JSON model: {problem}")
    return JsonModel(spec, file)


def _json_problem(spec):
    if not isinstance(spec, dict):
        return "it is not a JSON object"
    if spec.get("format") not in JSON_FORMATS:
        return f"its format is {spec.get('format')!r}, not one of {', '.join(JSON_FORMATS)}"
    features, weights = spec.get("features"), spec.get("weights")
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        return "features must be a list of names"
    if not isinstance(weights, list) or len(weights) != len(features):
        return f"weights must be a list of {len(features)} numbers, one per feature"
    numbers = weights + [spec.get("bias")]
    if not all(isinstance(w, (int, float)) and not isinstance(w, bool) for w in numbers):
        return "bias and weights must be numbers"
    return None


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# --- values -----------------------------------------------------------------------------------

_INTEGER = re.compile(r"^[+-]?\d+$")


def to_number(value, column, number):
    """A numeric column's value as a float; InputError naming the column and row otherwise."""
    if isinstance(value, bool) or value is None or value == "":
        what = "is missing" if value is None or value == "" else f"is {json.dumps(value)}"
        raise InputError(f"column '{column}' needs a number, but row {number} {what}")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise InputError(f"column '{column}' needs a number, but row {number} has "
                         f"{json.dumps(value) if not isinstance(value, str) else repr(value)}")
    if not math.isfinite(result):
        raise InputError(f"column '{column}' needs a finite number, but row {number} has {value}")
    return result


def parse_text(text):
    """A CSV field as a value: None when empty, an int or float when it reads as one, else the
    text itself (so numeric columns reach pickled models as numbers, as pandas would read them)."""
    if text == "":
        return None
    if _INTEGER.match(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def to_list(result):
    """A model's output as a JSON-ready list: numpy arrays and pandas objects become lists
    (a DataFrame a list of records), numpy scalars Python numbers, non-finite floats None."""
    if hasattr(result, "to_dict") and hasattr(result, "columns"):
        result = result.to_dict(orient="records")
    elif hasattr(result, "tolist"):
        result = result.tolist()
    return [_plain(value) for value in list(result)]


def _plain(value):
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def check_columns(model, table):
    """InputError naming the columns the model needs and the table lacks. Rows given by
    position are matched to the model's columns when it declares them."""
    needed = getattr(model, "input_columns", None)
    if not needed:
        return table
    if table.columns is None:
        widths = {len(row) for row in table.rows}
        if widths - {len(needed)}:
            raise InputError(f"rows without column names must hold {len(needed)} values in the "
                             f"model's column order ({', '.join(needed)})")
        return Table(list(needed), table.rows)
    missing = [name for name in needed if name not in table.columns]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        raise InputError(f"the model needs column{'s' if len(missing) > 1 else ''} {names}, "
                         f"which the input lacks (it has {', '.join(table.columns) or 'none'})")
    return table
