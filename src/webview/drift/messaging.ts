import '../common/zod';
import { DriftHostMessage, DriftPanelState, type DriftWebviewMessage } from '../../protocol/drift';
import { createChannel } from '../common/channel';

/** The drift page's side of src/protocol/drift.ts. */
const channel = createChannel<DriftHostMessage, DriftWebviewMessage, DriftPanelState>(
  DriftHostMessage,
  DriftPanelState,
);

export const { send, listen, report, loadState, saveState } = channel;
