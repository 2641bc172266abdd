import { execFile } from 'node:child_process';
import path from 'node:path';

const cli = path.join(__dirname, '../../dist/cli.js');

/** Runs the built CLI as a user would, collecting the exit code instead of throwing. */
export function modelFactory(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { ...options, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
