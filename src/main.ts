#!/usr/bin/env node
import { runCli } from './cli/cli.js';

/**
 * The `hush` command (package.json `bin`). Without arguments it serves, as `npm start` runs it;
 * the commands and their exit codes are in src/cli/cli.ts.
 */
runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hush: unexpected error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
