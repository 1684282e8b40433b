/** The run's timeline: faults, health changes and stops, in simulated time. */
import { editorStore } from '../store/editor.ts';
import { useRun } from '../store/run.ts';

export function Timeline() {
  const timeline = useRun((s) => s.timeline);
  if (!timeline.length) return <p className="dock-empty">Faults, health changes and stops appear here as the run meets them.</p>;
  return (
    <div className="dock-pad">
      <table className="table timeline">
        <thead>
          <tr>
            <th>time</th>
            <th className="l">kind</th>
            <th className="l">what</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((t, i) => (
            <tr key={i}>
              <td className="mono">{t.atSeconds.toFixed(3)}s</td>
              <td className="l">{t.kind}</td>
              <td className="l">
                {t.node ? (
                  <button type="button" className="link-btn" onClick={() => editorStore.getState().setFocus(t.node!)}>
                    {t.text}
                  </button>
                ) : (
                  t.text
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
