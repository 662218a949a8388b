/** Free MASTER_PORT picking: probe 127.0.0.1 and never hand the same port to two live runs. */
import net from 'node:net';

function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port that is free now and not in `taken` (ports of live runs, which may not have bound theirs yet). */
export async function freePort(taken: Iterable<number>, from = 29500, to = 29999): Promise<number> {
  const busy = new Set(taken);
  const span = to - from + 1;
  // Start at a random point so parallel engines (tests) rarely race for the same port.
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    if (busy.has(port)) continue;
    if (await probe(port)) return port;
  }
  throw new Error(`No free port between ${from} and ${to} for MASTER_PORT.`);
}
