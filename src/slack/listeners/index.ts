import type { App } from '@slack/bolt';
import type { SlackDeps } from '../slack-deps.js';
import { registerActionListeners } from './action-listeners.js';
import { registerAssistant } from './assistant-listener.js';
import { registerCommandListener } from './command-listener.js';
import { registerEventListeners } from './event-listeners.js';
import { registerInstallListeners } from './install-listeners.js';
import { registerViewListeners } from './view-listeners.js';

/** Registers every listener the manifest declares. */
export function registerListeners(app: App, deps: SlackDeps): void {
  registerCommandListener(app, deps);
  registerActionListeners(app, deps);
  registerViewListeners(app, deps);
  registerEventListeners(app, deps);
  registerAssistant(app, deps);
  registerInstallListeners(app, deps);
}
