/** What the engine says in toasts and about its own state. */
export const system = {
  'toast.runFinished': '{run} finished',
  'toast.runFinishedLoss': 'Final loss {loss}',
  'toast.runFinishedBody': 'The run finished.',
  'toast.runFailed': '{run} failed: {kind}',
  'toast.runStopped': '{run} stopped',
  'toast.runStoppedBody': 'The run was stopped.',
  'toast.webhookRefused': 'Webhook refused the message',
  'toast.webhookRefusedBody': '{url} answered {status} for run "{run}".',
  'toast.webhookUnreachable': 'Webhook not reached',
  'toast.webhookUnreachableBody': '{url}: {error} (run "{run}").',
} as const;
