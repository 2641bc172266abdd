// Dataset reader benchmark: readTable on a generated 1,000,000 x 15 CSV (10 float columns, 5
// short categories) against pandas.read_csv on the same file, timed in a python3 subprocess.
// Two files: floats written in full (shortest round-trip digits, as pandas' to_csv writes a
// float64) and floats rounded to 4 decimals. Prints best-of-N times and their ratio; nothing is
// asserted. The files go under the OS temporary folder and are removed afterwards.
// Run: node --import tsx bench/data-read.ts [--rows 1000000] [--runs 3] [--python /usr/bin/python3]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readTable } from '../src/core/data/read';
import { createRandom } from '../src/core/drift/random';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);

const CATEGORIES = [
  ['red', 'green', 'blue'],
  ['A', 'B', 'C', 'D', 'E'],
  ['north', 'south', 'east', 'west'],
  ['yes', 'no'],
  ['cat', 'dog', 'bird', 'fish', 'lizard', 'hamster'],
];

/** Writes the CSV; floats are normal draws on four scales, written in full or to 4 decimals. */
async function writeCsv(file: string, rounded: boolean): Promise<void> {
  const random = createRandom(rounded ? 2 : 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = createWriteStream(file);
  const names = [...CATEGORIES.keys()].map((i) => `s${i}`);
  out.write(`${[...Array(10).keys()].map((i) => `f${i}`).join(',')},${names.join(',')}\n`);

  let lines: string[] = [];
  for (let row = 0; row < ROWS; row++) {
    const fields: string[] = [];
    for (let i = 0; i < 10; i++) {
      const value = normal() * 10 ** (i % 4);
      fields.push(String(rounded ? Math.round(value * 1e4) / 1e4 : value));
    }
    for (const options of CATEGORIES) fields.push(options[Math.floor(random() * options.length)]);
    lines.push(fields.join(','));
    if (lines.length === 10_000 || row === ROWS - 1) {
      if (!out.write(`${lines.join('\n')}\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      lines = [];
    }
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function ours(file: string): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const table = await readTable(file);
    best = Math.min(best, (performance.now() - started) / 1000);
    if (table.rows !== ROWS) throw new Error(`read ${table.rows} rows, wrote ${ROWS}`);
  }
  return best;
}

const PANDAS = `
import json, sys, time
import pandas as pd
best = float('inf')
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    frame = pd.read_csv(sys.argv[1])
    best = min(best, time.perf_counter() - started)
print(json.dumps({"seconds": best, "rows": len(frame), "version": pd.__version__}))
`;

function pandas(file: string): { seconds: number; version: string } | undefined {
  const result = spawnSync(values.python!, ['-c', PANDAS, file, String(RUNS)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    console.log(
      `pandas not measured (${values.python}: ${result.stderr.trim().split('\n').at(-1)})`,
    );
    console.log('On Debian: apt-get install -y python3-pandas');
    return undefined;
  }
  return JSON.parse(result.stdout) as { seconds: number; version: string };
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-data-'));
  try {
    for (const [name, rounded] of [
      ['floats in full', false],
      ['floats to 4 decimals', true],
    ] as const) {
      const file = path.join(dir, `${rounded ? 'rounded' : 'full'}.csv`);
      await writeCsv(file, rounded);
      const size = `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`;
      const ourSeconds = await ours(file);
      const baseline = pandas(file);
      const ratio =
        baseline === undefined ? '' : `, ratio ${(ourSeconds / baseline.seconds).toFixed(2)}`;
      const theirs =
        baseline === undefined
          ? ''
          : `, pandas ${baseline.version} ${baseline.seconds.toFixed(2)} s`;
      console.log(
        `${ROWS} x 15, ${name} (${size}): readTable ${ourSeconds.toFixed(2)} s${theirs}${ratio}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
