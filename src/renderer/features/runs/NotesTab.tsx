/** Notes and tags on a run (what was tried, why it is the good one), saved with runs.update. */
import { useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';

// The contract's limits, checked here so the user reads a clear message instead of a schema error.
const MAX_NOTES = 20_000;
const MAX_TAG = 60;
const MAX_TAGS = 30;

export function NotesTab({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const update = useRuns((s) => s.update);
  const [notes, setNotes] = useState(run.notes);
  const [tag, setTag] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'err'; text: string } | null>(null);
  const dirty = notes !== run.notes;

  const save = async (patch: { notes?: string; tags?: string[] }) => {
    try {
      await update(run.id, patch);
      setStatus({ kind: 'ok', text: t('runs.notes.saved') });
    } catch (e) {
      setStatus({ kind: 'err', text: t('runs.notes.saveFailed', { error: errorMessage(e) }) });
    }
  };
  const addTag = () => {
    const v = tag.trim();
    if (!v) return;
    if (v.length > MAX_TAG) return setStatus({ kind: 'err', text: t('runs.tags.tooLong', { max: MAX_TAG }) });
    if (run.tags.includes(v)) return setStatus({ kind: 'err', text: t('runs.tags.duplicate', { tag: v }) });
    if (run.tags.length >= MAX_TAGS) return setStatus({ kind: 'err', text: t('runs.tags.tooMany', { max: MAX_TAGS }) });
    setTag('');
    void save({ tags: [...run.tags, v] });
  };

  return (
    <section className="panel notes-tab" data-testid="run-notes">
      <h2 className="section-title">{t('runs.tags')}</h2>
      <div className="tag-editor">
        {run.tags.map((x) => (
          <span key={x} className="tag" data-testid="run-tag">
            {x}
            <button className="icon-button" aria-label={t('runs.tags.remove', { tag: x })} onClick={() => void save({ tags: run.tags.filter((y) => y !== x) })}>
              ×
            </button>
          </span>
        ))}
        <input
          className="input"
          data-testid="run-tag-input"
          placeholder={t('runs.tags.add')}
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && addTag()}
        />
        <button className="button" onClick={addTag} disabled={!tag.trim()}>
          {t('runs.tags.addButton')}
        </button>
      </div>
      <h2 className="section-title">{t('runs.notes')}</h2>
      <textarea
        className="input notes-input"
        data-testid="run-notes-input"
        value={notes}
        rows={8}
        placeholder={t('runs.notes.placeholder')}
        onChange={(e) => setNotes(e.target.value)}
      />
      <div className="notes-foot">
        <span className={notes.length > MAX_NOTES ? 'error-text' : 'muted'}>
          {notes.length > MAX_NOTES ? t('runs.notes.tooLong', { max: MAX_NOTES }) : `${notes.length} / ${MAX_NOTES}`}
        </span>
        <span className="spacer" />
        {status && <span className={status.kind === 'err' ? 'error-text' : 'muted'} role="status">{status.text}</span>}
        <button className="button" disabled={!dirty} onClick={() => setNotes(run.notes)}>
          {t('common.cancel')}
        </button>
        <button className="button primary" data-testid="run-notes-save" disabled={!dirty || notes.length > MAX_NOTES} onClick={() => void save({ notes })}>
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}
