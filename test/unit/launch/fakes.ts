import type {
  ProcessExit,
  ProcessRunner,
  ProcessSpec,
} from '../../../src/core/projects/launchProcess';
import type { LaunchPlan } from '../../../src/core/projects/launchPlan';

/** A runner that records what it was asked to start and plays a scripted process. */
export function fakeRunner(
  play: (spec: ProcessSpec, write: (text: string) => void) => Promise<ProcessExit> | ProcessExit,
) {
  const started: ProcessSpec[] = [];
  let killed = false;
  const runner: ProcessRunner = (spec, onOutput) => {
    started.push(spec);
    let endByKill: (exit: ProcessExit) => void = () => undefined;
    const byKill = new Promise<ProcessExit>((resolve) => (endByKill = resolve));
    return {
      exit: Promise.race([Promise.resolve(play(spec, onOutput)), byKill]),
      kill: () => {
        killed = true;
        endByKill({ code: null, signal: 'SIGTERM' });
      },
    };
  };
  return { runner, started, wasKilled: () => killed };
}

export function scriptPlan(dir: string, overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    kind: 'train',
    argv: ['python3', `${dir}/train.py`],
    cwd: dir,
    sourceName: `${dir}/train.py`,
    entryPoint: 'train.py',
    params: { epochs: '5' },
    ...overrides,
  };
}
