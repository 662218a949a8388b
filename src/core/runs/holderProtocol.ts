/** Wire format between the engine and a run's holder: length-prefixed frames over the holder's Unix socket. */
// Mirrors holder/holder.mjs (kept in plain JS so it runs under bare node); change both together.

export type HolderFrame =
  | { type: 'hello'; offset: number; holderPid: number; trainerPid: number }
  | { type: 'data'; offset: number; bytes: Buffer }
  | { type: 'exit'; exitCode: number; signal: string | null; endedAt: number };

export function encodeFrame(type: 'I' | 'R', payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type.charCodeAt(0), 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** Incremental decoder: feed socket chunks, get whole frames (a frame may span many chunks). */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): HolderFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: HolderFrame[] = [];
    while (this.pending.length >= 5) {
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) break;
      const type = String.fromCharCode(this.pending[0]!);
      const body = this.pending.subarray(5, 5 + len);
      this.pending = this.pending.subarray(5 + len);
      if (type === 'D') {
        const offset = body.readUInt32BE(0) * 0x100000000 + body.readUInt32BE(4);
        // Copy: the slice would otherwise pin the whole concatenated buffer.
        out.push({ type: 'data', offset, bytes: Buffer.from(body.subarray(8)) });
      } else if (type === 'H') {
        out.push({ type: 'hello', ...(JSON.parse(body.toString('utf8')) as { offset: number; holderPid: number; trainerPid: number }) });
      } else if (type === 'X') {
        out.push({ type: 'exit', ...(JSON.parse(body.toString('utf8')) as { exitCode: number; signal: string | null; endedAt: number }) });
      }
    }
    return out;
  }
}
