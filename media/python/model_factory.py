"""MLflow's fluent tracking calls for scripts that do not have mlflow installed.

Model Factory puts this folder on PYTHONPATH and sets MLFLOW_TRACKING_URI and
MLFLOW_TRACKING_TOKEN for every terminal and task it starts, so a script can log to the
workspace's run store with the standard library alone::

    try:
        import mlflow
    except ImportError:
        import model_factory as mlflow

    mlflow.set_experiment("house-prices")
    with mlflow.start_run(run_name="ridge"):
        mlflow.log_params({"ridge": 0.1, "data": "data/train.csv"})
        for epoch in range(100):
            mlflow.log_metric("loss", 1.0 / (epoch + 1), step=epoch)
        mlflow.log_input("data/train.csv", targets="price")
        mlflow.log_artifact("model.pkl", artifact_path="model")

The calls keep MLflow's names, arguments and behaviour; they talk to any MLflow tracking
server over its REST API (``/api/2.0/mlflow/``) and upload artifacts through its proxy
(``/api/2.0/mlflow-artifacts/``). Python 3.8 or later, no dependencies. Where they differ:
``log_input`` takes a file path where mlflow takes a Dataset object; a run left open by a
script that dies of an exception ends FAILED (mlflow says FINISHED); a nested run with no
experiment of its own joins its parent's; there is no model logging, no autologging and no
local ``mlruns/`` store.

Metrics are queued and sent in batches of up to 1000 points: when 1000 are waiting, every
2 seconds from a background thread, at ``end_run`` and when the interpreter exits. Params and
tags are sent at once. While the server is unreachable or answers 5xx or 429, a request is
retried with exponential backoff for up to 60 seconds. Queued points leave the queue only when
the server has acknowledged them, or refused them (a 4xx, which is raised).

Environment variables read:

- ``MLFLOW_TRACKING_URI``: the server, ``http://host:port`` (``set_tracking_uri`` overrides it).
- ``MLFLOW_TRACKING_TOKEN``: sent as ``Authorization: Bearer <token>``; else
  ``MLFLOW_TRACKING_USERNAME`` and ``MLFLOW_TRACKING_PASSWORD``, sent as basic auth.
- ``MLFLOW_TRACKING_SERVER_CERT_PATH``: a CA bundle to trust for an https server, besides the
  system's certificates.
- ``MLFLOW_RUN_ID``: a run created for this process; the first ``start_run`` resumes it.
- ``MLFLOW_EXPERIMENT_NAME`` (created if missing) or ``MLFLOW_EXPERIMENT_ID``: the experiment
  of new runs when ``set_experiment`` was not called.
- ``MODEL_FACTORY_RETRY_SECONDS``: how long to keep retrying a request (default 60).
"""
import atexit
import base64
import csv
import getpass
import hashlib
import http.client
import json
import logging
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

__all__ = [
    "ModelFactoryError", "set_tracking_uri", "get_tracking_uri", "set_experiment", "start_run",
    "end_run", "active_run", "get_run", "log_param", "log_params", "log_metric", "log_metrics",
    "set_tag", "set_tags", "log_artifact", "log_artifacts", "log_text", "log_dict", "log_input",
    "flush",
]

_log = logging.getLogger("model_factory")

_BATCH_POINTS = 1000  # log-batch takes at most 1000 metrics per request...
_BATCH_KEYS = 100  # ...and at most 100 params or 100 tags.
_FLUSH_INTERVAL = 2.0
_SOCKET_TIMEOUT = 30.0
_SCHEMA_SAMPLE_ROWS = 1000
_FINAL_STATUSES = ("FINISHED", "FAILED", "KILLED")


class ModelFactoryError(Exception):
    """A request the tracking server refused, or could not be reached for.

    ``error_code`` is MLflow's code (``INVALID_PARAMETER_VALUE``, ``RESOURCE_DOES_NOT_EXIST``,
    ...), ``status`` the HTTP status (None when no answer came), and ``retryable`` says whether
    the request failed only because the server was unavailable for the whole retry window.
    """

    def __init__(self, message, error_code=None, status=None, retryable=False):
        super().__init__(f"{error_code}: {message}" if error_code else message)
        self.message = message
        self.error_code = error_code
        self.status = status
        self.retryable = retryable


