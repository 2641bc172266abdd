import '../common/base.css';
import type { HostMessage, VersionView } from '../../protocol/panels';
import { append, button, clear, h, keyValueTable, section } from '../common/dom';
import { formatNumber, formatTime } from '../common/format';
import { gridKeys } from '../common/keys';
import { listen, saveState, send } from '../common/messaging';

/**
 * The model version panel: aliases, tags, the editable description, the source run and its
 * metrics, the training data, and the runs that evaluated the version. Its buttons run the
 * Models view's own commands for this version.
 */

const app = document.getElementById('app')!;
const banner = h('div');
const body = h('div');
let editing = false;
clear(app);
append(app, banner, body);

function render(version: VersionView): void {
  const model = { name: version.name, version: version.version };
  saveState({ kind: 'version', model, ...(version.server ? { server: version.server.url } : {}) });
  if (editing) return;
  clear(body);
  append(
    body,
    h(
      'h1',
      {},
      `${version.name} `,
      h('span', { class: 'empty' }, `version ${version.version}`),
      ...version.aliases.map((alias) => h('span', { class: 'badge' }, `@${alias}`)),
    ),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, `Registered ${formatTime(version.created)}`),
      h('span', {}, `Status ${version.status}`),
      version.stage !== 'None' ? h('span', {}, `Stage ${version.stage}`) : null,
      h('span', {}, `Source ${version.source}`),
      version.server ? h('span', {}, `On ${version.server.name} (${version.server.url})`) : null,
    ),
    actions(version),
    section('Description', description(version)),
    h(
      'div',
      { class: 'two' },
      section('Source run', sourceRun(version)),
      section('Tags', keyValueTable(version.tags, 'No tags.')),
    ),
    section('Training data', datasets(version)),
    section('Evaluations', evaluations(version)),
    section('Drift checks', driftChecks(version)),
  );
  for (const table of Array.from(body.querySelectorAll('table'))) gridKeys(table);
}

function actions(version: VersionView): HTMLElement {
  return h(
    'div',
    { class: 'toolbar' },
    button('Set alias…', () => send({ type: 'versionAction', action: 'setAlias' }), {
      class: 'primary',
    }),
    version.sourceRun
      ? button('Open source run', () => send({ type: 'versionAction', action: 'openSourceRun' }))
      : null,
    // Evaluating, checking drift, serving and scoring read the version from the workspace store.
    ...(version.server ? [] : localActions(version)),
  );
}

function localActions(version: VersionView): HTMLElement[] {
  return [
    button('Evaluate…', () => send({ type: 'versionAction', action: 'evaluate' }), {
      disabled: !version.canEvaluate,
      title: version.canEvaluate
        ? 'Run an evaluate entry point on this version'
        : 'Trust this workspace to launch evaluations',
    }),
    button('Check drift…', () => send({ type: 'versionAction', action: 'checkDrift' }), {
      title: "Check a data file against this version's training data",
    }),
    button('Serve locally', () => send({ type: 'versionAction', action: 'serve' }), {
      disabled: !version.canEvaluate,
      title: version.canEvaluate
        ? "Serve this version with MLflow's scoring protocol on 127.0.0.1"
        : 'Trust this workspace to serve models: loading a model runs its code',
    }),
    button('Score a data file…', () => send({ type: 'versionAction', action: 'score' }), {
      disabled: !version.canEvaluate,
      title: version.canEvaluate
        ? 'Write a copy of a CSV file with this version’s predictions'
        : 'Trust this workspace to score: loading a model runs its code',
    }),
  ];
}

