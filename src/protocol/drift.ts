import { z } from 'zod';

/**
 * The drift panel's messages, both ways, and the report it shows: the JSON that
 * src/core/drift/report.ts `reportJson` writes (snake_case, as the CLI prints it). Both sides
 * check what arrives with these schemas, as the other panels do with src/protocol/panels.ts.
 *
 * The report schemas are lenient about what the engine may add later: objects pass unknown keys
 * through, so a newer engine's report still shows in an older panel. They are strict about what
 * the page draws from: counts are whole and not negative, scores are numbers or null (JSON has no
 * NaN; the engine writes null with a note), and a histogram's counts fit its bins.
 */

const text = z.string().max(100_000);
const count = z.number().int().nonnegative();
/** A statistic, p-value or threshold: null when the engine could not give a finite one. */
const score = z.number().nullable();
/** Data rows named by the streaming detectors, counted from 0; a detector may fire often. */
const rows = z.array(count).max(10_000_000);

export const DriftSides = ['reference', 'current'] as const;
export type DriftSide = (typeof DriftSides)[number];

const FileSummary = z.object({ path: text, rows: count, format: text, columns: count }).loose();

const SideCounts = z.object({ count, missing: count, infinite: count, distinct: count }).loose();

export const DriftHistogram = z
  .object({
    edges: z.array(z.number()).min(2).max(10_000).optional(),
    categories: z.array(text).max(10_000).optional(),
    reference: z.array(z.number().nonnegative()).max(10_000),
    current: z.array(z.number().nonnegative()).max(10_000),
  })
  .loose()
  .refine((h) => h.reference.length === h.current.length, 'the two sides have different bins')
  .refine((h) => (h.edges === undefined) !== (h.categories === undefined), {
    message: 'a histogram has either edges or categories',
  })
  .refine(
    (h) =>
      h.edges
        ? h.edges.length === h.reference.length + 1
        : h.categories?.length === h.reference.length,
    'the counts do not fit the bins',
  );
export type DriftHistogram = z.infer<typeof DriftHistogram>;

export const DriftColumn = z
  .object({
    column: text,
    kind: z.enum(['numerical', 'categorical', 'text']),
    status: z.enum(['tested', 'skipped']),
    test: text.nullable(),
    test_name: text.nullable(),
    statistic: score,
    /** null for distance tests, whose score is the statistic. */
    p_value: score,
    threshold: score,
    operator: z.enum(['<', '<=', '>', '>=']).nullable(),
    drift: z.boolean(),
    reference: SideCounts,
    current: SideCounts,
    histogram: DriftHistogram.nullable(),
    notes: z.array(text),
  })
  .loose();
export type DriftColumn = z.infer<typeof DriftColumn>;

export const DriftMultivariate = z
  .object({
    test: text,
    status: z.enum(['ok', 'not enough rows']),
    columns: z.array(text),
    statistic: score,
    p_value: score,
    threshold: score,
    drift: z.boolean(),
    rows_used: z.object({ reference: count, current: count }).loose(),
    permutations: count,
    sigma: score,
  })
  .loose();
export type DriftMultivariate = z.infer<typeof DriftMultivariate>;

const metricTable = z.record(z.string().max(200), score);

export const DriftConcept = z
  .object({
    task: z.enum(['classification', 'regression']),
    reference: metricTable,
    current: metricTable,
    change: metricTable,
    error_test: z
      .object({
        test: text,
        statistic: score,
        p_value: score,
        threshold: score,
        drift: z.boolean(),
      })
      .loose(),
    detectors: z
      .array(
        z
          .object({
            name: z.string().max(200),
            drift: rows,
            warning: rows,
            status: z.enum(['ok', 'not enough rows']),
            min_rows: count,
          })
          .loose(),
      )
      .max(100),
    error_curve: z
      .object({ rows: z.array(count).max(100_000), values: z.array(z.number()).max(100_000) })
      .loose()
      .refine((curve) => curve.rows.length === curve.values.length, 'rows and values differ'),
    rows: z.object({ reference: count, current: count }).loose(),
    notes: z.array(text),
  })
  .loose();
export type DriftConcept = z.infer<typeof DriftConcept>;

export const DriftReportJson = z
  .object({
    reference: FileSummary,
    current: FileSummary,
    columns: z.array(DriftColumn).max(100_000),
    dataset: z
      .object({
        drift: z.boolean(),
        drifted: count,
        total: count,
        share: z.number().min(0).max(1),
        drift_share: z.number().min(0).max(1),
        correction: z.object({ method: text, alpha: score, tests: count }).loose(),
      })
      .loose(),
    missing_columns: z.object({ reference: z.array(text), current: z.array(text) }).loose(),
    options: z.record(z.string(), z.unknown()).optional(),
    notes: z.array(text),
    multivariate: DriftMultivariate.optional(),
    concept: DriftConcept.optional(),
  })
  .loose();
export type DriftReportJson = z.infer<typeof DriftReportJson>;

/** What the extension knows about the check beyond the report itself. */
export const DriftMeta = z.object({
  /** The stored check this report belongs to, or null for a check that was not stored. */
  checkId: z.string().max(200).nullable(),
  title: text,
  /** How the panel names the two files (a workspace-relative path, a dataset name...). */
  referenceLabel: text,
  currentLabel: text,
  /** Why the report may no longer hold, e.g. "the current file changed since this check". */
  stale: text.nullable(),
  /** A retrain entry point exists and the workspace is trusted. */
  canRetrain: z.boolean(),
});
export type DriftMeta = z.infer<typeof DriftMeta>;

// ---------------------------------------------------------------- webview → host

export const DriftWebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('exportHtml') }),
  z.object({ type: z.literal('retrain') }),
  z.object({ type: z.literal('openFile'), side: z.enum(DriftSides) }),
  /** The page's own failures, for the log. */
  z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: text }),
]);
export type DriftWebviewMessage = z.infer<typeof DriftWebviewMessage>;

// ---------------------------------------------------------------- host → webview

export const DriftActions = ['exportHtml', 'retrain', 'openFile'] as const;

export const DriftHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('report'), report: DriftReportJson, meta: DriftMeta }),
  /** An action started or ended: the page disables its button meanwhile. */
  z.object({ type: z.literal('busy'), action: z.enum(DriftActions), busy: z.boolean() }),
  z.object({ type: z.literal('error'), message: text }),
]);
export type DriftHostMessage = z.infer<typeof DriftHostMessage>;

// ---------------------------------------------------------------- page state

/** The page's view of the report, kept across hide and show (vscode.getState) and reloads. */
export const DriftViewState = z.object({
  selected: z.string().max(100_000).nullable(),
  filter: z.string().max(1000),
  driftedOnly: z.boolean(),
  /** Bars as counts, or as each side's share of its values (sides of different sizes). */
  scale: z.enum(['count', 'share']),
});
export type DriftViewState = z.infer<typeof DriftViewState>;

export const DriftPanelState = z.object({
  kind: z.literal('drift'),
  checkId: z.string().max(200).nullable(),
  /** The current file's path as the report gives it: the panel's key when there is no check. */
  current: text,
  view: DriftViewState,
});
export type DriftPanelState = z.infer<typeof DriftPanelState>;
