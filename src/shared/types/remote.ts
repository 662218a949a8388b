/** Remote engines: other machines' `trainyard serve` this engine connects to; their lanes join this board as `<box>/<lane>`. */
import type { Message } from '../messages/message.js';
import type { GpuInfo } from './gpu.js';
import type { Run } from './run.js';
import type { Lane, QueueItem } from './task.js';

/** connecting: first attempt; reachable: connected and answering; unreachable: down or not answering (retried); unauthorized: the token was refused (retried slowly). */
export type RemoteState = 'connecting' | 'reachable' | 'unreachable' | 'unauthorized';

/** A remote engine's queue item as this board shows it: ids and lane prefixed with the box, the task's name beside it. */
export interface RemoteQueueItem extends QueueItem {
  taskName: string;
}

/** A remote engine as Settings and the board show it. The token is never sent back, only whether one is stored. */
export interface RemoteBox {
  id: string;
  /** Lanes, queue items and runs of this box are named `<name>/…`. */
  name: string;
  url: string;
  hasToken: boolean;
  state: RemoteState;
  lastError: Message | null;
  /** The last time the box answered anything (ms); null when it never has. */
  lastSeen: number | null;
  /** Its lanes (ids `<name>/<lane>`), queue and cards as last seen: kept while unreachable (its runs go on there). */
  lanes: Lane[];
  queue: RemoteQueueItem[];
  gpus: GpuInfo[];
}

/** A run of a remote engine in this engine's runs list: id `<box>/<id>`, its box named. */
export type RemoteRun = Run & { box: string; boxState: RemoteState };
