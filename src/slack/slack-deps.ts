import type { WebClient } from '@slack/web-api';
import type { Services } from '../compose.js';
import type { DigestSink } from '../digest/digest-sink.js';

/** What listeners need: the services, the admin check, the digest sink. */
export interface SlackDeps {
  services: Services;
  isAdmin: (teamId: string | undefined, userId: string) => Promise<boolean>;
  sink: DigestSink;
  client: WebClient;
}
