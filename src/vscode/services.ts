import type * as vscode from 'vscode';
import type { TrackingService } from './tracking';

/** What features get: the extension context and the tracking service that owns the store. */
export interface Services {
  context: vscode.ExtensionContext;
  tracking: TrackingService;
}

export type Handler = (...args: unknown[]) => unknown;
