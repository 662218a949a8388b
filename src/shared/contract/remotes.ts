/** Contract of remote engines: list, add, remove and test the boxes this engine federates; their states as a topic. */
import { z } from 'zod';
import { BOX_NAME_RE } from '../domain/lanes.js';
import { method, topic } from '../rpc/define.js';
import { TOKEN_PATTERN } from '../auth.js';
import type { RemoteBox } from '../types/remote.js';

/** http(s) only, no user:password in it (the token is the credential, kept apart), no query or fragment. */
export const remoteUrl = z
  .string()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'an http:// or https:// URL without credentials, query or fragment');

export const remoteName = z.string().regex(BOX_NAME_RE, 'lowercase letters, digits and -, at most 32');
const remoteToken = z.string().regex(TOKEN_PATTERN, 'the token serve printed (letters, digits, _ and -)');

export const remoteMethods = {
  'remotes.list': method<RemoteBox[]>()(z.object({}).strict()),
  'remotes.add': method<RemoteBox>()(z.object({ name: remoteName, url: remoteUrl, token: remoteToken }).strict()),
  'remotes.remove': method<null>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  /** Connects once now (dropping a pending retry) and answers with the box's state afterwards. */
  'remotes.test': method<RemoteBox>()(z.object({ id: z.string().min(1).max(100) }).strict()),
};

export const remoteTopics = {
  'remotes.changed': topic<RemoteBox[]>()(z.object({}).strict()),
};
