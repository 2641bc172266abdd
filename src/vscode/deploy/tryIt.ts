import * as vscode from 'vscode';
import { core } from '../core';
import { reportFailure } from '../log';
import type { ExampleRequest } from './example';
import type { Served } from './servers';

/** How many rows of a data file "Try it" sends. */
export const TRY_ROWS = 5;

/**
 * "Try it": sends the model's saved input example, else the first rows of a data file the user
 * picks, to the served model, and shows the request and the predictions in a JSON document.
 */
export async function tryServed(served: Served): Promise<void> {
  try {
    const request = await chooseRequest(served);
    if (!request) return;

    const answer = await invoke(served, request);
    const document = await vscode.workspace.openTextDocument({
      language: 'json',
      content: core().deploy.resultText(
        { model: served.uri, url: `${served.url}/invocations`, input: request.source },
        request.body,
        answer,
      ),
    });
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    await reportFailure(`Trying ${served.label}`, error, 'Check the served model’s terminal.');
  }
}

async function chooseRequest(served: Served): Promise<ExampleRequest | undefined> {
  const { deploy } = core();
  const example = deploy.exampleRequest(served.modelPath);
  if (example) return example;

  const picked = await vscode.window.showOpenDialog({
    title: `${served.label} has no saved input example: send the first ${TRY_ROWS} rows of which data file?`,
    canSelectMany: false,
    filters: { 'Data files': ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet'] },
  });
  const file = picked?.[0]?.fsPath;
  if (!file) return undefined;
  // Only the rows sent are read: the first chunk or row group, however large the file.
  return deploy.tableRequest(await deploy.readTable(file, { maxRows: TRY_ROWS }), TRY_ROWS);
}

/** The parsed answer; a refusal (4xx, 5xx) throws with the server's own message. */
async function invoke(served: Served, request: ExampleRequest): Promise<unknown> {
  const response = await fetch(`${served.url}/invocations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: request.body,
  });
  const text = await response.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = text;
  }
  if (!response.ok) {
    const message = (answer as { message?: unknown })?.message;
    throw new Error(
      `the server refused ${request.source} (HTTP ${response.status}): ${typeof message === 'string' ? message : text}`,
    );
  }
  return answer;
}
