/** Baseline of the log benchmark: the same writer under a bare node-pty, every byte appended to a file (the least a logger can do). */
// usage: node barePty.mjs <out file> <command> [args…]
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const [, , outFile, cmd, ...args] = process.argv;
const fd = fs.openSync(outFile, 'w');
const term = pty.spawn(cmd, args, { name: 'xterm-256color', cols: 120, rows: 32, cwd: process.cwd(), env: process.env, encoding: null });
term.onData((chunk) => fs.writeSync(fd, chunk));
term.onExit(() => {
  // node-pty hands over what is still in the pty buffer before its 'exit' settles: wait for reads to stop.
  setTimeout(() => {
    fs.closeSync(fd);
    process.exit(0);
  }, 300);
});
