/**
 * A run fingerprint: a 64-bit hash (two independent 32-bit multiply-xorshift lanes)
 * folded over every processed model event's (time, handler). Two runs with the same
 * fingerprint processed the same events at the same simulated times in the same order.
 * Metric bookkeeping events are not folded, so changing the report's window size does
 * not change the fingerprint.
 */
export class Fingerprint {
  h1 = 0x811c9dc5 | 0;
  h2 = 0x6a09e667 | 0;

  /** Folds one event. `time` is an integer < 2^53; `handler` a 32-bit integer. */
  add(time: number, handler: number): void {
    const lo = time | 0; // low 32 bits (time < 2^53 is an exact integer)
    const hi = (time / 4294967296) | 0;
    let a = this.h1 ^ lo;
    a = Math.imul(a, 0x01000193);
    a ^= handler;
    a = Math.imul(a, 0x01000193);
    this.h1 = a ^ (a >>> 13);
    let b = this.h2 ^ handler;
    b = Math.imul(b, 0x5bd1e995);
    b ^= lo ^ (hi << 7);
    b = Math.imul(b, 0x5bd1e995);
    this.h2 = b ^ (b >>> 15);
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}
