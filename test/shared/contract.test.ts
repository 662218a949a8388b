/** The contract is complete: every method has a handler and every topic a subscription (by type, and at runtime). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createCore } from '../../src/core/createCore.js';
import { methods, topics, type Methods } from '../../src/shared/contract/index.js';
import type { Handlers } from '../../src/shared/rpc/server.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

type Full = Handlers<Methods>;

describe('contract', () => {
  it('is a type error to leave a method without a handler', () => {
    // Checked by `tsc` (npm run typecheck): removing any key from a full handler map must not type-check.
    type WithoutOne = Omit<Full, 'runs.list'>;
    expectTypeOf<WithoutOne>().not.toMatchTypeOf<Full>();
    const partial: Partial<Full> = {};
    // @ts-expect-error — a partial handler map is not a Handlers<Methods>
    const asFull: Full = partial;
    void asFull;
  });

  it('has a handler for every method and a subscription for every topic in the composed core', async () => {
    const core = createCore({ runtime: sourceTreeRuntime(), dataDir: mkdtempSync(join(tmpdir(), 'trainyard-contract-')), host: 'serve' });
    try {
      expect(Object.keys(core.handlers).sort()).toEqual(Object.keys(methods).sort());
      expect(Object.keys(core.subscriptions).sort()).toEqual(Object.keys(topics).sort());
      for (const h of Object.values(core.handlers)) expect(typeof h).toBe('function');
    } finally {
      await core.stop();
    }
  });

  it('validates params of every method with a zod schema', () => {
    for (const [name, def] of Object.entries(methods)) {
      expect(typeof def.params.safeParse, name).toBe('function');
    }
  });
});