# --- The entities handed back, shaped like MLflow's -------------------------------------------

class Experiment:
    """An experiment: ``experiment_id``, ``name``, ``artifact_location``, ``lifecycle_stage``
    and ``tags`` (a dict)."""

    def __init__(self, body):
        self.experiment_id = str(body.get("experiment_id"))
        self.name = body.get("name")
        self.artifact_location = body.get("artifact_location")
        self.lifecycle_stage = body.get("lifecycle_stage", "active")
        self.tags = {t["key"]: t.get("value") for t in body.get("tags", [])}

    def __repr__(self):
        return f"<Experiment: experiment_id={self.experiment_id!r}, name={self.name!r}>"


class RunInfo:
    """A run's identity and state: ``run_id``, ``run_name``, ``experiment_id``, ``status``,
    ``start_time``, ``end_time``, ``artifact_uri``, ``lifecycle_stage``, ``user_id``."""

    def __init__(self, body):
        self.run_id = body.get("run_id") or body.get("run_uuid")
        self.run_uuid = self.run_id
        for name in ("run_name", "experiment_id", "status", "start_time", "end_time",
                     "artifact_uri", "lifecycle_stage", "user_id"):
            setattr(self, name, body.get(name))


class RunData:
    """A run's ``metrics`` (latest value per key), ``params`` and ``tags``, each a dict."""

    def __init__(self, body):
        # MLflow's server writes NaN and infinite doubles as the strings "NaN", "Infinity" and
        # "-Infinity" (protobuf's JSON mapping); float() reads them back, as mlflow's client does.
        self.metrics = {m["key"]: _metric_value(m.get("value")) for m in body.get("metrics", [])}
        self.params = {p["key"]: p.get("value") for p in body.get("params", [])}
        self.tags = {t["key"]: t.get("value") for t in body.get("tags", [])}


def _metric_value(value):
    return float(value) if isinstance(value, str) else value


class Run:
    """A run as the server returned it: ``info``, ``data`` and ``inputs`` (MLflow's JSON)."""

    def __init__(self, body):
        self._body = body
        self.info = RunInfo(body.get("info", {}))
        self.data = RunData(body.get("data", {}))
        self.inputs = body.get("inputs", {})

    def to_dictionary(self):
        """The run's JSON from the server, as a dict."""
        return self._body

    def __repr__(self):
        return f"<{type(self).__name__}: run_id={self.info.run_id!r}, status={self.info.status!r}>"


class ActiveRun(Run):
    """The run returned by ``start_run``; as a context manager it ends the run on exit:
    FINISHED, FAILED on an exception, KILLED on KeyboardInterrupt."""

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if any(run.info.run_id == self.info.run_id for run in _runs):
            end_run(_status_for(kind))
        return False


def _status_for(kind):
    if kind is None:
        return "FINISHED"
    return "KILLED" if issubclass(kind, KeyboardInterrupt) else "FAILED"


# --- HTTP ------------------------------------------------------------------------------------

_tracking_uri = None

# http.client.RemoteDisconnected is a ConnectionResetError; socket.timeout is TimeoutError
# only from Python 3.10 on.
_UNREACHABLE = (ConnectionError, TimeoutError, socket.timeout, http.client.HTTPException)


def set_tracking_uri(uri):
    """Sends everything to the tracking server at ``uri`` (``http://host:port``) from now on,
    instead of the one named by MLFLOW_TRACKING_URI."""
    global _tracking_uri
    _tracking_uri = str(uri) if uri else None


def get_tracking_uri():
    """The tracking server in use: the one given to ``set_tracking_uri``, else
    MLFLOW_TRACKING_URI, else None."""
    return _tracking_uri or os.environ.get("MLFLOW_TRACKING_URI") or None


def _server():
    uri = get_tracking_uri()
    if not uri:
        raise ModelFactoryError(
            "No tracking server: MLFLOW_TRACKING_URI is not set. Run the script from a terminal or "
            "task that Model Factory started, or call set_tracking_uri('http://host:port').")
    parsed = urllib.parse.urlsplit(uri)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ModelFactoryError(
            f"model_factory talks only to a tracking server over http(s), not to {uri!r}.")
    return parsed


