/**
 * Feeds the dot animator from the run store: on every snapshot, the pace of the run
 * (simulated seconds per wall second, measured between snapshots and smoothed) and each
 * edge's current rate give the dot rates; a paused or finished run stops new dots.
 */
import { useEffect } from 'react';
import { animator, dotRates, MAX_DOTS_PER_SEC } from './particles.ts';
import { editorStore } from '../store/editor.ts';
import { runStore } from '../store/run.ts';

export function useTrafficDots(): void {
  useEffect(() => {
    let lastSim = -1;
    let lastWall = 0;
    let pace = 0;
    const unsub = runStore.subscribe((s, prev) => {
      if (s.status !== 'running') {
        if (prev.status === 'running' || s.status === 'idle') animator.setRates(new Map());
        if (s.status === 'idle') animator.clear();
        lastSim = -1;
        return;
      }
      const snap = s.snapshot;
      if (!snap || snap === prev.snapshot) return;
      const wall = performance.now();
      if (lastSim >= 0 && wall > lastWall && snap.now >= lastSim) {
        const measured = (snap.now - lastSim) / 1e6 / ((wall - lastWall) / 1000);
        pace = pace === 0 ? measured : pace * 0.7 + measured * 0.3;
      }
      lastSim = snap.now;
      lastWall = wall;
      const max = editorStore.getState().prefs.speed === 'max';
      animator.setFrameMs(max ? 50 : 33);
      animator.setRates(dotRates(snap.edges, pace, max ? MAX_DOTS_PER_SEC / 2 : MAX_DOTS_PER_SEC));
    });
    return () => {
      unsub();
      animator.setRates(new Map());
    };
  }, []);
}
