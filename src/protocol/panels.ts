import { z } from 'zod';

/**
 * The messages between the panel hosts (src/vscode/panels) and the panels' browser side
 * (src/webview), declared once. Both sides check what arrives with these schemas: a webview is
 * a browser page, and a message is data until it has been checked.
 *
 * Numbers travel as JSON, so a metric value that is NaN or infinite is sent as null: the chart
 * draws a gap there, which is what such a value means on a line.
 */

const runId = z.string().regex(/^[0-9a-f]{32}$/, 'expected a 32-character run id');
const text = z.string().max(100_000);
const keyValue = z.object({ key: text, value: text });
const finite = z.number().refine(Number.isFinite, 'expected a finite number');

// ---------------------------------------------------------------- webview → host

export const XAxes = ['step', 'time', 'relative'] as const;
export type XAxis = (typeof XAxes)[number];

/** Asks for one metric of one or more runs, thinned to `width` points per run. */
const seriesRequest = z.object({
  type: z.literal('series'),
  requestId: z.number().int().nonnegative(),
  runIds: z.array(runId).min(1).max(1000),
  key: text.min(1),
  width: z.number().int().min(16).max(8192),
  /** 'relative' is time since the run started: the host thins it as time. */
  x: z.enum(XAxes),
  /** The zoomed range, in the x unit (steps, or milliseconds for time and relative time). */
  range: z.object({ min: finite, max: finite }).optional(),
});

