import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/core/log';
import { RunStore, type StoreOptions } from '../../src/core/store/store';

/** A logger that keeps its lines, so tests can assert on what was logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string | Error) =>
    lines.push(`${level}: ${message instanceof Error ? message.message : message}`);
  return {
    lines,
    trace: push('trace'),
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

export function tempDir(prefix = 'mf-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a real store in a fresh folder; idle snapshots off so tests decide when they happen. */
export async function openTempStore(options: StoreOptions = {}) {
  const temp = tempDir();
  const store = await RunStore.open(temp.dir, { idleMs: 0, ...options });
  return {
    store,
    dir: temp.dir,
    async dispose() {
      await store.close().catch(() => undefined);
      temp.remove();
    },
  };
}
