import './zod';
import {
  HostMessage,
  PanelState,
  type PanelState as State,
  type WebviewMessage,
} from '../../protocol/panels';
import { createChannel } from './channel';

/** The run, compare and version pages' side of src/protocol/panels.ts. */
const channel = createChannel<HostMessage, WebviewMessage, State>(HostMessage, PanelState);

export const { send, listen, report, loadState, saveState } = channel;
