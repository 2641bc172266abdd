"""Serve a model with MLflow's scoring protocol, or score a CSV file with it.

    python3 model_factory_serve.py serve MODEL_PATH [--port N] [--name LABEL]
    python3 model_factory_serve.py score MODEL_PATH DATA --out FILE [--column prediction]

MODEL_PATH is a model version's artifact folder (or one model file); model_factory_models.py
says which loaders are tried, in which order. Python 3.8 or later, standard library only
besides what the model itself needs (mlflow, pandas, joblib, scikit-learn...).

``serve`` listens on 127.0.0.1 (port 0, the default, picks a free one) and prints one line
with its URL once it accepts requests. It answers, as ``mlflow models serve`` does:

- ``GET /ping`` and ``GET /health``: 200 while the model is loaded.
- ``POST /invocations`` with ``Content-Type: application/json`` and one of
  ``{"dataframe_split": {"columns": [...], "data": [[...], ...]}}``,
  ``{"dataframe_records": [{column: value, ...}, ...]}`` or
  ``{"inputs": ...}`` (``instances`` too): a list of records, a list of rows in the model's
  column order, or a dict of columns (``{column: [values]}``); or with ``Content-Type:
  text/csv``, a CSV table with a header row. The answer is ``{"predictions": [...]}``.

A body it cannot read gets a 400 with ``{"error_code": "BAD_REQUEST", "message": ...}`` saying
why: not JSON, no known format, a column the model needs is missing, a value is not a number.
Requests are scored one at a time, since not every model is safe to call from two threads.

``score`` reads DATA (CSV; ``.tsv`` files by tab) and writes a copy to FILE with the model's
predictions in ``--column`` (replacing that column's values when DATA has it), then prints
one JSON line: ``{"rows", "loader", "model", "out", "column"}``.

Both exit 2 with one line on stderr when the model cannot be loaded, the port is in use or the
data cannot be scored.
"""
import argparse
import csv
import errno
import http.server
import io
import json
import os
import signal
import sys
import threading

from model_factory_models import (InputError, LoadError, Table, check_columns, load_model,
                                  parse_text, to_list)

MAX_BODY_BYTES = 64 * 1024 * 1024
BATCH_ROWS = 10000
FORMATS = ("dataframe_split", "dataframe_records", "inputs", "instances")


