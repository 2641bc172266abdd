import { DeployError } from './errors';
import type { Direction } from './compare';

/**
 * The GitHub Actions workflow of "Create CI workflow": on a schedule and on pushes to the data
 * folder, check the newest data for drift against the champion's training data, and when it
 * drifted retrain, evaluate the champion on the new data, compare, and promote the retrained
 * model when it is better. Its shell steps call only the model-factory command line (plus
 * mkdir, tee and cat to keep each step's output), so what CI does is what a user can do.
 */

export interface CiWorkflowOptions {
  /** The registered model the workflow retrains. */
  modelName: string;
  /** The metric `compare` judges by, such as auc or rmse. */
  metric: string;
  /** Overrides the direction read from the metric's name. */
  direction?: Direction;
  /** The alias of the version in production; "champion". */
  alias?: string;
  /** The project folder (holding the MLproject), relative to the repository; ".". */
  project?: string;
  trainEntry?: string;
  /** The entry point that evaluates a model version on a data file; null when there is none. */
  evaluateEntry?: string | null;
  /** The entry points' parameter naming the data file; "data". */
  dataParam?: string;
  /** The data the champion was trained on, relative to the project folder. */
  referenceData: string;
  /** Where the newest batch of data lands, relative to the project folder. */
  newData: string;
  /** More -P values for the training run. */
  params?: Record<string, string>;
  /** The model's folder among the training run's artifacts; "model". */
  modelPath?: string;
  /** Options for `model-factory drift`, such as ["--target", "churned"]. */
  driftArgs?: string[];
  /** A requirements file to pip install, relative to the project folder. */
  requirements?: string;
  /** Cron schedule (UTC); Mondays at 06:00 unless given. */
  schedule?: string;
  /** The paths whose pushes start the workflow; the folder of newData unless given. */
  dataPaths?: string[];
  /** The run store, relative to the project folder; ".modelfactory". */
  store?: string;
  pythonVersion?: string;
  nodeVersion?: string;
  /** What `npm install --global` installs to get the model-factory command. */
  cliPackage?: string;
}

export const WORKFLOW_PATH = '.github/workflows/model-factory.yml';

/**
 * Where the workflow keeps a copy of the data @alias was trained on, inside the run store so the
 * Actions cache keeps it with the store. The drift check compares the new data with it: the run
 * records only its data's path, and in this workflow that path (NEW_DATA) is overwritten by the
 * next batch, so `drift models:/NAME@ALIAS` would compare the new data with itself.
 */
export const CHAMPION_DATA = 'champion-data';
export const LOGS_DIR = 'model-factory-logs';

/** The workflow file's text; a DeployError names an option that cannot go into it. */
export function ciWorkflow(input: CiWorkflowOptions): string {
  const o = withDefaults(input);
  checkOptions(o);
  const cd = o.project === '.' ? '' : `${o.project}/`;
  return [
    header(o),
    triggers(o, cd),
    env(o),
    jobStart(o),
    setupSteps(o, cd),
    driftStep(o),
    trainStep(o),
    o.evaluateEntry ? evaluateStep(o) : '',
    compareStep(o),
    registerStep(o),
    keepSteps(o, cd),
  ].join('');
}

type Options = Required<Omit<CiWorkflowOptions, 'direction' | 'requirements'>> &
  Pick<CiWorkflowOptions, 'direction' | 'requirements'>;

function withDefaults(input: CiWorkflowOptions): Options {
  const project = (input.project ?? '.').replace(/\/+$/, '') || '.';
  const dataFolder = input.newData.includes('/') ? input.newData.replace(/\/[^/]*$/, '') : '';
  const prefix = project === '.' ? '' : `${project}/`;
  return {
    alias: 'champion',
    trainEntry: 'train',
    evaluateEntry: 'evaluate',
    dataParam: 'data',
    params: {},
    modelPath: 'model',
    driftArgs: [],
    schedule: '0 6 * * 1',
    dataPaths: [dataFolder ? `${prefix}${dataFolder}/**` : `${prefix}${input.newData}`],
    store: '.modelfactory',
    pythonVersion: '3.11',
    nodeVersion: '20',
    cliPackage: 'model-factory',
    ...input,
    project,
  };
}

/**
 * Values go into YAML as JSON strings and into bash as quoted variables or quoted words, so no
 * value can change the file's structure or the commands; what is refused is what GitHub would
 * evaluate (${{ }}) and what a single line cannot hold.
 */
