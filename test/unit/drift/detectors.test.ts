import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ADWIN,
  createDetector,
  DETECTOR_NAMES,
  KSWIN,
  minimumRows,
  runDetector,
  type DetectorName,
  type DetectorOptions,
  type DriftDetector,
} from '../../../src/core/drift/detectors';
import type { RandomSource } from '../../../src/core/drift/random';

const FIXTURES = path.join(__dirname, '../../fixtures/drift');
const riverStreams = JSON.parse(readFileSync(path.join(FIXTURES, 'river_streams.json'), 'utf8'));
const kswinExpected = JSON.parse(readFileSync(path.join(FIXTURES, 'kswin.json'), 'utf8'));
const adwinExpected = JSON.parse(readFileSync(path.join(FIXTURES, 'adwin.json'), 'utf8'));

/** The reference page's Park-Miller generator; every product stays below 2^53, so it is exact. */
function parkMiller(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function streamB(): number[] {
  const next = parkMiller(1);
  return Array.from({ length: 2000 }, (_, i) => (next() < (i < 1000 ? 0.3 : 0.6) ? 1 : 0));
}

function streamL(): number[] {
  const next = parkMiller(2);
  return Array.from({ length: 2000 }, (_, i) => {
    const u = next();
    return i < 1000 ? Math.floor(2 * u) : 4 + Math.floor(4 * u);
  });
}

const B = streamB();
const L = streamL();

/** A run written as the reference page writes it: "W i" and "D i" in stream order. */
function events<Name extends DetectorName>(
  name: Name,
  stream: ArrayLike<number>,
  options?: DetectorOptions[Name],
): string {
  const run = runDetector(name, stream, options);
  const marks = [
    ...run.warning.map((i) => ({ i, text: `W${i}` })),
    ...run.drift.map((i) => ({ i, text: `D${i}` })),
  ];
  const rank = (text: string) => (text.startsWith('W') ? 0 : 1);
  return marks
    .sort((a, b) => a.i - b.i || rank(a.text) - rank(b.text))
    .map((m) => m.text)
    .join(' ');
}

/** river's docstring loop: a warning is printed once, and again only after a drift. */
function docstringPrints(detector: DriftDetector, stream: number[]): string[] {
  const printed: string[] = [];
  let printWarning = true;
  stream.forEach((x, i) => {
    detector.update(x);
    if (detector.warningDetected && printWarning) {
      printed.push(`warning ${i}`);
      printWarning = false;
    }
    if (detector.driftDetected) {
      printed.push(`change ${i} (x=${x})`);
      printWarning = true;
    }
  });
  return printed;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

test('the Park-Miller streams B and L are regenerated exactly as the reference page gives them', () => {
  assert.deepEqual(B.slice(0, 20), [1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(sum(B.slice(0, 1000)), 300);
  assert.equal(sum(B.slice(1000)), 599);
  assert.deepEqual(L.slice(0, 20), [0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1]);
  assert.deepEqual(L.slice(1000, 1010), [5, 7, 5, 6, 4, 6, 4, 6, 5, 6]);
});

test('DDM fires on stream B where river does', () => {
  assert.equal(
    events('DDM', B),
    'W50 W67 W74 D112 W260 W268 W281 W1121 D1431 W1546 W1570 W1572 W1577 W1579 W1584 W1783 ' +
      'W1792 W1802',
  );
});

test('EDDM fires on stream B where river does', () => {
  assert.equal(
    events('EDDM', B),
    'D100 D204 W347 W442 W1034 D1098 W1149 D1154 D1203 W1255 W1265 W1291 W1297 W1359 W1389 ' +
      'W1403 W1531 W1764 W1873 W1891 W1896 W1971 W1989',
  );
});

test('HDDM_A fires on stream B where river does, one-sided and two-sided', () => {
  assert.equal(events('HDDM_A', B), 'W1056 D1060');
  assert.equal(events('HDDM_A', B, { twoSidedTest: true }), 'W1056 D1060');
});

test('HDDM_W fires on stream B where river does, one-sided and two-sided', () => {
  assert.equal(
    events('HDDM_W', B),
    'W473 W951 W953 W955 W1018 W1022 W1024 W1032 D1034 W1822 W1907',
  );
  assert.equal(
    events('HDDM_W', B, { twoSidedTest: true }),
    'W473 W514 W528 W532 W537 W545 W617 W665 D671 W951 W953 W955 W1018 W1022 W1024 W1032 ' +
      'D1034 W1775 W1780 W1822 W1907',
  );
});

test('ADWIN fires on streams B and L where river does, with the default clock and with clock 1', () => {
  assert.equal(events('ADWIN', B), 'D1087');
  assert.equal(events('ADWIN', L), 'D1023');
  assert.equal(events('ADWIN', L, { clock: 1 }), 'D1003');
});

test('ADWIN fed L[0:1100] ends with the window river reports, having restarted after 1023', () => {
  const adwin = new ADWIN();

  L.slice(0, 1100).forEach((x) => adwin.update(x));

  assert.equal(adwin.width, 76);
  assert.equal(adwin.total, 418);
  assert.equal(adwin.estimation, 418 / 76);
});

test("ADWIN keeps river's sums: 1..5 gives width 5, total 15 and variance 10", () => {
  const adwin = new ADWIN();

  [1, 2, 3, 4, 5].forEach((x) => adwin.update(x));

  assert.deepEqual([adwin.width, adwin.total, adwin.variance], adwinExpected.one_to_five);
});

test("ADWIN follows the port of river's Rust code row by row on a subtle shift", () => {
  const next = parkMiller(3);
  const stream = Array.from({ length: 3000 }, (_, i) => next() + (i >= 1500 ? 0.15 : 0));

  for (const [label, options] of [
    ['clock1', { clock: 1 }],
    ['default', {}],
  ] as const) {
    const expected = adwinExpected[label];
    const adwin = new ADWIN(options);
    const drift: number[] = [];
    stream.forEach((x, i) => {
      adwin.update(x);
      if (adwin.driftDetected) drift.push(i);
      const state = expected.states[String(i)];
      if (!state) return;
      assert.equal(adwin.width, state[0], `${label} width at ${i}`);
      assert.ok(Math.abs(adwin.total - state[1]) <= 1e-12 * state[1], `${label} total at ${i}`);
      assert.ok(
        Math.abs(adwin.variance - state[2]) <= 1e-12 * state[2],
        `${label} variance at ${i}`,
      );
    });

    assert.deepEqual(drift, expected.drift, label);
    assert.deepEqual(runDetector('ADWIN', stream, options).drift, expected.drift, label);
  }
});

test('PageHinkley fires on streams B and L where river does', () => {
  assert.equal(
    events('PageHinkley', B, { threshold: 10 }),
    'D118 D260 D470 D955 D1033 D1309 D1500 D1787',
  );
  assert.equal(events('PageHinkley', L), 'D1007 D1518');
  assert.equal(events('PageHinkley', L, { mode: 'up' }), 'D1007 D1518');
});

test('PageHinkley in mode down ignores the rise in stream L that mode up catches', () => {
  assert.equal(events('PageHinkley', L, { mode: 'down' }), '');
});

test('river docstring examples on the Random(42) bit stream print what river prints', () => {
  const stream: number[] = riverStreams.binary42;

  assert.deepEqual(docstringPrints(createDetector('DDM'), stream), [
    'warning 1084',
    'change 1334 (x=1)',
    'warning 1492',
  ]);
  assert.deepEqual(docstringPrints(createDetector('EDDM', { alpha: 0.8, beta: 0.75 }), stream), [
    'warning 1059',
    'change 1278 (x=1)',
  ]);
  assert.deepEqual(docstringPrints(createDetector('HDDM_A'), stream), [
    'warning 451',
    'change 1206 (x=1)',
  ]);
  assert.deepEqual(docstringPrints(createDetector('HDDM_W'), stream), [
    'warning 451',
    'change 1077 (x=1)',
  ]);
});

test('river docstring examples on the Random(12345) level stream print what river prints', () => {
  const stream: number[] = riverStreams.levels12345;

  assert.deepEqual(docstringPrints(createDetector('PageHinkley'), stream), ['change 1006 (x=5)']);
  assert.deepEqual(docstringPrints(createDetector('ADWIN'), stream), ['change 1023 (x=4)']);
});

test('a drift flag lasts one update, and the update after it starts from an empty state', () => {
  const adwin = new ADWIN();
  const flagged: number[] = [];

  L.slice(0, 1025).forEach((x, i) => {
    adwin.update(x);
    if (adwin.driftDetected) flagged.push(i);
  });

  assert.deepEqual(flagged, [1023]);
  assert.equal(adwin.driftDetected, false);
  assert.equal(adwin.width, 1, 'the window restarted with the value at 1024');
  assert.equal(adwin.total, L[1024]);
});

test('warnings are listed where they switch on, not for every row they stay on', () => {
  const ddm = createDetector('DDM');
  const on = B.map((x) => {
    ddm.update(x);
    return ddm.warningDetected;
  });

  const run = runDetector('DDM', B);

  const switchedOn = on.flatMap((flag, i) => (flag && !on[i - 1] ? [i] : []));
  assert.deepEqual(run.warning, switchedOn);
  assert.ok(on.filter(Boolean).length > 3 * run.warning.length, 'warnings last several rows');
});

test('each detector reports the fewest rows it needs to be able to fire', () => {
  const expected: Record<DetectorName, number> = {
    DDM: 31,
    EDDM: 31,
    HDDM_A: 16,
    HDDM_W: 41,
    ADWIN: 32,
    PageHinkley: 30,
    KSWIN: 100,
  };

  for (const name of DETECTOR_NAMES) assert.equal(minimumRows(name), expected[name], name);
  assert.equal(minimumRows('DDM', { warmStart: 5 }), 6);
  assert.equal(minimumRows('ADWIN', { clock: 1 }), 11);
  assert.equal(minimumRows('ADWIN', { clock: 1, minWindowLength: 8 }), 16);
  assert.equal(minimumRows('KSWIN', { windowSize: 60, statSize: 20 }), 60);
});

test('a stream shorter than a detector needs is "not enough rows", never a silent "no drift"', () => {
  for (const name of DETECTOR_NAMES) {
    const minRows = minimumRows(name);
    // All errors, so that EDDM, which counts only errors, is held back by the length alone.
    const short = new Array(minRows - 1).fill(1);
    const enough = new Array(minRows).fill(1);

    assert.equal(runDetector(name, short).status, 'not enough rows', name);
    assert.equal(runDetector(name, short).minRows, minRows, name);
    assert.equal(runDetector(name, enough).status, 'ok', name);
  }
  assert.equal(runDetector('DDM', []).status, 'not enough rows');
});

test('EDDM, which learns from errors only, is "not enough rows" with warmStart errors or fewer', () => {
  const fewErrors = Array.from({ length: 5000 }, (_, i) => (i % 200 === 0 ? 1 : 0));

  assert.equal(runDetector('EDDM', fewErrors).status, 'not enough rows');
  assert.equal(runDetector('EDDM', fewErrors, { warmStart: 20 }).status, 'ok');
});

test('no binary stream shorter than HDDM_A needs can make it drift, and one of that length can', () => {
  const rows = minimumRows('HDDM_A');
  const drifting = (length: number) => {
    let count = 0;
    for (let bits = 0; bits < 1 << length; bits++) {
      const stream = Array.from({ length }, (_, i) => (bits >> i) & 1);
      if (runDetector('HDDM_A', stream, { twoSidedTest: true }).drift.length > 0) count++;
    }
    return count;
  };

  assert.equal(drifting(rows - 1), 0);
  assert.ok(drifting(rows) > 0);
});

test('HDDM_W cannot drift on a step stream shorter than it needs, and can at that length', () => {
  const rows = minimumRows('HDDM_W');
  const step = (length: number, zeros: number) =>
    Array.from({ length }, (_, i) => (i < zeros ? 0 : 1));

  for (let zeros = 1; zeros < rows - 1; zeros++) {
    assert.deepEqual(runDetector('HDDM_W', step(rows - 1, zeros)).drift, [], `${zeros} zeros`);
  }
  assert.deepEqual(runDetector('HDDM_W', step(rows, Math.floor(rows / 2))).drift, [rows - 1]);
});

test('detectors reject options river rejects or could not run with', () => {
  assert.throws(() => createDetector('EDDM', { alpha: 0.8, beta: 0.9 }), RangeError);
  assert.throws(() => createDetector('KSWIN', { windowSize: 50, statSize: 30 }), RangeError);
  assert.throws(() => createDetector('KSWIN', { alpha: 1.5 }), RangeError);
  assert.throws(() => createDetector('DDM', { warmStart: -1 }), RangeError);
  assert.throws(() => createDetector('ADWIN', { clock: 0 }), RangeError);
  assert.throws(() => createDetector('PageHinkley', { mode: 'sideways' as 'up' }), RangeError);
  assert.throws(() => createDetector('Cusum' as DetectorName), /unknown drift detector 'Cusum'/);
});

test('a missing or infinite value in the stream is an error naming its position', () => {
  assert.throws(() => runDetector('ADWIN', [0, 1, NaN, 1]), /position 2/);
  assert.throws(() => runDetector('DDM', [0, Infinity]), /position 1/);
  assert.throws(() => new KSWIN().update(NaN), RangeError);
});

/** Replays the pool positions Python's random.sample chose, as uniform numbers. */
function replayPythonSample(
  draws: number[][],
  population: number,
): RandomSource & { rewind(): void } {
  let call = 0;
  let pick = 0;
  const source = () => {
    if (call >= draws.length) throw new Error('the recorded draws ran out');
    const u = (draws[call][pick] + 0.5) / (population - pick);
    pick += 1;
    if (pick === draws[call].length) {
      call += 1;
      pick = 0;
    }
    return u;
  };
  return Object.assign(source, {
    rewind: () => {
      call = 0;
      pick = 0;
    },
  });
}

/** KSWIN with a replayed Python generator, rewound where river re-seeds it (after a drift). */
function kswinWithPythonDraws(stream: number[], alpha: number): number[] {
  const random = replayPythonSample(riverStreams.kswin_draws_seed42, 70);
  const kswin = new KSWIN({ alpha, random });
  const drift: number[] = [];
  stream.forEach((x, i) => {
    if (kswin.driftDetected) random.rewind();
    kswin.update(x);
    if (kswin.driftDetected) drift.push(i);
  });
  return drift;
}

test("KSWIN's docstring example fires at 1016 (x=6) when fed Python's draws for seed 42", () => {
  const stream: number[] = riverStreams.levels12345;

  const drift = kswinWithPythonDraws(stream, 0.0001);

  assert.deepEqual(drift, kswinExpected['levels12345_python42_alpha0.0001']);
  assert.deepEqual(drift, [1016]);
  assert.equal(stream[1016], 6);
});

test("KSWIN on stream L fed Python's draws for seed 42 fires where the Python port does", () => {
  assert.deepEqual(kswinWithPythonDraws(L, 0.005), kswinExpected.L_python42);
});

test('KSWIN with a source that always returns 0 compares a predictable sample, as the port does', () => {
  const zero = () => 0;

  assert.deepEqual(runDetector('KSWIN', L, { random: zero }).drift, kswinExpected.L_first);
  assert.deepEqual(
    runDetector('KSWIN', riverStreams.levels12345, { random: zero }).drift,
    kswinExpected.levels12345_first,
  );
});

test('KSWIN with its default seeded source fires shortly after the level change in stream L', () => {
  const run = runDetector('KSWIN', L);
  const afterChange = run.drift.filter((i) => i >= 1000);

  assert.ok(afterChange.length > 0 && afterChange[0] < 1040, `drift at ${run.drift}`);
  assert.deepEqual(runDetector('KSWIN', L).drift, run.drift, 'the same seed gives the same rows');
});

test('KSWIN never fires on a constant stream, nor on one drawn from a single distribution', () => {
  const next = parkMiller(7);
  const steady = Array.from({ length: 5000 }, () => Math.floor(4 * next()));

  assert.deepEqual(runDetector('KSWIN', new Float64Array(3000).fill(2)).drift, []);
  assert.ok(runDetector('KSWIN', steady, { alpha: 0.0001 }).drift.length <= 1);
});

test('KSWIN keeps the last windowSize values and empties its window after a drift', () => {
  const kswin = new KSWIN({ window: [1, 2, 3], windowSize: 6, statSize: 2 });

  for (const x of [4, 5, 6, 7]) kswin.update(x);

  assert.deepEqual([...kswin.windowValues()], [2, 3, 4, 5, 6, 7]);
  const drifted = new KSWIN({ random: () => 0 });
  L.slice(0, kswinExpected.L_first[0] + 2).forEach((x) => drifted.update(x));
  assert.deepEqual([...drifted.windowValues()], [L[kswinExpected.L_first[0] + 1]]);
});