def _auth_headers():
    # The variables MLflow's own client reads, so a tracked launch to a team's server (which sets
    # them) works with this module as it does with mlflow.
    token = os.environ.get("MLFLOW_TRACKING_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    username = os.environ.get("MLFLOW_TRACKING_USERNAME")
    password = os.environ.get("MLFLOW_TRACKING_PASSWORD")
    if username is None and password is None:
        return {}
    pair = f"{username or ''}:{password or ''}".encode("utf-8")
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _tls_context():
    """The system's certificates, plus MLFLOW_TRACKING_SERVER_CERT_PATH when it names a CA."""
    context = ssl.create_default_context()
    ca_file = os.environ.get("MLFLOW_TRACKING_SERVER_CERT_PATH")
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _retry_seconds():
    try:
        return max(0.0, float(os.environ.get("MODEL_FACTORY_RETRY_SECONDS", "60")))
    except ValueError:
        return 60.0


def _request(method, path, body=None, headers=None, query=None):
    """Sends one request, retrying while the server is unreachable or busy; returns its JSON.

    ``body`` is bytes or an open binary file (rewound before each attempt, so a retried upload
    sends the whole file again). A 4xx answer raises at once with the server's message.
    """
    server = _server()
    target = server.path.rstrip("/") + path
    if query:
        target += "?" + urllib.parse.urlencode(query, doseq=True)
    all_headers = dict(_auth_headers(), **(headers or {}))
    deadline = time.monotonic() + _retry_seconds()
    delay = 0.1
    while True:
        if hasattr(body, "seek"):
            body.seek(0)
        try:
            status, payload, reason = _send_once(server, method, target, body, all_headers)
        except _UNREACHABLE as error:
            problem = ModelFactoryError(
                f"{server.netloc} is unreachable ({type(error).__name__}: {error})", retryable=True)
        else:
            if status < 300:
                return _parse_json(payload)
            problem = _server_error(status, reason, payload)
            if status != 429 and status < 500:
                raise problem
            problem.retryable = True
        if time.monotonic() + delay > deadline:
            raise ModelFactoryError(
                f"{method} {path} failed after retrying for {_retry_seconds():g} s: {problem}",
                problem.error_code, problem.status, retryable=True)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def _send_once(server, method, target, body, headers):
    if server.scheme == "https":
        connection = http.client.HTTPSConnection(
            server.hostname, server.port, timeout=_SOCKET_TIMEOUT, blocksize=1 << 16,
            context=_tls_context())
    else:
        connection = http.client.HTTPConnection(
            server.hostname, server.port, timeout=_SOCKET_TIMEOUT, blocksize=1 << 16)
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.reason
    finally:
        connection.close()


def _parse_json(payload):
    try:
        return json.loads(payload.decode("utf-8")) if payload.strip() else {}
    except ValueError:
        return {}


def _server_error(status, reason, payload):
    body = _parse_json(payload)
    if isinstance(body, dict) and body.get("message"):
        return ModelFactoryError(body["message"], body.get("error_code"), status)
    hint = " (check MLFLOW_TRACKING_TOKEN)" if status in (401, 403) else ""
    text = payload.decode("utf-8", "replace").strip()[:500]
    return ModelFactoryError(f"HTTP {status} {reason}{hint}{': ' + text if text else ''}",
                             None, status)


def _call(method, endpoint, body=None, query=None):
    """One call of MLflow's REST API, ``endpoint`` relative to /api/2.0/mlflow/. NaN and
    infinite floats go out as NaN and Infinity, which MLflow's servers accept."""
    data, headers = None, None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"}
    return _request(method, "/api/2.0/mlflow/" + endpoint, data, headers, query)


# --- Experiments -----------------------------------------------------------------------------

_active_experiment_id = None


def _experiment_by_name(name):
    try:
        body = _call("GET", "experiments/get-by-name", query={"experiment_name": name})
        return body["experiment"]
    except ModelFactoryError as error:
        if error.error_code == "RESOURCE_DOES_NOT_EXIST":
            return None
        raise


def _get_or_create_experiment(name):
    found = _experiment_by_name(name)
    if found is not None:
        return found
    try:
        created = _call("POST", "experiments/create", {"name": name})
    except ModelFactoryError as error:
        # Another process created it between our two calls.
        found = _experiment_by_name(name) if error.error_code == "RESOURCE_ALREADY_EXISTS" else None
        if found is None:
            raise
        return found
    found = _call("GET", "experiments/get", query={"experiment_id": created["experiment_id"]})
    return found["experiment"]


def set_experiment(experiment_name=None, experiment_id=None):
    """Makes an experiment the one new runs go to, creating it by name if it does not exist.

    Pass either ``experiment_name`` or ``experiment_id``. Returns an ``Experiment`` with
    ``experiment_id`` and ``name``. A deleted experiment cannot be set.
    """
    global _active_experiment_id
    if (experiment_name is None) == (experiment_id is None):
        raise ValueError("set_experiment takes either experiment_name or experiment_id")
    if experiment_id is not None:
        body = _call("GET", "experiments/get", query={"experiment_id": str(experiment_id)})
        experiment = Experiment(body["experiment"])
    else:
        experiment = Experiment(_get_or_create_experiment(experiment_name))
    if experiment.lifecycle_stage == "deleted":
        raise ModelFactoryError(
            f"Experiment {experiment.name!r} is deleted; restore it before setting it.",
            "INVALID_PARAMETER_VALUE")
    _active_experiment_id = experiment.experiment_id
    return experiment


def _experiment_for_new_run(parent):
    if _active_experiment_id is not None:
        return _active_experiment_id
    name = os.environ.get("MLFLOW_EXPERIMENT_NAME")
    if name:
        return str(_get_or_create_experiment(name)["experiment_id"])
    if os.environ.get("MLFLOW_EXPERIMENT_ID"):
        return os.environ["MLFLOW_EXPERIMENT_ID"]
    # Unlike mlflow, a child run without an experiment of its own stays with its parent.
    return parent.info.experiment_id if parent is not None else "0"


# --- Runs ------------------------------------------------------------------------------------

_runs = []  # the active runs, innermost last
_runs_lock = threading.RLock()


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, tags=None,
              description=None, parent_run_id=None):
    """Starts a run, or resumes one, and makes it the active run.

    With ``run_id``, or MLFLOW_RUN_ID set in the environment (a run created for this process;
    the variable is consumed), the existing run is resumed and no run is created. Otherwise a
    run is created in ``experiment_id``, else the experiment from ``set_experiment``, else
    MLFLOW_EXPERIMENT_NAME or MLFLOW_EXPERIMENT_ID, else the Default experiment; it gets
    ``tags``, the system tags mlflow sets (mlflow.user, mlflow.source.name, mlflow.source.type,
    mlflow.source.git.commit), and ``description`` as mlflow.note.content. A second run may only
    be started with ``nested=True``; it records its parent in the tag mlflow.parentRunId.

    Returns an ``ActiveRun``; used in a ``with`` block it ends the run on leaving it.
    """
    with _runs_lock:
        parent = _runs[-1] if _runs else None
        if parent is not None and not nested:
            raise ModelFactoryError(
                f"Run {parent.info.run_id} is already active. End it with end_run() first, or "
                "pass nested=True to start a child run.")
        resume_id = run_id or os.environ.pop("MLFLOW_RUN_ID", None)
        if resume_id:
            run = _resume(resume_id)
        else:
            if parent_run_id is None and parent is not None:
                parent_run_id = parent.info.run_id
            run = _create(experiment_id or _experiment_for_new_run(parent), run_name, tags,
                          description, parent_run_id)
        _runs.append(run)
    _install_exit_hooks()
    return run