function checkOptions(o: Options): void {
  const values: Array<[string, string]> = [
    ['modelName', o.modelName],
    ['metric', o.metric],
    ['alias', o.alias],
    ['project', o.project],
    ['trainEntry', o.trainEntry],
    ['dataParam', o.dataParam],
    ['referenceData', o.referenceData],
    ['newData', o.newData],
    ['modelPath', o.modelPath],
    ['schedule', o.schedule],
    ['store', o.store],
    ['pythonVersion', o.pythonVersion],
    ['nodeVersion', o.nodeVersion],
    ['cliPackage', o.cliPackage],
    ...(o.evaluateEntry ? [['evaluateEntry', o.evaluateEntry] as [string, string]] : []),
    ...(o.requirements ? [['requirements', o.requirements] as [string, string]] : []),
    ...Object.entries(o.params).map(([key, value]): [string, string] => [
      `params.${key}`,
      `${key}=${value}`,
    ]),
    ...o.driftArgs.map((arg, i): [string, string] => [`driftArgs[${i}]`, arg]),
    ...o.dataPaths.map((p, i): [string, string] => [`dataPaths[${i}]`, p]),
  ];
  for (const [name, value] of values) {
    if (value.trim() === '' && !name.startsWith('driftArgs')) {
      throw new DeployError(`the workflow needs a value for ${name}`);
    }
    if (/[\r\n]/.test(value) || value.includes('${{')) {
      throw new DeployError(`${name} cannot hold a line break or \${{: ${JSON.stringify(value)}`);
    }
  }
  checkWords(o);
  if (o.schedule.trim().split(/\s+/).length !== 5) {
    throw new DeployError(`schedule must be a cron expression of 5 fields, not '${o.schedule}'`);
  }
  if (/^(\/|\.\.(\/|$))/.test(o.project) || o.project.split('/').includes('..')) {
    throw new DeployError(`project must be a folder inside the repository, not '${o.project}'`);
  }
}

/** Names that appear inside quoted shell words and YAML step names, kept to plain characters. */
function checkWords(o: Options): void {
  const words: Array<[string, string, RegExp]> = [
    ['alias', o.alias, /^[A-Za-z0-9_-]+$/],
    ['dataParam', o.dataParam, /^[\w.-]+$/],
    ['modelPath', o.modelPath, /^[\w.-]+(\/[\w.-]+)*$/],
  ];
  for (const [name, value, pattern] of words) {
    if (!pattern.test(value)) throw new DeployError(`${name} cannot be '${value}' in the workflow`);
  }
}

/** A YAML double-quoted scalar: JSON's string syntax is a subset of it. */
const y = (value: string) => JSON.stringify(value);

