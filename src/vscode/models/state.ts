import { CoreCommand } from '../ids';
import type { StoreState } from '../tracking';
import { messageNode, type ViewNode } from '../views/node';

/**
 * What a view shows instead of store content when this window cannot read the store: an empty
 * tree would say "no models" when the truth is "not here" or "broken". Undefined when the store
 * is open, or when there is nothing to say (no folder), so the view's welcome content shows.
 */
export function storeStateMessage(state: StoreState, what: string): ViewNode | undefined {
  switch (state) {
    case 'shared':
      return messageNode(
        'storeState:shared',
        'This store is open in another VS Code window',
        `That window owns the run store and shows its ${what}; runs from this window's terminals still log into it. Close that window and reload this one to show them here.`,
      );
    case 'untrusted':
      return {
        ...messageNode(
          'storeState:untrusted',
          `Trust this workspace to show its ${what}`,
          'Model Factory opens the run store only in a trusted workspace.',
        ),
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      };
    case 'failed':
      return {
        ...messageNode(
          'storeState:failed',
          'The run store could not be opened',
          'The log says why. Check the folder that modelFactory.store.path names.',
        ),
        icon: { id: 'error', color: 'errorForeground' },
        command: { command: CoreCommand.showLog, title: 'Show Log' },
      };
    default:
      return undefined;
  }
}