def _resume(run_id):
    run = ActiveRun(_call("GET", "runs/get", query={"run_id": run_id})["run"])
    if run.info.lifecycle_stage == "deleted":
        raise ModelFactoryError(f"Run {run_id} is deleted; restore it before resuming it.",
                                "INVALID_PARAMETER_VALUE")
    if run.info.status != "RUNNING":
        _call("POST", "runs/update", {"run_id": run_id, "status": "RUNNING"})
        run.info.status = "RUNNING"
    return run


def _create(experiment_id, run_name, tags, description, parent_run_id):
    all_tags = _system_tags()
    all_tags.update(tags or {})
    if description is not None:
        all_tags["mlflow.note.content"] = description
    if parent_run_id is not None:
        all_tags["mlflow.parentRunId"] = parent_run_id
    if run_name:
        all_tags["mlflow.runName"] = run_name
    body = {
        "experiment_id": str(experiment_id),
        "start_time": _now_ms(),
        "tags": [{"key": str(k), "value": str(v)} for k, v in all_tags.items()],
    }
    if run_name:
        body["run_name"] = run_name
    # FIXME: runs/create is retried like every call, so when the server created the run but its
    # answer was lost (a reset or a timeout), a second run is made and the first stays RUNNING
    # and empty in the user's tree. Rare on 127.0.0.1, but nothing cleans it up.
    return ActiveRun(_call("POST", "runs/create", body)["run"])


