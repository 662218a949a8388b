/** A task's config in CodeMirror: YAML highlighting, completion and hover docs from the key catalogue, issues at their line, a diff against the file on disk, save back. Lazy-loaded: the board's first paint does not carry it. */
import { autocompletion } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter } from '@codemirror/lint';
import { unifiedMergeView } from '@codemirror/merge';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, hoverTooltip } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef, useState } from 'react';
import type { EditorKey, TaskSource } from '../../../shared/contract/tasks.js';
import type { Task } from '../../../shared/types/task.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useSay, useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import { reloadTasks } from '../board/actions.js';
import { Dialog } from '../board/Dialog.js';
import { completeKeys, issuesToDiagnostics, keyAt } from './yamlAssist.js';
import './editor.css';

export function ConfigEditor({ task, onClose }: { task: Task; onClose(): void }): React.JSX.Element {
  const t = useT();
  // The linter is built once per task; it words issues in the language shown when it runs.
  const say = useSay();
  const sayNow = useRef(say);
  sayNow.current = say;
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const diffSlot = useRef(new Compartment());
  const [source, setSource] = useState<TaskSource | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** A conflict is kept as such and worded at render (in the language shown now); other refusals carry the engine's text. */
  const [saveError, setSaveError] = useState<{ conflict: true } | { text: string } | null>(null);
  const [showDiff, setShowDiff] = useState(false);
  const [busy, setBusy] = useState(false);
  const [counts, setCounts] = useState({ errors: 0, warnings: 0 });

  // The file as it is on disk now: the diff's left side and the hash a save must still match.
  useEffect(() => {
    if (!task.sourcePath) return;
    useTasks.getState().source(task.id).then(setSource, (e) => setLoadError(errorMessage(e)));
  }, [task.id, task.sourcePath]);

  useEffect(() => {
    let keys: EditorKey[] = [];
    const byKey = new Map<string, EditorKey>();
    void useTasks.getState().keys().then((k) => {
      keys = k;
      for (const x of k) byKey.set(x.key, x);
    });
    const hover = hoverTooltip((v, pos) => {
      const at = keyAt(v.state.doc, pos);
      const k = at ? byKey.get(at.key) : undefined;
      if (!at || !k) return null;
      return {
        pos: at.from,
        end: at.to,
        above: true,
        create: () => {
          const dom = document.createElement('div');
          dom.className = 'cm-key-doc';
          dom.setAttribute('data-testid', 'editor-hover');
          const head = document.createElement('b');
          head.textContent = k.key;
          const meta = document.createElement('div');
          meta.className = 'muted';
          meta.textContent = [t('editor.hover.type', { type: k.type }), ...(k.default !== undefined ? [t('editor.hover.default', { value: JSON.stringify(k.default) })] : [])].join(' · ');
          const help = document.createElement('div');
          help.textContent = k.help ?? '';
          dom.append(head, meta, help);
          return { dom };
        },
      };
    });
    const lint = linter(
      async (v) => {
        const issues = await useTasks.getState().validateText(v.state.doc.toString(), task.id);
        setCounts({ errors: issues.filter((i) => i.severity === 'error').length, warnings: issues.filter((i) => i.severity === 'warning').length });
        return issuesToDiagnostics(v.state.doc, issues, (m) => sayNow.current(m));
      },
      { delay: 400 },
    );
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: task.yaml,
        extensions: [basicSetup, yaml(), autocompletion({ override: [(ctx) => completeKeys(keys)(ctx)] }), hover, lint, lintGutter(), diffSlot.current.of([]), EditorView.lineWrapping],
      }),
    });
    view.current = v;
    v.focus();
    return () => {
      v.destroy();
      view.current = null;
    };
    // Built once per task (task.id): later task updates must not overwrite what the user is typing.
  }, [task.id]);

  useEffect(() => {
    view.current?.dispatch({ effects: diffSlot.current.reconfigure(showDiff && source ? unifiedMergeView({ original: source.text, mergeControls: false }) : []) });
  }, [showDiff, source]);

  const save = async () => {
    const v = view.current;
    if (!v || busy) return;
    const text = v.state.doc.toString();
    setBusy(true);
    setSaveError(null);
    try {
      if (task.sourcePath && source) {
        const r = await useTasks.getState().saveSource(task.id, text, source.hash);
        setSource(r.source);
        localToast('success', t('editor.saved', { path: r.source.path }));
      } else {
        await useTasks.getState().updateYaml(task.id, text);
        localToast('success', t('editor.savedTask', { name: task.name }));
      }
      reloadTasks();
    } catch (e) {
      // A conflict is the one refusal the user must act on: kept as such, worded at render in the language shown.
      setSaveError((e as { code?: unknown }).code === 'conflict' ? { conflict: true } : { text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('editor.title', { name: task.name })}
      onClose={onClose}
      testId="config-editor"
      wide
      footer={
        <>
          <span className="muted small" data-testid="editor-counts">
            {t('editor.issues', counts)}
          </span>
          <span className="spacer" />
          {source && (
            <label className="small">
              <input type="checkbox" checked={showDiff} data-testid="editor-diff" onChange={(e) => setShowDiff(e.target.checked)} /> {t('editor.diff')}
            </label>
          )}
          <button type="button" className="button" onClick={onClose}>
            {t('common.close')}
          </button>
          <button type="button" className="button primary" aria-disabled={busy} data-testid="editor-save" onClick={() => void save()}>
            {task.sourcePath ? t('editor.save') : t('editor.saveTask')}
          </button>
        </>
      }
    >
      <p className="muted small mono">{task.sourcePath ? t('editor.file', { path: task.sourcePath }) : t('editor.noFile')}</p>
      {loadError && (
        <div className="field-error" role="alert">
          {t('editor.err.load')}: {loadError}
        </div>
      )}
      <div className="config-editor-host" ref={host} data-testid="editor-host" />
      {saveError && (
        <div className="field-error" role="alert" data-testid="editor-error">
          {t('editor.err.save')}: {'conflict' in saveError ? t('editor.err.conflict', { file: task.sourcePath?.split(/[\\/]/).pop() ?? '' }) : saveError.text}
        </div>
      )}
    </Dialog>
  );
}