/** One bash word that stays one word with its text intact. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function header(o: Options): string {
  return `# Generated by Model Factory (Create CI Workflow). Retrains the model ${o.modelName} when new
# data drifts from the data its @${o.alias} was trained on, and promotes the retrained model when
# it is better on ${o.metric}.
#
# 1. model-factory drift REFERENCE_DATA NEW_DATA --fail-on-drift: no drift, nothing more to do.
# 2. model-factory run: retrains on NEW_DATA, as "Launch Tracked Run" does in the editor.
# 3. model-factory run --model: evaluates @${o.alias} on NEW_DATA (when there is an evaluate entry).
# 4. model-factory compare @${o.alias} with the retrained run on ${o.metric}.
# 5. model-factory register: the retrained model becomes a new version, and @${o.alias} moves
#    to it, only when it is better.
# Each step's output is uploaded as the ${LOGS_DIR} artifact.
#
# The run store (${o.store}) is kept between runs in the Actions cache, which GitHub evicts
# after 7 days without use: keep the schedule at least weekly. Start the first run by hand
# (Run workflow, with first_run ticked): it trains and registers the first @${o.alias}.
# Each promotion keeps a copy of the data the new @${o.alias} was trained on in the store
# (${o.store}/${CHAMPION_DATA}), and the drift check compares new data with it; REFERENCE_DATA is
# the reference only until the first promotion.
name: Model Factory retraining
`;
}

function triggers(o: Options, cd: string): string {
  return `on:
  schedule:
    - cron: ${y(o.schedule)}
  push:
    paths:
${o.dataPaths.map((p) => `      - ${y(p)}\n`).join('')}      - ${y(`${cd}MLproject`)}
  workflow_dispatch:
    inputs:
      first_run:
        description: "Train and register the first @${o.alias}, without a drift check or a comparison"
        type: boolean
        default: false
permissions:
  contents: read
concurrency:
  group: model-factory-retraining
  cancel-in-progress: false
`;
}

function env(o: Options): string {
  return `env:
  MODEL_NAME: ${y(o.modelName)}
  ALIAS: ${y(o.alias)}
  METRIC: ${y(o.metric)}
  REFERENCE_DATA: ${y(o.referenceData)}
  NEW_DATA: ${y(o.newData)}
  STORE: ${y(o.store)}
  CHAMPION_DATA: ${y(`${o.store}/${CHAMPION_DATA}`)}
  LOGS: ${y(LOGS_DIR)}
`;
}

function jobStart(o: Options): string {
  return `jobs:
  retrain:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: bash
        working-directory: ${y(o.project)}
    steps:
`;
}

function setupSteps(o: Options, cd: string): string {
  const requirements = o.requirements
    ? `      - name: Install the project's Python packages
        run: python -m pip install -r ${sh(o.requirements)}
`
    : '';
  return `      - name: Check out the repository
        uses: actions/checkout@v4
      - name: Install Python
        uses: actions/setup-python@v5
        with:
          python-version: ${y(o.pythonVersion)}
      - name: Install Node.js
        uses: actions/setup-node@v4
        with:
          node-version: ${y(o.nodeVersion)}
      - name: Install the Model Factory command line
        run: npm install --global ${sh(o.cliPackage)}
${requirements}      - name: Restore the run store
        uses: actions/cache/restore@v4
        with:
          path: ${y(`${cd}${o.store}`)}
          key: model-factory-store-\${{ github.run_id }}
          restore-keys: model-factory-store-
`;
}

function driftStep(o: Options): string {
  const extra = o.driftArgs.map((arg) => ` ${sh(arg)}`).join('');
  return `      - name: Check the new data for drift
        id: drift
        if: \${{ !inputs.first_run }}
        run: |
          mkdir -p "$LOGS"
          reference="$REFERENCE_DATA"
          champion="$CHAMPION_DATA/$(basename "$NEW_DATA")"
          if [ -f "$champion" ]; then reference="$champion"; fi
          echo "Reference: $reference"
          status=0
          model-factory drift "$reference" "$NEW_DATA"${extra} --json --html "$LOGS/drift.html" --fail-on-drift > "$LOGS/drift.json" || status=$?
          if [ "$status" -gt 1 ]; then exit "$status"; fi
          if [ "$status" -eq 1 ]; then drifted=true; else drifted=false; fi
          echo "drifted=$drifted" >> "$GITHUB_OUTPUT"
          echo "The new data drifted from the reference: $drifted"
`;
}

function trainStep(o: Options): string {
  const params = Object.entries(o.params)
    .map(([key, value]) => ` -P ${sh(`${key}=${value}`)}`)
    .join('');
  return `      - name: Retrain on the new data
        id: train
        if: \${{ inputs.first_run || steps.drift.outputs.drifted == 'true' }}
        run: |
          mkdir -p "$LOGS"
          model-factory run . --entry ${sh(o.trainEntry)} -P "${o.dataParam}=$NEW_DATA"${params} --store "$STORE" --run-id-file "$LOGS/train-run-id.txt" 2>&1 | tee "$LOGS/train.log"
          echo "run_id=$(cat "$LOGS/train-run-id.txt")" >> "$GITHUB_OUTPUT"
`;
}

function evaluateStep(o: Options): string {
  return `      - name: Evaluate @${o.alias} on the new data
        if: \${{ steps.train.outcome == 'success' && !inputs.first_run }}
        run: |
          model-factory run . --entry ${sh(o.evaluateEntry!)} --model "models:/$MODEL_NAME@$ALIAS" -P "${o.dataParam}=$NEW_DATA" --store "$STORE" 2>&1 | tee "$LOGS/evaluate.log"
`;
}

/** compare exits 0 when @alias is at least as good: only a strictly better model is promoted. */
function compareStep(o: Options): string {
  const direction = o.direction ? ` --${o.direction}-is-better` : '';
  return `      - name: Compare the retrained model with @${o.alias}
        id: compare
        if: \${{ steps.train.outcome == 'success' && !inputs.first_run }}
        env:
          RUN_ID: \${{ steps.train.outputs.run_id }}
        run: |
          status=0
          model-factory compare "models:/$MODEL_NAME@$ALIAS" "runs:/$RUN_ID/${o.modelPath}" --metric "$METRIC"${direction} --store "$STORE" > "$LOGS/compare.txt" 2>&1 || status=$?
          cat "$LOGS/compare.txt"
          if [ "$status" -gt 1 ]; then exit "$status"; fi
          if [ "$status" -eq 1 ]; then better=true; else better=false; fi
          echo "better=$better" >> "$GITHUB_OUTPUT"
`;
}

function registerStep(o: Options): string {
  return `      - name: Register the retrained model and move @${o.alias} to it
        if: \${{ steps.train.outcome == 'success' && (inputs.first_run || steps.compare.outputs.better == 'true') }}
        env:
          RUN_ID: \${{ steps.train.outputs.run_id }}
        run: |
          model-factory register "$RUN_ID" --name "$MODEL_NAME" --path ${sh(o.modelPath)} --alias "$ALIAS" --store "$STORE" 2>&1 | tee "$LOGS/register.log"
          mkdir -p "$CHAMPION_DATA"
          cp "$NEW_DATA" "$CHAMPION_DATA/"
`;
}

function keepSteps(o: Options, cd: string): string {
  return `      - name: Save the run store
        if: \${{ always() && steps.train.outcome == 'success' }}
        uses: actions/cache/save@v4
        with:
          path: ${y(`${cd}${o.store}`)}
          key: model-factory-store-\${{ github.run_id }}-\${{ github.run_attempt }}
      - name: Keep every step's output
        if: \${{ always() }}
        uses: actions/upload-artifact@v4
        with:
          name: ${LOGS_DIR}
          path: ${y(`${cd}${LOGS_DIR}`)}
          if-no-files-found: ignore
`;
}