def _system_tags():
    source = sys.argv[0] if sys.argv and sys.argv[0] else "<console>"
    tags = {"mlflow.user": _user(), "mlflow.source.name": source, "mlflow.source.type": "LOCAL"}
    commit = _git_commit(os.path.dirname(os.path.abspath(source)) if os.path.isfile(source)
                         else os.getcwd())
    if commit:
        tags["mlflow.source.git.commit"] = commit
    return tags


def _user():
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; getpass raises KeyError or OSError
        return "unknown"


def _git_commit(directory):
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory, timeout=5,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.decode("ascii", "replace").strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", commit) else None


def end_run(status="FINISHED"):
    """Ends the active run with ``status`` (FINISHED, FAILED or KILLED) after sending its
    queued metrics. Does nothing when no run is active."""
    status = str(status).upper()
    if status not in _FINAL_STATUSES:
        raise ValueError(f"end_run status must be one of {', '.join(_FINAL_STATUSES)}")
    with _runs_lock:
        if not _runs:
            return
        run = _runs[-1]
    try:
        _metrics.flush()
    finally:
        with _runs_lock:
            if run in _runs:
                _runs.remove(run)
        _call("POST", "runs/update",
              {"run_id": run.info.run_id, "status": status, "end_time": _now_ms()})


def active_run():
    """The active run (an ``ActiveRun`` with ``.info.run_id``, ``.info.experiment_id`` and
    ``.info.run_name``), or None."""
    with _runs_lock:
        return _runs[-1] if _runs else None


def get_run(run_id):
    """Fetches a run from the server: a ``Run`` with ``info``, ``data`` (metrics, params and
    tags as dicts) and ``inputs``; ``to_dictionary()`` gives the JSON."""
    return Run(_call("GET", "runs/get", query={"run_id": run_id})["run"])


def _current_run():
    """The active run, started on first use as mlflow does (so MLFLOW_RUN_ID is honoured)."""
    with _runs_lock:
        return _runs[-1] if _runs else start_run()


def _current_run_id():
    return _current_run().info.run_id


def _now_ms():
    return int(time.time() * 1000)


# --- Exit -------------------------------------------------------------------------------------

_hooks_installed = False
_uncaught = None  # the type of the exception that is ending the interpreter, if any


def _install_exit_hooks():
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    previous = sys.excepthook

    def remember(kind, value, traceback):
        global _uncaught
        _uncaught = kind
        previous(kind, value, traceback)

    sys.excepthook = remember
    atexit.register(_at_exit)


def _at_exit():
    """Ends the runs a script left open (FAILED if it died of an exception, unlike mlflow,
    which says FINISHED) and sends the metrics still queued."""
    status = _status_for(_uncaught)
    while active_run() is not None:
        try:
            end_run(status)
        except Exception as error:
            _log.warning("model_factory: could not end the run at exit: %s", error)
    try:
        _metrics.flush()
    except Exception as error:
        _log.warning("model_factory: %d metric points were not sent: %s", _metrics.size(), error)


# --- Metrics ----------------------------------------------------------------------------------

