// node pair.mjs A.mjs B.mjs MODEL SECONDS: one paired measurement in one process. Both
// engines are warmed up on a throwaway run, then two simulations of MODEL advance in
// alternation, 25 simulated seconds at a time (so both see the same machine), and each
// slice after the first 300 s gives one ratio of B's time per request to A's.
// Prints one JSON line.
const [a, b, model, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const SLICE = 25;
const WARM = 300;
const [MA, MB] = [await import(a), await import(b)];
for (const M of [MA, MB]) M.makeSim(model, WARM).run(WARM);
const A = MA.makeSim(model, seconds);
const B = MB.makeSim(model, seconds);
const ratios = [];
const ns = [[], []];
for (let t = SLICE, k = 0; t <= seconds; t += SLICE, k++) {
  const order = k % 2 === 0 ? [0, 1] : [1, 0];
  const per = [0, 0];
  for (const i of order) {
    const S = i === 0 ? A : B;
    const n0 = S.sent();
    const t0 = performance.now();
    S.run(t);
    per[i] = ((performance.now() - t0) * 1e6) / Math.max(1, S.sent() - n0);
  }
  if (t > WARM) {
    ratios.push(per[1] / per[0]);
    ns[0].push(per[0]);
    ns[1].push(per[1]);
  }
}
const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
console.log(JSON.stringify({ ratio: median(ratios), nsA: median(ns[0]), nsB: median(ns[1]), same: A.fingerprint() === B.fingerprint() }));
