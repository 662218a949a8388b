/** The Runs view: the run list at #/runs, one run's page at #/runs/<id>; keeps the runs store in sync while shown. */
import { useEffect } from 'react';
import { startRunsSync } from '../../stores/runs.js';
import { useUi } from '../../stores/ui.js';
import { RunList } from './RunList.js';
import { RunPage } from './RunPage.js';
import './runs.css';

export function RunsView(): React.JSX.Element {
  const param = useUi((s) => s.route.param);
  useEffect(() => startRunsSync(), []);
  return <div className="runs-view" data-testid="runs-view">{param ? <RunPage key={param} runId={param} /> : <RunList />}</div>;
}
