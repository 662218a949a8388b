/** Why no real GPU is shown (no driver, version mismatch, hung tool …) and what to do about it. */
import type { GpuNotice } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';

export function GpuNoticeBanner({ notice }: { notice: GpuNotice }): React.JSX.Element {
  const t = useT();
  if (notice.kind === 'detecting') return <div className="gpu-notice detecting muted">{t('gpus.detecting')}</div>;
  const soft = notice.kind === 'not-installed' || notice.kind === 'no-devices';
  return (
    <div className={`gpu-notice ${soft ? 'soft' : 'bad'}`} role="status" data-testid="gpu-notice" data-kind={notice.kind}>
      <b>{t('gpus.noticeTitle')}</b> {notice.message}
      <div className="muted">
        {t('gpus.noticeHint')} {notice.hint}
        {notice.tool && <span className="mono"> ({notice.tool})</span>}
      </div>
    </div>
  );
}
