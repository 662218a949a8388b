/** `trainyard serve`: the engine and UI over http://127.0.0.1, with a token URL printed Jupyter-style (the token in the fragment). */
import { resolve } from 'node:path';
import { defaultDataDir } from '../../core/paths.js';
import { TOKEN_PATTERN } from '../../server/security.js';
import { startServer } from '../../server/serve.js';
import { parseArgs, UsageError, type Command } from '../args.js';
import { cliRuntime } from '../locations.js';
import { readTokenFile } from '../tokenFile.js';

const DEFAULT_PORT = 7433;

export const serveCommand: Command = {
  summary: 'Serve the UI and engine.',
  help: `Usage: trainyard serve [--port N] [--host H] [--data-dir D] [--token-file F]

Serves the Trainyard UI and engine on http://127.0.0.1:<port>/ and prints the URL with its access token.

Options:
  --port N         Port to listen on (default ${DEFAULT_PORT}; the next free one if it is taken).
  --host H         Interface to listen on. Default 127.0.0.1 (this machine only). Anything else exposes an
                   engine that can start processes to your network: prefer an SSH tunnel, e.g.
                     ssh -L ${DEFAULT_PORT}:127.0.0.1:${DEFAULT_PORT} you@gpu-box   then open the printed URL locally.
  --data-dir D     Where the database, run logs and outputs live (default: $TRAINYARD_DATA_DIR or the
                   platform's app-data folder).
  --token-file F   Read a fixed access token (16–200 letters, digits, - or _) from file F instead of making a
                   random one. The environment variable TRAINYARD_TOKEN does the same. A token is never taken
                   on the command line: every user of this machine can read command lines (ps).
  --help           Show this help.
`,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, {
      port: { type: 'number' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'token-file': { type: 'string' },
      token: { type: 'string' },
    });
    if (positional.length) throw new UsageError(`Unexpected argument "${positional[0]}".`);
    if (flags.token !== undefined) {
      throw new UsageError('--token is not accepted: every user of this machine can read command lines. Use --token-file F or TRAINYARD_TOKEN.');
    }
    const port = flags.port as number | undefined;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be 0–65535.');
    const host = (flags.host as string | undefined) ?? '127.0.0.1';
    const tokenFile = flags['token-file'] as string | undefined;
    const token = tokenFile !== undefined ? readTokenFile(resolve(tokenFile), io) : io.env.TRAINYARD_TOKEN;
    if (token !== undefined && !TOKEN_PATTERN.test(token)) {
      throw new UsageError(`The token ${tokenFile ? `in ${tokenFile}` : 'in TRAINYARD_TOKEN'} must be 16–200 letters, digits, - or _.`);
    }
    // The engine hands its environment to holders, trainers and inference servers: none of them may inherit the token.
    const env = { ...io.env };
    delete env.TRAINYARD_TOKEN;
    delete process.env.TRAINYARD_TOKEN;
    const dataDir = flags['data-dir'] ? resolve(flags['data-dir'] as string) : defaultDataDir(io.env);
    if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
      io.err(
        `WARNING: listening on ${host}. Anyone who can reach this address and has the token can start processes as you.\n` +
          '         Prefer the default (127.0.0.1) and an SSH tunnel.\n',
      );
    }
    const runtime = cliRuntime(io.env);
    const server = await startServer({
      port: port ?? DEFAULT_PORT,
      portFallback: port === undefined,
      host: host === 'localhost' ? '127.0.0.1' : host,
      dataDir,
      staticDir: runtime.rendererDir,
      runtime,
      token,
      env,
    });
    io.out(`Trainyard is running (data: ${dataDir}).\nOpen: ${server.url}\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        io.out('Stopping Trainyard (runs keep going; they are adopted at the next start).\n');
        void server.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