class BadRequest(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


# --- request bodies ----------------------------------------------------------------------------

def parse_body(content_type, payload):
    """The table a request carries, by its content type; BadRequest says why it cannot be read."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        return parse_json(payload)
    if media_type in ("text/csv", "application/csv"):
        return parse_csv(_text(payload))
    shown = f"'{content_type}'" if content_type else "no Content-Type"
    raise BadRequest(f"cannot read a body with {shown}: send application/json or text/csv", 415)


def _text(payload):
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the body is not UTF-8 text ({error})")


def parse_json(payload):
    try:
        body = json.loads(_text(payload))
    except ValueError as error:
        raise BadRequest(f"the body is not valid JSON: {error}")
    if not isinstance(body, dict):
        raise BadRequest(f"the body must be a JSON object with one of {', '.join(FORMATS)}")
    given = [key for key in FORMATS if key in body]
    if len(given) != 1:
        unknown = sorted(set(body) - set(FORMATS) - {"params"})
        found = f"; it has {', '.join(unknown or given) or 'no keys'}" if len(given) == 0 else (
            f"; it has {' and '.join(given)}")
        raise BadRequest(f"the body must have exactly one of {', '.join(FORMATS)}{found}")
    key = given[0]
    if key == "dataframe_split":
        return _split(body[key])
    if key == "dataframe_records":
        return _records(body[key], key)
    return _inputs(body[key], key)


def _split(value):
    if not isinstance(value, dict) or not isinstance(value.get("columns"), list):
        raise BadRequest('dataframe_split must be {"columns": [names], "data": [[values], ...]}')
    columns, data = [str(c) for c in value["columns"]], value.get("data", [])
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise BadRequest("dataframe_split.data must be a list of rows, each a list of values")
    for number, row in enumerate(data):
        if len(row) != len(columns):
            raise BadRequest(f"dataframe_split.data row {number} has {len(row)} values for "
                             f"{len(columns)} columns")
    return Table(columns, data)


def _records(value, key):
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise BadRequest(f"{key} must be a list of objects, one per row")
    columns = list(dict.fromkeys(name for row in value for name in row))
    return Table(columns, [[row.get(name) for name in columns] for row in value])


def _inputs(value, key):
    if isinstance(value, dict):
        return _columns(value, key)
    if not isinstance(value, list):
        raise BadRequest(f"{key} must be a list of rows or an object of columns")
    if all(isinstance(row, dict) for row in value):
        return _records(value, key)
    if all(isinstance(row, list) for row in value):
        return Table(None, value)
    if not any(isinstance(row, (list, dict)) for row in value):
        return Table(None, [[item] for item in value])
    raise BadRequest(f"{key} mixes rows of different kinds: give all lists or all objects")


def _columns(value, key):
    if all(isinstance(column, list) for column in value.values()):
        lengths = {len(column) for column in value.values()}
        if len(lengths) > 1:
            raise BadRequest(f"the columns of {key} have different lengths: {sorted(lengths)}")
        names = list(value)
        return Table(names, [list(row) for row in zip(*(value[name] for name in names))])
    if any(isinstance(column, (list, dict)) for column in value.values()):
        raise BadRequest(f"{key} as an object must map each column to a list of values")
    return Table(list(value), [list(value.values())])


def parse_csv(text, delimiter=","):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise BadRequest("the CSV body is empty: it needs a header row naming the columns")
    rows = []
    for number, fields in enumerate(reader):
        if not fields:
            continue
        if len(fields) != len(header):
            raise BadRequest(f"CSV row {number} has {len(fields)} fields; the header has "
                             f"{len(header)}")
        rows.append([parse_text(field) for field in fields])
    return Table([name.strip() for name in header], rows)


# --- scoring -----------------------------------------------------------------------------------

class Scorer:
    """The loaded model, called by one thread at a time."""

    def __init__(self, model):
        self.model = model
        self._lock = threading.Lock()

    def predict(self, table):
        table = check_columns(self.model, table)
        with self._lock:
            return to_list(self.model.predict(table))


def predict_or_refuse(scorer, table):
    """Predictions; the model's complaints about its input become 400s, anything else a 500."""
    try:
        return scorer.predict(table)
    except InputError as error:
        raise BadRequest(str(error))
    except (ValueError, KeyError, TypeError) as error:
        raise BadRequest(f"the model could not score the input: {type(error).__name__}: {error}")


# --- the HTTP server ---------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "model-factory-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if not self._host_allowed():
            return
        if self.path.split("?", 1)[0] in ("/ping", "/health"):
            self._send(200, b"\n", "text/plain; charset=utf-8")
        elif self.path.split("?", 1)[0] == "/invocations":
            self._error(405, "METHOD_NOT_ALLOWED", "POST the rows to score to /invocations")
        else:
            self._error(404, "ENDPOINT_NOT_FOUND", f"no endpoint {self.path}")

    def do_POST(self):
        if not self._host_allowed():
            return
        if self.path.split("?", 1)[0] != "/invocations":
            self.close_connection = True  # the body is left unread
            self._error(404, "ENDPOINT_NOT_FOUND", f"no endpoint {self.path}")
            return
        try:
            table = parse_body(self.headers.get("Content-Type"), self._body())
            predictions = predict_or_refuse(self.server.scorer, table)
        except BadRequest as error:
            self._error(error.status, "BAD_REQUEST", str(error))
            return
        except Exception as error:
            self._error(500, "INTERNAL_ERROR", f"the model failed: {type(error).__name__}: {error}")
            return
        body = json.dumps({"predictions": predictions}, allow_nan=False).encode("utf-8")
        self._send(200, body, "application/json")

    def _body(self):
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self.close_connection = True
            raise BadRequest("the request needs a Content-Length header", 411)
        if int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            raise BadRequest(f"the body is {length} bytes; the limit is {MAX_BODY_BYTES}", 413)
        return self.rfile.read(int(length))

    def _host_allowed(self):
        """Only requests addressed to this machine, so a web page cannot reach the server by
        rebinding its own host name to 127.0.0.1."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host in ("127.0.0.1", "localhost", "::1"):
            return True
        self.close_connection = True
        self._error(403, "PERMISSION_DENIED", "the Host header must name 127.0.0.1 or localhost")
        return False

    def _error(self, status, code, message):
        body = json.dumps({"error_code": code, "message": message}).encode("utf-8")
        self._send(status, body, "application/json")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), format % args))


class ScoringServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Windows lets a second socket take over an address in use with SO_REUSEADDR.
    allow_reuse_address = os.name != "nt"


def serve(args):
    scorer = Scorer(load_model(args.model))
    try:
        server = ScoringServer(("127.0.0.1", args.port), Handler)
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise UsageProblem(f"port {args.port} on 127.0.0.1 is in use; choose another with "
                               f"--port, or 0 for a free one")
        raise UsageProblem(f"cannot listen on 127.0.0.1:{args.port}: {error}")
    server.scorer = scorer
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    model = scorer.model
    label = args.name or args.model
    port = server.server_address[1]
    print(f"Serving {label} ({model.loader}: {model.description}) at http://127.0.0.1:{port}",
          flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


# --- batch scoring -----------------------------------------------------------------------------

def score_file(args):
    model = load_model(args.model)
    scorer = Scorer(model)
    delimiter = "\t" if args.data.lower().endswith(".tsv") else ","
    temporary = args.out + ".partial"
    with open(args.data, newline="", encoding="utf-8-sig") as source:
        reader = csv.reader(source, delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise UsageProblem(f"{args.data} is empty: it needs a header row naming the columns")
        header = [name.strip() for name in header]
        check_columns(model, Table(header, []))
        with open(temporary, "w", newline="", encoding="utf-8") as target:
            writer = csv.writer(target, delimiter=delimiter, lineterminator="\n")
            rows = _write_scored(scorer, reader, header, writer, args)
    os.replace(temporary, args.out)
    print(json.dumps({"rows": rows, "loader": model.loader, "model": model.description,
                      "out": args.out, "column": args.column}), flush=True)
    return 0


def _write_scored(scorer, reader, header, writer, args):
    replace = args.column in header
    writer.writerow(header if replace else header + [args.column])
    position = header.index(args.column) if replace else len(header)
    count, batch = 0, []
    for number, fields in enumerate(reader):
        if not fields:
            continue
        if len(fields) != len(header):
            raise InputError(f"{args.data} row {number} has {len(fields)} fields; the header "
                             f"has {len(header)}")
        batch.append(fields)
        if len(batch) == BATCH_ROWS:
            count += _write_batch(scorer, header, batch, writer, position, count)
            batch = []
    return count + _write_batch(scorer, header, batch, writer, position, count)


def _write_batch(scorer, header, batch, writer, position, offset):
    if not batch:
        return 0
    table = Table(header, [[parse_text(field) for field in fields] for fields in batch])
    try:
        predictions = scorer.predict(table)
    except InputError as error:
        where = f" (row numbers counted from data row {offset})" if offset else ""
        raise InputError(f"{error}{where}")
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"the model could not score the rows from data row {offset}: "
                         f"{type(error).__name__}: {error}")
    for fields, prediction in zip(batch, predictions):
        text = "" if prediction is None else (
            json.dumps(prediction) if isinstance(prediction, (list, dict)) else str(prediction))
        if position < len(fields):
            fields[position] = text
        else:
            fields.append(text)
        writer.writerow(fields)
    return len(batch)


# --- command line -------------------------------------------------------------------------------

class UsageProblem(Exception):
    """A problem the user can fix: reported in one line, exit 2."""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="model_factory_serve", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve", help="serve the model over HTTP on 127.0.0.1")
    serving.add_argument("model", help="the model's artifact folder or file")
    serving.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    serving.add_argument("--name", help="what to call the model in the ready line")
    scoring = commands.add_parser("score", help="score a CSV file into a copy with predictions")
    scoring.add_argument("model", help="the model's artifact folder or file")
    scoring.add_argument("data", help="the CSV file to score")
    scoring.add_argument("--out", required=True, help="where to write the scored copy")
    scoring.add_argument("--column", default="prediction", help="the predictions' column")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return serve(args) if args.command == "serve" else score_file(args)
    except (LoadError, InputError, UsageProblem, BadRequest) as error:
        sys.stderr.write(f"model_factory_serve: {error}\n")
    except OSError as error:
        sys.stderr.write(f"model_factory_serve: {error.strerror or error}: "
                         f"{error.filename or ''}\n")
    if args.command == "score" and os.path.exists(args.out + ".partial"):
        os.remove(args.out + ".partial")
    return 2


if __name__ == "__main__":
    sys.exit(main())
