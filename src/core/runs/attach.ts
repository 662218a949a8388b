/** One live connection from the engine to a run's holder: ordered bytes (gaps filled from console.log), exit and close. */
import { connectHolder, type ExitInfo, type HolderConnection, runFiles } from './holderProcess.js';
import { readRange } from './logFile.js';

export interface AttachEvents {
  /** Bytes in log order, each exactly once, starting at the attach offset. */
  bytes(chunk: Buffer): void;
  exit(exit: ExitInfo): void;
  /** The connection closed without an exit frame. */
  closed(): void;
}

export class HolderLink {
  /** console.log bytes delivered to `bytes` so far (end offset). */
  logEnd = 0;
  private conn: HolderConnection | null = null;
  private done = false;

  private constructor(
    private runDir: string,
    private events: AttachEvents,
  ) {}

  static async open(runDir: string, socketPath: string, events: AttachEvents): Promise<HolderLink> {
    const link = new HolderLink(runDir, events);
    link.conn = await connectHolder(socketPath, {
      onData: (offset, bytes) => link.data(offset, bytes),
      onExit: (exit) => {
        link.done = true;
        events.exit(exit);
      },
      onClose: () => {
        if (!link.done) events.closed();
      },
    });
    link.logEnd = link.conn.helloOffset;
    return link;
  }

  get trainerPid(): number {
    return this.conn?.trainerPid ?? 0;
  }

  private data(offset: number, bytes: Buffer): void {
    if (offset > this.logEnd) {
      // The holder skipped frames while we were slow (its per-client cap): the file has them.
      this.events.bytes(readRange(runFiles(this.runDir).console, this.logEnd, offset));
      this.logEnd = offset;
    }
    const skip = this.logEnd - offset;
    if (skip >= bytes.length) return;
    const fresh = skip > 0 ? bytes.subarray(skip) : bytes;
    this.logEnd += fresh.length;
    this.events.bytes(fresh);
  }

  input(data: string): void {
    this.conn?.input(data);
  }

  resize(cols: number, rows: number): void {
    this.conn?.resize(cols, rows);
  }

  close(): void {
    this.done = true;
    this.conn?.close();
  }
}
