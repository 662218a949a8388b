/** Chat domain: inference servers for runs and streaming conversations (first version: empty; the chat issue fills it). */
import type { chatMethods, chatTopics } from '../../shared/contract/chat.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';

export function createChatDomain(
  ctx: CoreContext,
  deps: { runs: RunSupervisor; gpus: GpuMonitor },
): Domain<typeof chatMethods, typeof chatTopics> {
  void ctx;
  void deps;
  return { handlers: {}, subscriptions: {} };
}