/** The drift history of this version's training data: newest first, each opens its check. */
function driftChecks(version: VersionView): HTMLElement {
  if (version.driftChecks.length === 0) {
    const text = version.server
      ? 'Drift checks are kept for the versions of the workspace store.'
      : 'No drift checks yet: "Check drift…" starts one.';
    return h('p', { class: 'empty' }, text);
  }
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Checked'),
    h('th', { scope: 'col' }, 'Data file'),
    h('th', { scope: 'col' }, 'Verdict'),
    h('th', { scope: 'col' }, 'Drifted columns'),
  );
  const rows = version.driftChecks.map((check) =>
    h(
      'tr',
      {},
      h(
        'td',
        {},
        button(
          formatTime(check.createdTime),
          () => send({ type: 'openDriftCheck', checkId: check.checkId }),
          { class: 'link' },
        ),
      ),
      h('td', {}, check.current),
      h('td', {}, check.drift ? 'drift' : 'no drift'),
      h('td', { class: 'number' }, `${check.drifted} of ${check.total}`),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}

function description(version: VersionView): HTMLElement {
  const text = h(
    'p',
    { class: version.description ? undefined : 'empty' },
    version.description || 'No description.',
  );
  text.classList.add('description');
  const edit = button('Edit', () => {
    editing = true;
    const area = h('textarea', { 'aria-label': 'Description', maxlength: 5000 });
    area.value = version.description;
    const save = button(
      'Save',
      () => {
        editing = false;
        send({ type: 'saveDescription', description: area.value });
      },
      { class: 'primary' },
    );
    const cancel = button('Cancel', () => {
      editing = false;
      render(version);
    });
    clear(box);
    append(box, area, h('div', { class: 'toolbar' }, save, cancel));
    area.focus();
  });
  const box = h('div', {}, text, edit);
  return box;
}

function metricsTable(metrics: VersionView['evaluations'][number]['metrics']): HTMLElement {
  return keyValueTable(
    metrics.map((m) => ({ key: m.key, value: formatNumber(m.value) })),
    'No metrics logged.',
  );
}

function sourceRun(version: VersionView): HTMLElement {
  const run = version.sourceRun;
  if (!run) return h('p', { class: 'empty' }, 'The source run is not in this store.');
  return h(
    'div',
    {},
    h(
      'p',
      {},
      button(run.name || run.runId, () => send({ type: 'openRun', runId: run.runId }), {
        class: 'link',
      }),
      ` (${run.status.toLowerCase()})`,
    ),
    metricsTable(run.metrics),
  );
}

function datasets(version: VersionView): HTMLElement {
  if (version.datasets.length === 0) {
    return h('p', { class: 'empty' }, 'The source run recorded no dataset input.');
  }
  return keyValueTable(
    version.datasets.map((d) => ({
      key: d.name,
      value: `${d.source}${d.rows === undefined ? '' : ` · ${formatNumber(d.rows)} rows`} · digest ${d.digest.slice(0, 12)}`,
    })),
    '',
  );
}

function evaluations(version: VersionView): HTMLElement {
  if (version.evaluations.length === 0) {
    const text = version.server
      ? 'Evaluation runs on the server are not listed here.'
      : 'No evaluation runs yet: "Evaluate…" starts one.';
    return h('p', { class: 'empty' }, text);
  }
  const keys = [...new Set(version.evaluations.flatMap((e) => e.metrics.map((m) => m.key)))].sort();
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Run'),
    h('th', { scope: 'col' }, 'Started'),
    ...keys.map((k) => h('th', { scope: 'col' }, k)),
  );
  const rows = version.evaluations.map((e) =>
    h(
      'tr',
      {},
      h(
        'td',
        {},
        button(e.name || e.runId, () => send({ type: 'openRun', runId: e.runId }), {
          class: 'link',
        }),
      ),
      h('td', {}, formatTime(e.startTime)),
      ...keys.map((k) =>
        h('td', { class: 'number' }, formatNumber(e.metrics.find((m) => m.key === k)?.value)),
      ),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}

listen((message: HostMessage) => {
  switch (message.type) {
    case 'version':
      clear(banner);
      return render(message.version);
    case 'gone':
    case 'error':
      clear(banner);
      append(banner, h('div', { class: 'banner error', role: 'alert' }, message.message));
      return;
    default:
      return;
  }
});
