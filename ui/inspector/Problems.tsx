/** A list of validation issues ("path: message"); each one selects what it is about. */
import type { ScenarioIssue } from '../sim/client.ts';
import { revealIssue } from '../chrome/commands.ts';

export function Problems({ issues, tone = 'error', testId }: { issues: ScenarioIssue[]; tone?: 'error' | 'warning'; testId?: string }) {
  if (!issues.length) return null;
  return (
    <ul className={`problems ${tone}`} data-testid={testId}>
      {issues.map((i, k) => (
        <li key={k}>
          <button type="button" className="problem" onClick={() => revealIssue(i.path)} title="show where">
            <code>{i.path}</code> {i.message}
          </button>
        </li>
      ))}
    </ul>
  );
}
