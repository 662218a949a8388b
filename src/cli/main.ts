/** Process entry of the `trainyard` command (bin/trainyard.js imports the compiled copy). */
import { runCli } from './index.js';

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
});
process.exitCode = code;
