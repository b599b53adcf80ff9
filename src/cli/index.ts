#!/usr/bin/env node
import { tuneHeap } from '../core/tune-heap.js';
import { runCli } from './run-cli.js';

tuneHeap();
process.exitCode = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