class _MetricQueue:
    """Metric points waiting to be sent, in logging order, with the run each belongs to.

    A batch is sent while still in the queue and removed only after the server acknowledged it,
    so a failure loses nothing. A batch that landed but whose answer was lost is sent again;
    that is harmless because MLflow keys metric rows on (run, key, timestamp, step, value), so
    an identical point is stored once. One sender at a time (``_sending``) keeps two threads
    from sending the same batch.
    """

    def __init__(self):
        self._points = []
        self._lock = threading.Lock()
        self._sending = threading.Lock()
        self._thread = None

    def size(self):
        with self._lock:
            return len(self._points)

    def add(self, run_id, points):
        with self._lock:
            self._points.extend((run_id, point) for point in points)
            full = len(self._points) >= _BATCH_POINTS
            if self._thread is None:
                self._thread = threading.Thread(target=self._every_interval, daemon=True,
                                                name="model_factory-metrics")
                self._thread.start()
        if full:
            self.flush(full_batches_only=True)

    def flush(self, full_batches_only=False):
        """Sends queued points until the queue is empty (or holds less than a batch)."""
        with self._sending:
            while True:
                with self._lock:
                    if not self._points or (full_batches_only and
                                            len(self._points) < _BATCH_POINTS):
                        return
                    run_id = self._points[0][0]
                    batch = []
                    for owner, point in self._points[:_BATCH_POINTS]:
                        if owner != run_id:
                            break
                        batch.append(point)
                try:
                    _call("POST", "runs/log-batch", {"run_id": run_id, "metrics": batch})
                except ModelFactoryError as error:
                    if not error.retryable:  # refused: sending it again cannot help
                        self._drop(len(batch))
                    raise
                self._drop(len(batch))

    def _drop(self, count):
        with self._lock:
            del self._points[:count]

    def _every_interval(self):
        while True:
            time.sleep(_FLUSH_INTERVAL)
            try:
                self.flush()
            except Exception as error:
                _log.warning("model_factory: sending metrics failed: %s", error)


_metrics = _MetricQueue()


def _metric_point(key, value, step, timestamp):
    if not isinstance(key, str) or not key:
        raise ValueError(f"A metric key must be a non-empty string, not {key!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ModelFactoryError(f"Metric {key!r} must be a number, not {value!r}",
                                "INVALID_PARAMETER_VALUE") from None
    return {"key": key, "value": number,
            "timestamp": int(timestamp) if timestamp is not None else _now_ms(),
            "step": int(step) if step is not None else 0}


def log_metric(key, value, step=None, timestamp=None):
    """Logs one value of a metric (step 0 and the current time unless given) to the active run.
    NaN and infinities are kept. The point is queued: see ``flush``."""
    _metrics.add(_current_run_id(), [_metric_point(key, value, step, timestamp)])


def log_metrics(metrics, step=None):
    """Logs several metrics from a dict, all with the same step and timestamp."""
    now = _now_ms()
    points = [_metric_point(k, v, step, now) for k, v in metrics.items()]
    _metrics.add(_current_run_id(), points)


def flush():
    """Sends every queued metric point now; raises ModelFactoryError if the server refuses
    them or stays unreachable."""
    _metrics.flush()


# --- Params and tags --------------------------------------------------------------------------

def _log_batch(field, items):
    run_id = _current_run_id()
    pairs = [{"key": str(k), "value": str(v)} for k, v in items.items()]
    for start in range(0, len(pairs), _BATCH_KEYS):
        _call("POST", "runs/log-batch", {"run_id": run_id, field: pairs[start:start + _BATCH_KEYS]})


def log_param(key, value):
    """Logs a parameter of the active run, as a string, and returns ``value``. Params are
    write-once: a different value for a logged key raises ModelFactoryError
    (INVALID_PARAMETER_VALUE)."""
    _log_batch("params", {key: value})
    return value


def log_params(params):
    """Logs a dict of parameters, each value turned into a string as mlflow does."""
    _log_batch("params", params)


def set_tag(key, value):
    """Sets a tag on the active run (tags, unlike params, can be changed)."""
    _call("POST", "runs/set-tag", {"run_id": _current_run_id(), "key": str(key),
                                   "value": str(value)})


def set_tags(tags):
    """Sets several tags from a dict."""
    _log_batch("tags", tags)


# --- Artifacts --------------------------------------------------------------------------------

def _artifact_segments(*parts):
    segments = []
    for part in parts:
        if part:
            segments += [s for s in str(part).replace("\\", "/").split("/") if s not in ("", ".")]
    if ".." in segments:
        raise ValueError(f"An artifact path may not leave the run's folder: {'/'.join(segments)}")
    return segments