export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  seriesRequest,
  z.object({ type: z.literal('listArtifacts'), path: text }),
  z.object({ type: z.literal('openArtifact'), path: text }),
  z.object({ type: z.literal('previewArtifact'), path: text }),
  z.object({ type: z.literal('openSource') }),
  z.object({ type: z.literal('openRun'), runId }),
  z.object({
    type: z.literal('versionAction'),
    action: z.enum(['setAlias', 'evaluate', 'openSourceRun', 'checkDrift', 'serve', 'score']),
  }),
  z.object({ type: z.literal('openDriftCheck'), checkId: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.object({ type: z.literal('saveDescription'), description: z.string().max(5000) }),
  z.object({
    type: z.literal('export'),
    format: z.enum(['png', 'svg', 'csv']),
    /** A file name without folders: the user picks where it goes. */
    name: z.string().regex(/^[^/\\]{1,200}$/, 'expected a file name'),
    /** A data: URL for PNG, the text itself for SVG and CSV. */
    content: z.string().max(50_000_000),
  }),
  z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: text }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;
export type SeriesRequest = z.infer<typeof seriesRequest>;

// ---------------------------------------------------------------- host → webview

export const MetricSummary = z.object({
  key: text,
  /** null when the last value is NaN or infinite. */
  value: z.number().nullable(),
  step: z.number(),
  timestamp: z.number(),
});

export const DatasetSummary = z.object({
  name: text,
  digest: text,
  source: text,
  sourceType: text,
  /** The input tag mlflow.data.context: training, evaluation, ... */
  context: text.optional(),
  rows: z.number().optional(),
});

export const RunView = z.object({
  runId,
  name: text,
  status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']),
  deleted: z.boolean(),
  experiment: z.object({ id: text, name: text }),
  user: text,
  startTime: z.number().nullable(),
  endTime: z.number().nullable(),
  source: z
    .object({
      name: text,
      commit: text.optional(),
      branch: text.optional(),
      dirty: z.boolean().optional(),
      entryPoint: text.optional(),
      /** The source file is in the workspace, so clicking it can open it. */
      openable: z.boolean(),
    })
    .optional(),
  parent: z.object({ runId, name: text }).optional(),
  params: z.array(keyValue),
  /** The user's tags; MLflow's own (mlflow.*) are in systemTags. */
  tags: z.array(keyValue),
  systemTags: z.array(keyValue),
  inputs: z.array(DatasetSummary),
  metrics: z.array(MetricSummary),
  /** The MLflow server the run was read from; absent for the workspace store. */
  server: z.object({ name: text, url: text }).optional(),
});
export type RunView = z.infer<typeof RunView>;

export const SeriesPoints = z.object({
  runId,
  /** The x values in the requested unit; relative time is in milliseconds since the start. */
  x: z.array(z.number()),
  y: z.array(z.number().nullable()),
  /** Points in the whole series (or the requested range) before thinning. */
  total: z.number().int(),
  /** The series' full x range, for the reset-zoom button and the axis. */
  extent: z.object({ min: z.number(), max: z.number() }).nullable(),
});
export type SeriesPoints = z.infer<typeof SeriesPoints>;

export const CompareRun = z.object({
  runId,
  name: text,
  experiment: text,
  status: text,
  startTime: z.number().nullable(),
  durationMs: z.number().nullable(),
  params: z.record(z.string(), text),
  metrics: z.record(z.string(), z.number().nullable()),
  tags: z.record(z.string(), text),
});
export type CompareRun = z.infer<typeof CompareRun>;

export const VersionView = z.object({
  name: text,
  version: text,
  status: text,
  stage: text,
  description: z.string(),
  created: z.number().nullable(),
  updated: z.number().nullable(),
  source: text,
  aliases: z.array(text),
  tags: z.array(keyValue),
  sourceRun: z
    .object({ runId, name: text, status: text, metrics: z.array(MetricSummary) })
    .optional(),
  /** The source run's datasets whose context is training (all of them when none says so). */
  datasets: z.array(DatasetSummary),
  evaluations: z.array(
    z.object({
      runId,
      name: text,
      status: text,
      startTime: z.number().nullable(),
      metrics: z.array(MetricSummary),
    }),
  ),
  /** False in a workspace that is not trusted: evaluating launches a process. */
  canEvaluate: z.boolean(),
  /** The MLflow server the version was read from; absent for the workspace store. */
  server: z.object({ name: text, url: text }).optional(),
  /** Drift checks against this version's training data, newest first. */
  driftChecks: z.array(
    z.object({
      checkId: z.string(),
      createdTime: z.number(),
      current: text,
      drift: z.boolean(),
      drifted: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    }),
  ),
});
export type VersionView = z.infer<typeof VersionView>;

export const ArtifactEntry = z.object({
  path: text,
  isDir: z.boolean(),
  size: z.number().optional(),
});

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), run: RunView }),
  z.object({
    type: z.literal('series'),
    requestId: z.number().int(),
    key: text,
    xAxis: z.enum(XAxes),
    series: z.array(SeriesPoints),
  }),
  /** New points of a live run: the panel asks again for each chart it shows. */
  z.object({ type: z.literal('metricsChanged'), runId, keys: z.array(text) }),
  z.object({ type: z.literal('artifacts'), path: text, files: z.array(ArtifactEntry) }),
  z.object({
    type: z.literal('preview'),
    path: text,
    kind: z.enum(['image', 'json', 'text', 'none']),
    /** A data: URL for images, text otherwise; a reason when kind is none. */
    content: z.string(),
    truncated: z.boolean(),
  }),
  z.object({
    type: z.literal('compare'),
    runs: z.array(CompareRun),
    /** Runs asked for that are no longer in the store. */
    missing: z.array(z.string()),
  }),
  z.object({ type: z.literal('version'), version: VersionView }),
  /** The run or version shown was deleted, or never existed. */
  z.object({ type: z.literal('gone'), message: text }),
  z.object({ type: z.literal('error'), message: text }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** What a panel keeps across being hidden and restored (vscode.getState), and reopening. */
export const PanelState = z.object({
  kind: z.enum(['run', 'compare', 'version']),
  runIds: z.array(runId).optional(),
  model: z.object({ name: z.string(), version: z.string() }).optional(),
  /** The URL of the MLflow server of a remote run's panel. */
  server: z.string().optional(),
  view: z.record(z.string(), z.unknown()).optional(),
});
export type PanelState = z.infer<typeof PanelState>;
