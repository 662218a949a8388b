/** The Import button: the native file picker in Electron, a multi-file input in a browser. */
import { useRef } from 'react';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { attempt, importGathered } from './actions.js';
import { gatherPicked } from './importFiles.js';

export function ImportButton({ primary = false }: { primary?: boolean }): React.JSX.Element {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const onClick = async () => {
    if (!desktop) return input.current?.click();
    const paths = await attempt('board.err.import', () => desktop!.pickConfigFiles());
    if (paths?.length) await importGathered({ paths, files: [], skipped: [] });
  };
  return (
    <>
      <button type="button" className={`button${primary ? ' primary' : ''}`} data-testid="import-button" onClick={() => void onClick()}>
        {t('board.import.button')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept=".yaml,.yml,.json"
        data-testid="import-input"
        onChange={async (e) => {
          const files = e.currentTarget.files;
          if (files?.length) await importGathered(await gatherPicked(files));
          // Clear it so picking the same file again fires change again.
          if (input.current) input.current.value = '';
        }}
      />
    </>
  );
}
