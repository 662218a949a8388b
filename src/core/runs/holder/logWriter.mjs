/** console.log appends for the run holder that never throw: on a full disk the output is dropped and counted, not fatal. */
// Plain ESM JavaScript like holder.mjs (which imports it; the node build copies every .mjs beside the compiled code).
// It must not import engine code.
import fs from 'node:fs';

/**
 * Appends to `fd` with `write` (fs.writeSync's signature; tests inject a failing one). A failed write (ENOSPC, EIO…)
 * drops the rest of that chunk and counts it; each later append tries again, and the first one that succeeds is
 * preceded by a one-line notice of how much was lost. `append` returns that notice (already in the file) so the
 * holder can show it to live viewers too, else null.
 */
export function createLogWriter(fd, write = fs.writeSync) {
  let dropped = 0;
  let unreported = 0;
  let lastError = '';
  let written = 0;

  /** Writes all of buf; on failure counts what did not make it and returns false. */
  const writeAll = (buf) => {
    let done = 0;
    try {
      while (done < buf.length) {
        const n = write(fd, buf, done, buf.length - done);
        if (!(n > 0)) throw new Error('write returned 0');
        done += n;
      }
      written += done;
      return true;
    } catch (e) {
      written += done;
      const lost = buf.length - done;
      dropped += lost;
      unreported += lost;
      lastError = e && e.code ? e.code : e && e.message ? e.message : String(e);
      return false;
    }
  };

  /** Writes the pending notice, if any; returns it, or null (none pending, or it did not fit either). */
  const flushNotice = () => {
    if (unreported === 0) return null;
    const notice = Buffer.from(`\r\n[trainyard] ${unreported} bytes of output could not be written to console.log (${lastError}); they are missing above.\r\n`);
    let done = 0;
    try {
      while (done < notice.length) {
        const n = write(fd, notice, done, notice.length - done);
        if (!(n > 0)) throw new Error('write returned 0');
        done += n;
      }
    } catch {
      written += done;
      return null;
    }
    written += done;
    unreported = 0;
    return notice;
  };

  return {
    /** Bytes that never reached the file (so far). */
    get droppedBytes() {
      return dropped;
    },
    /** Bytes this writer put in the file (trainer output and notices). */
    get writtenBytes() {
      return written;
    },
    append(buf) {
      const notice = flushNotice();
      if (unreported > 0) {
        // The notice still does not fit: no point trying the chunk, it is dropped too.
        dropped += buf.length;
        unreported += buf.length;
        return null;
      }
      writeAll(buf);
      return notice;
    },
    /** At the end: one last try at the notice (so the file says what it lacks). */
    finish() {
      return flushNotice();
    },
  };
}
