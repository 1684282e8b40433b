/**
 * An edge on the canvas: a curve with an arrow; while a run is on, its width follows its
 * request rate, it turns to the failure colour where failed answers flow back, it is
 * dashed while partitioned, and sampled dots travel along it (see particles.ts).
 */
import { memo, useEffect, useRef } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { animator, failureShare } from './particles.ts';
import { compact, liveEdge } from './live.ts';
import { useRun } from '../store/run.ts';

export interface TrafficEdgeData extends Record<string, unknown> {
  problems: string[];
}

export type TrafficFlowEdge = Edge<TrafficEdgeData, 'traffic'>;

function TrafficEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, data, markerEnd }: EdgeProps<TrafficFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const live = useRun((s) => (s.status === 'idle' || s.status === 'invalid' ? undefined : liveEdge(s.snapshot, id)));
  const pathRef = useRef<SVGPathElement>(null);
  const layerRef = useRef<SVGGElement>(null);

  useEffect(() => {
    if (pathRef.current && layerRef.current) animator.attach(id, pathRef.current, layerRef.current);
    return () => animator.detach(id);
  }, [id, path]);

  const share = failureShare(live);
  const failing = share > 0.001;
  const width = live ? 2 + Math.min(5, Math.log10(1 + live.sentPerSec)) : 2;
  const cls = ['tedge', selected ? 'selected' : '', failing ? 'failing' : '', live?.partitioned ? 'partitioned' : '', data?.problems.length ? 'has-problems' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={cls} style={{ strokeWidth: width }} interactionWidth={18} />
      <path ref={pathRef} d={path} fill="none" stroke="none" />
      <g ref={layerRef} className="dots" />
      {(live || data?.problems.length) && (
        <EdgeLabelRenderer>
          <div className={`edge-label${failing ? ' failing' : ''}`} style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }} data-testid={`edge-label-${id}`}>
            {data?.problems.length ? <span title={data.problems.join('\n')}>⚠ </span> : null}
            {live && (live.partitioned ? 'partitioned' : `${compact(live.sentPerSec)}/s`)}
            {live && failing && <span className="edge-fail"> ✕ {compact(live.failedPerSec)}/s</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const TrafficEdge = memo(TrafficEdgeView);