def _put(body, size, artifact_file):
    """Stores ``body`` (bytes or an open binary file) as the artifact ``artifact_file``."""
    root = _current_run().info.artifact_uri or ""
    segments = _artifact_segments(artifact_file)
    parts = urllib.parse.urlsplit(root)
    if parts.scheme != "mlflow-artifacts":
        raise ModelFactoryError(
            f"model_factory uploads artifacts only through the tracking server's proxy "
            f"(mlflow-artifacts:), and this run's artifacts live at {root!r}.")
    # mlflow-artifacts:/0/<run>/artifacts or mlflow-artifacts://host:port/0/<run>/artifacts
    root_segments = [urllib.parse.unquote(s) for s in _artifact_segments(parts.path)]
    path = "/".join(urllib.parse.quote(s, safe="") for s in root_segments + segments)
    headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
    _request("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + path, body, headers)


def log_artifact(local_path, artifact_path=None):
    """Uploads a file to the active run's artifacts, under ``artifact_path`` if given. The
    file is streamed, never read into memory whole."""
    if not os.path.isfile(local_path):
        raise FileNotFoundError(f"log_artifact needs a file: {local_path}")
    destination = "/".join(_artifact_segments(artifact_path, os.path.basename(local_path)))
    with open(local_path, "rb") as f:
        _put(f, os.fstat(f.fileno()).st_size, destination)


def log_artifacts(local_dir, artifact_path=None):
    """Uploads every file under a folder, keeping its layout, under ``artifact_path``."""
    if not os.path.isdir(local_dir):
        raise NotADirectoryError(f"log_artifacts needs a folder: {local_dir}")
    for root, dirs, files in os.walk(local_dir):
        dirs.sort()
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(root, name), local_dir)
            destination = "/".join(_artifact_segments(artifact_path, relative))
            with open(os.path.join(root, name), "rb") as f:
                _put(f, os.fstat(f.fileno()).st_size, destination)


def log_text(text, artifact_file):
    """Stores a string, UTF-8 encoded, as the artifact ``artifact_file`` (e.g. "notes.md")."""
    data = str(text).encode("utf-8")
    _put(data, len(data), artifact_file)


def log_dict(dictionary, artifact_file):
    """Stores a dict as JSON (indented), or as YAML when ``artifact_file`` ends in .yaml or
    .yml.

    There is no YAML library in the standard library, so the YAML is written here in block
    style: nested dicts and lists, None, booleans, numbers and strings (quoted, JSON-style,
    whenever a plain scalar could be misread). Keys keep their order rather than being sorted as
    mlflow's yaml.safe_dump does; tuples are written as lists and other objects as their str().
    """
    if str(artifact_file).lower().endswith((".yaml", ".yml")):
        text = "\n".join(_yaml_lines(dictionary, "")) + "\n" if dictionary else "{}\n"
    else:
        text = json.dumps(dictionary, indent=2)
    log_text(text, artifact_file)


_PLAIN_YAML = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/ ]*[A-Za-z0-9_.\-/]|[A-Za-z_]")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}


