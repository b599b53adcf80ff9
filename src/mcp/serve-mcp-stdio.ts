import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Services } from '../compose.js';
import { createMcpServer } from './create-mcp-server.js';

/**
 * Serves the MCP tools over stdio until the client closes stdin (or a signal arrives). Stdout carries
 * protocol messages only; logs go to stderr through the services' logger.
 */
export async function serveMcpStdio(
  s: Services,
  io: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<void> {
  const server = createMcpServer(s, 'mcp:stdio');
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  const stop = () => void server.close();
  io.stdin.once('end', stop);
  io.stdin.once('close', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await server.connect(transport);
  s.logger.info('mcp: serving on stdio');
  try {
    await closed;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
