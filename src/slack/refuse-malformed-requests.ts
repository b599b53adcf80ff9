import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type BufferedIncomingMessage, HTTPModuleFunctions, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../core/logger.js';

/** True when Bolt's own parser reads the body as an object, the only shape its dispatcher can route. */
function isObjectBody(req: BufferedIncomingMessage): boolean {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req);
    return typeof body === 'object' && body !== null && !Array.isArray(body);
  } catch {
    return false;
  }
}

function isSigned(req: IncomingMessage, raw: string, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: raw,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

/**
 * Wraps Bolt's request listener so a correctly signed request whose body is not a JSON object
 * (`payload=null`, `payload=[]`, invalid JSON) gets HTTP 400. Bolt 5.1 would dereference such a body
 * outside its error handling and take the process down. Unsigned requests go on to Bolt, which answers
 * 401 as before; the buffered body is reused by Bolt, not read twice.
 */
export function refuseMalformedRequests(
  listener: RequestListener,
  o: { signingSecret: string; logger: Logger; endpoint?: string },
): RequestListener {
  const endpoint = o.endpoint ?? '/slack/events';
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== endpoint) return listener(req, res);
    HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit).then(
      (buffered) => {
        if (isObjectBody(buffered) || !isSigned(req, buffered.rawBody.toString(), o.signingSecret))
          return listener(buffered, res);
        o.logger.warn('slack: refused a signed request whose body is not a JSON object', {
          contentType: req.headers['content-type'],
        });
        res.writeHead(400).end();
      },
      (err: unknown) => {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && (err as { statusCode: number }).statusCode === 413;
        res.writeHead(tooLarge ? 413 : 400).end();
      },
    );
  };
}
