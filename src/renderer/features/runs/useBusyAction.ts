/** Runs one user action at a time: disables its buttons while it runs and turns an error into a toast under `errKey`. */
import { useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { localToast } from '../../stores/toasts.js';

export function useBusyAction(): { busy: boolean; act: (errKey: MessageKey, what: () => Promise<unknown>) => Promise<void> } {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const act = async (errKey: MessageKey, what: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await what();
    } catch (e) {
      localToast('error', t(errKey), errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, act };
}
