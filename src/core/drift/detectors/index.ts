import { ADWIN, adwinMinimumRows, type AdwinOptions } from './adwin';
import { DDM, type DdmOptions } from './ddm';
import type { DriftDetector } from './detector';
import { EDDM, type EddmOptions } from './eddm';
import { HDDM_A, hddmAMinimumRows, type HddmAOptions } from './hddmA';
import { HDDM_W, hddmWMinimumRows, type HddmWOptions } from './hddmW';
import { KSWIN, type KswinOptions } from './kswin';
import { PageHinkley, type PageHinkleyOptions } from './pageHinkley';

export type { DriftDetector } from './detector';
export { ADWIN, DDM, EDDM, HDDM_A, HDDM_W, KSWIN, PageHinkley };
export type {
  AdwinOptions,
  DdmOptions,
  EddmOptions,
  HddmAOptions,
  HddmWOptions,
  KswinOptions,
  PageHinkleyOptions,
};

export type DetectorName = 'DDM' | 'EDDM' | 'HDDM_A' | 'HDDM_W' | 'ADWIN' | 'PageHinkley' | 'KSWIN';

export interface DetectorOptions {
  DDM: DdmOptions;
  EDDM: EddmOptions;
  HDDM_A: HddmAOptions;
  HDDM_W: HddmWOptions;
  ADWIN: AdwinOptions;
  PageHinkley: PageHinkleyOptions;
  KSWIN: KswinOptions;
}

export const DETECTOR_NAMES: readonly DetectorName[] = [
  'DDM',
  'EDDM',
  'HDDM_A',
  'HDDM_W',
  'ADWIN',
  'PageHinkley',
  'KSWIN',
];

/**
 * Detectors built for a stream of 0/1 errors (or values in [0, 1]); the others take any real
 * value, such as a regression's absolute error.
 */
export const BINARY_DETECTORS: ReadonlySet<DetectorName> = new Set([
  'DDM',
  'EDDM',
  'HDDM_A',
  'HDDM_W',
]);

const FACTORIES: { [Name in DetectorName]: (options: DetectorOptions[Name]) => DriftDetector } = {
  DDM: (options) => new DDM(options),
  EDDM: (options) => new EDDM(options),
  HDDM_A: (options) => new HDDM_A(options),
  HDDM_W: (options) => new HDDM_W(options),
  ADWIN: (options) => new ADWIN(options),
  PageHinkley: (options) => new PageHinkley(options),
  KSWIN: (options) => new KSWIN(options),
};

/** A fresh detector with river's defaults, overridden by `options` (river's names, camelCase). */
export function createDetector<Name extends DetectorName>(
  name: Name,
  options: DetectorOptions[Name] = {},
): DriftDetector {
  if (!Object.hasOwn(FACTORIES, name)) {
    throw new RangeError(`unknown drift detector '${String(name)}'`);
  }
  const factory: (options: DetectorOptions[Name]) => DriftDetector = FACTORIES[name];
  return factory(options);
}

/**
 * The fewest rows on which a detector can signal drift at all; on a shorter stream silence
 * means nothing. DDM and EDDM need more than warmStart rows, PageHinkley minInstances rows and
 * KSWIN a full window. ADWIN first looks at its window at a multiple of clock past the grace
 * period (32 rows by default, not 11). HDDM_A and HDDM_W have no warm-up in river; theirs is
 * the length below which their bound cannot be crossed by inputs in [0, 1] (16 and 41 rows by
 * default).
 */
export function minimumRows<Name extends DetectorName>(
  name: Name,
  options: DetectorOptions[Name] = {},
): number {
  const detector = createDetector(name, options);
  if (detector instanceof DDM || detector instanceof EDDM) return detector.warmStart + 1;
  if (detector instanceof PageHinkley) return detector.minInstances;
  if (detector instanceof KSWIN) return detector.windowSize;
  if (detector instanceof ADWIN) {
    return adwinMinimumRows(detector.clock, detector.gracePeriod, detector.minWindowLength);
  }
  if (detector instanceof HDDM_A) return hddmAMinimumRows(detector.driftConfidence);
  if (detector instanceof HDDM_W) {
    return hddmWMinimumRows(detector.driftConfidence, detector.lambdaVal);
  }
  return 0;
}

export interface DetectorRun {
  name: DetectorName;
  /** 0-based positions in the stream where drift was signalled. */
  drift: number[];
  /** 0-based positions where the warning flag went from off to on. */
  warning: number[];
  /**
   * 'not enough rows' when the stream is shorter than minRows, so that silence is not read as
   * "no drift"; EDDM, which learns only from errors, also needs more than warmStart ones.
   */
  status: 'ok' | 'not enough rows';
  minRows: number;
}

/**
 * Feeds a whole stream to a fresh detector and lists where it fired, in the convention of the
 * reference page: "D i" wherever drift is flagged, "W i" wherever a warning switches on.
 */
export function runDetector<Name extends DetectorName>(
  name: Name,
  stream: ArrayLike<number>,
  options: DetectorOptions[Name] = {},
): DetectorRun {
  const detector = createDetector(name, options);
  const minRows = minimumRows(name, options);

  const drift: number[] = [];
  const warning: number[] = [];
  let warned = false;
  for (let i = 0; i < stream.length; i++) {
    const x = stream[i];
    if (!Number.isFinite(x)) throw new RangeError(`${name}: value ${x} at position ${i}`);
    detector.update(x);
    if (detector.driftDetected) drift.push(i);
    if (detector.warningDetected && !warned) warning.push(i);
    warned = detector.warningDetected;
  }

  const enough =
    stream.length >= minRows && (name !== 'EDDM' || enoughErrors(stream, options as EddmOptions));
  return { name, drift, warning, status: enough ? 'ok' : 'not enough rows', minRows };
}

function enoughErrors(stream: ArrayLike<number>, options: EddmOptions): boolean {
  const needed = (options.warmStart ?? 30) + 1;
  let errors = 0;
  for (let i = 0; i < stream.length && errors < needed; i++) if (stream[i] === 1) errors++;
  return errors >= needed;
}
