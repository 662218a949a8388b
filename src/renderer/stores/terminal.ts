/** Live run terminals: one `terminal.data` subscription per run however many views show it, acknowledged once per event; input, resize and log search go to the engine from here. */
import { api } from '../api/client.js';
import { createAckBatcher, type AckBatcher } from '../features/runs/ackBatcher.js';
import { followTopic } from './topics.js';

/** What a view hands the store: it writes an event and calls `done` once the bytes are rendered (flow control). */
export interface TerminalSink {
  write(evt: { data: string; replay?: boolean }, done: () => void): void;
}

interface Feed {
  /** Each sink with the `done` callbacks it still owes. */
  sinks: Map<TerminalSink, Set<() => void>>;
  off: () => void;
  acks: AckBatcher;
  /** What arrived since the last replay (capped): a view that joins later starts from it instead of a blank screen. */
  seen: string;
}

/** Enough for a screenful of history and the trainer's progress bars; a late joiner's search uses runs.searchLog anyway. */
const SEEN_CAP = 1_000_000;
const feeds = new Map<string, Feed>();

/** How many runs have a live terminal feed open (tests read it). */
export function openTerminalFeeds(): number {
  return feeds.size;
}

function openFeed(runId: string): Feed {
  const feed: Feed = {
    sinks: new Map(),
    off: () => undefined,
    acks: createAckBatcher((sub, bytes) => void api.call('terminal.ack', { sub, bytes }).catch(() => undefined)),
    seen: '',
  };
  feed.off = followTopic('terminal.data', { id: runId }, (evt, sub) => {
    const n = evt.data.length;
    feed.seen = evt.replay ? evt.data : feed.seen + evt.data;
    if (feed.seen.length > SEEN_CAP) feed.seen = feed.seen.slice(-SEEN_CAP);
    // The engine counts unacknowledged bytes per subscription: ack once every view has rendered them (or left).
    let left = feed.sinks.size;
    if (left === 0) return feed.acks.add(sub, n);
    const finish = () => {
      if (--left === 0) feed.acks.add(sub, n);
    };
    for (const [sink, owed] of feed.sinks) {
      let fired = false;
      const done = () => {
        if (fired) return;
        fired = true;
        owed.delete(done);
        finish();
      };
      owed.add(done);
      sink.write(evt, done);
    }
  });
  return feed;
}

/** Shows a run's terminal in `sink` until the returned function is called; the first view opens the feed, the last closes it. */
export function attachTerminal(runId: string, sink: TerminalSink): () => void {
  let feed = feeds.get(runId);
  const joining = !!feed;
  if (!feed) {
    feed = openFeed(runId);
    feeds.set(runId, feed);
  }
  feed.sinks.set(sink, new Set());
  // A second view of the same run: the engine will not replay for it, so hand it what this feed has seen.
  if (joining && feed.seen) sink.write({ data: feed.seen, replay: true }, () => undefined);
  const held = feed;
  let detached = false;
  return () => {
    if (detached) return;
    detached = true;
    const owed = held.sinks.get(sink);
    held.sinks.delete(sink);
    // A view that goes away mid-write must not hold back the acknowledgement of the others.
    for (const done of [...(owed ?? [])]) done();
    if (held.sinks.size === 0 && feeds.get(runId) === held) {
      feeds.delete(runId);
      held.off();
      held.acks.dispose();
    }
  };
}

/** Keys typed into a live run's terminal. */
export function sendTerminalInput(runId: string, data: string): Promise<void> {
  return api.call('terminal.input', { id: runId, data }).then(() => undefined);
}

/** The view's size in cells, for the pty (errors ignored: the next resize sends it again). */
export function resizeTerminal(runId: string, cols: number, rows: number): void {
  void api.call('terminal.resize', { id: runId, cols, rows }).catch(() => undefined);
}

/** Searches the whole console log on disk (the terminal's scrollback holds only its tail). */
export function searchRunLog(runId: string, query: string, limit = 200): Promise<{ line: number; text: string }[]> {
  return api.call('runs.searchLog', { id: runId, query: query.slice(0, 500), limit });
}
