import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Services } from '../compose.js';
import { errorMessage } from '../core/errors.js';
import { createMcpServer } from './create-mcp-server.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when the request carries `Authorization: Bearer <token>`; compared in constant time. */
export function hasBearer(req: IncomingMessage, expected: Buffer): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  // Hashing first makes both sides the same length, so the comparison time says nothing about the token.
  return timingSafeEqual(digest(m?.[1] ?? ''), expected) && !!m;
}

function reject(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
}

/**
 * The MCP tools over Streamable HTTP (stateless: a server per request, JSON responses), for `/mcp` on
 * the service's HTTP listener. Every request needs the bearer token; without it, 401 and nothing runs.
 */
export function createMcpHttpHandler(s: Services, token: string) {
  const expected = digest(token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hasBearer(req, expected)) {
      s.metrics.mcpRequests.inc({ outcome: 'unauthorized' });
      return reject(res, 401, 'Unauthorized: send Authorization: Bearer <MCP_TOKEN>', {
        'www-authenticate': 'Bearer realm="ai-news"',
      });
    }
    const server = createMcpServer(s, 'mcp:http');
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
      s.metrics.mcpRequests.inc({ outcome: 'ok' });
    } catch (err) {
      s.metrics.mcpRequests.inc({ outcome: 'error' });
      s.logger.error('mcp: request failed', { error: errorMessage(err) });
      if (!res.headersSent) reject(res, 500, 'Internal error');
    }
  };
}
