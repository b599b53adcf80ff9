import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { hasCommand, runCommand } from '../commands/run-command.js';
import type { Services } from '../compose.js';
import { MCP_TOOLS } from './mcp-tools.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

/**
 * An MCP server offering the read commands of the /ai-news grammar as tools: each runs the command
 * core (as a non-admin, with no sink, so nothing can change or be posted) and returns the command's
 * JSON as structured content and its text as the text rendering. `actorId` names the caller for
 * per-user limits (questions per hour): one for stdio, one for HTTP.
 */
export function createMcpServer(s: Services, actorId = 'mcp'): McpServer {
  const server = new McpServer(
    { name: 'ai-news', version: version() },
    {
      instructions:
        'Read-only access to an archive of AI model ecosystem news: search, grounded answers with citations, model releases, coverage trends, recent stories and digest previews.',
    },
  );
  for (const tool of MCP_TOOLS.filter((t) => hasCommand(t.command))) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => {
        const reply = await runCommand(
          {
            services: s,
            actor: { id: actorId, isAdmin: async () => false },
            channelId: tool.channel?.(args),
            surface: 'mcp',
          },
          tool.words(args),
        );
        if (reply.exitCode) return { content: [{ type: 'text' as const, text: reply.text }], isError: true };
        return {
          content: [{ type: 'text' as const, text: reply.text }],
          structuredContent: (reply.json ?? {}) as Record<string, unknown>,
        };
      },
    );
  }
  return server;
}
