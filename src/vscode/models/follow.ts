import type { RunStore, StoreChange } from '../../core/store/store';

/** What followStore needs of the tracking service. */
export interface StoreEvents {
  readonly runStore: RunStore | undefined;
  readonly onDidChange: (listener: () => void) => { dispose(): void };
}

/**
 * Calls `schedule` on every store change of the given kinds, and when the store itself changes
 * (opened, shared, failed): re-subscribing then, since a reopened store is a new object.
 */
export function followStore(
  tracking: StoreEvents,
  kinds: Array<StoreChange['kind']>,
  schedule: () => void,
): { dispose(): void } {
  let subscription: { dispose(): void } | undefined;
  const attach = () => {
    subscription?.dispose();
    subscription = tracking.runStore?.onChange((change) => {
      if (kinds.includes(change.kind)) schedule();
    });
  };
  const listening = tracking.onDidChange(() => {
    attach();
    schedule();
  });
  attach();
  return {
    dispose: () => {
      listening.dispose();
      subscription?.dispose();
    },
  };
}