def _yaml_scalar(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        return (".inf" if value > 0 else "-.inf") if value in (float("inf"), float("-inf")) \
            else repr(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    text = str(value)
    if _PLAIN_YAML.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _yaml_lines(value, indent):
    lines = []
    nested = lambda item: isinstance(item, (dict, list, tuple)) and len(item) > 0  # noqa: E731
    if isinstance(value, dict):
        for key, item in value.items():
            if nested(item):
                lines.append(f"{indent}{_yaml_scalar(key)}:")
                lines += _yaml_lines(item, indent + "  ")
            else:
                lines.append(f"{indent}{_yaml_scalar(key)}: {_yaml_scalar(item)}")
    else:
        for item in value:
            if nested(item):
                inner = _yaml_lines(item, indent + "  ")
                lines.append(f"{indent}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{indent}- {_yaml_scalar(item)}")
    return lines


# --- Dataset inputs ---------------------------------------------------------------------------

def log_input(path, name=None, context="training", targets=None):
    """Records a dataset file as an input of the active run, as mlflow.log_input does.

    The dataset is ``name`` (default: the file name) with a digest (the first 8 hex characters
    of the MD5 of the file's bytes, the length mlflow's own digests have), source_type "local"
    and source ``{"uri": "<absolute path>"}``. For CSV, TSV and JSON Lines files it also gets a
    schema in mlflow's ColSpec JSON (columns typed long, double, boolean or string from the first
    1000 rows, the way pandas would read them) and a profile ``{"num_rows", "num_elements"}``;
    other formats (Parquet among them) get neither. ``targets`` names the label column; mlflow
    keeps it off the record, here it goes into the profile. ``context`` becomes the input tag
    mlflow.data.context. Returns the dataset dict that was sent.
    """
    absolute = os.path.abspath(path)
    dataset = {"name": name or os.path.basename(absolute), "digest": _file_digest(absolute),
               "source_type": "local", "source": json.dumps({"uri": absolute})}
    table = _read_table(absolute)
    profile = {}
    if table is not None:
        columns, rows = table
        dataset["schema"] = json.dumps({"mlflow_colspec": [
            {"type": kind, "name": column, "required": True} for column, kind in columns]})
        profile = {"num_rows": rows, "num_elements": rows * len(columns)}
        if targets is not None and targets not in [column for column, _ in columns]:
            raise ValueError(f"{path} has no column {targets!r} to use as targets")
    if targets is not None:
        profile["targets"] = targets
    if profile:
        dataset["profile"] = json.dumps(profile)
    tags = [{"key": "mlflow.data.context", "value": str(context)}] if context else []
    _call("POST", "runs/log-inputs",
          {"run_id": _current_run_id(), "datasets": [{"tags": tags, "dataset": dataset}]})
    return dataset


def _file_digest(path):
    md5 = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            md5.update(block)
    return md5.hexdigest()[:8]


def _read_table(path):
    """``([(column, type)], row count)`` for a CSV, TSV or JSON Lines file, else None."""
    extension = os.path.splitext(path)[1].lower()
    try:
        if extension in (".csv", ".tsv", ".tab"):
            return _read_delimited(path, "," if extension == ".csv" else "\t")
        if extension in (".jsonl", ".ndjson"):
            return _read_json_lines(path)
    except (ValueError, csv.Error) as error:  # UnicodeDecodeError is a ValueError
        _log.warning("model_factory: no schema for %s: %s", path, error)
    return None


_MISSING = {"", "NA", "N/A", "n/a", "NaN", "nan", "-nan", "NULL", "null", "None", "<NA>", "#N/A"}
_BOOLEANS = {"True", "False", "true", "false", "TRUE", "FALSE"}
_INTEGER = re.compile(r"[+-]?\d+")


def _read_delimited(path, delimiter):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader, None) or []
        samples = [[] for _ in header]
        rows = 0
        for row in reader:
            if not row:
                continue  # pandas skips blank lines too
            rows += 1
            if rows <= _SCHEMA_SAMPLE_ROWS:
                for i, values in enumerate(samples):
                    values.append(row[i].strip() if i < len(row) else "")
    return [(name, _text_type(values)) for name, values in zip(header, samples)], rows


def _text_type(values):
    present = [v for v in values if v not in _MISSING]
    missing = len(present) < len(values)
    if not present:
        return "double"  # pandas reads an empty column as NaN floats
    if all(v in _BOOLEANS for v in present):
        return "string" if missing else "boolean"
    if all(_INTEGER.fullmatch(v) for v in present):
        return "double" if missing else "long"  # a missing value makes pandas use floats
    if all(_is_float(v) for v in present):
        return "double"
    return "string"


def _is_float(text):
    if "_" in text:
        return False
    try:
        float(text)
        return True
    except ValueError:
        return False


def _read_json_lines(path):
    records, rows = [], 0
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if not line.strip():
                continue
            rows += 1
            if rows <= _SCHEMA_SAMPLE_ROWS:
                record = json.loads(line)
                records.append(record if isinstance(record, dict) else {})
    names = list(dict.fromkeys(key for record in records for key in record))
    return [(n, _json_type([r.get(n) for r in records])) for n in names], rows


def _json_type(values):
    present = [v for v in values if v is not None]
    missing = len(present) < len(values)
    if not present:
        return "double"
    if all(isinstance(v, bool) for v in present):
        return "string" if missing else "boolean"
    numbers = [v for v in present if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) < len(present):
        return "string"
    if all(isinstance(v, int) for v in numbers) and not missing:
        return "long"
    return "double"
