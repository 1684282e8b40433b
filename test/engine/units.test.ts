import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseRate, parseSize } from '../../engine/core/units.ts';

describe('units', () => {
  it('parseDuration(x) reads numbers as ms and strings with units, to whole µs', () => {
    expect(parseDuration(5)).toBe(5000);
    expect(parseDuration(0.25)).toBe(250);
    expect(parseDuration('250us')).toBe(250);
    expect(parseDuration('250µs')).toBe(250);
    expect(parseDuration('5ms')).toBe(5000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('2s')).toBe(2_000_000);
    expect(parseDuration('1m')).toBe(60_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('1d')).toBe(86_400_000_000);
    expect(parseDuration(' 7 ms ')).toBe(7000);
    expect(parseDuration('0.0004ms')).toBe(0);
  });

  it('parseDuration(x) rejects negatives, non-finite numbers, missing or unknown units', () => {
    for (const bad of [-1, NaN, Infinity, '5', '5 parsecs', '-5ms', '', 'ms', null, {}, '1e999s']) {
      expect(parseDuration(bad)).toBeNull();
    }
  });

  it('parseRate(x) reads per second, per minute and per hour', () => {
    expect(parseRate(100)).toBe(100);
    expect(parseRate('5r/s')).toBe(5);
    expect(parseRate('300r/m')).toBe(5);
    expect(parseRate('3600r/h')).toBe(1);
    expect(parseRate('10/s')).toBe(10);
    expect(parseRate('7')).toBe(7);
    expect(parseRate('-1r/s')).toBeNull();
    expect(parseRate('5r/d')).toBeNull();
  });

  it('parseSize(x) reads bytes with decimal and binary units', () => {
    expect(parseSize(512)).toBe(512);
    expect(parseSize('1KB')).toBe(1000);
    expect(parseSize('1KiB')).toBe(1024);
    expect(parseSize('2MiB')).toBe(2 * 1048576);
    expect(parseSize('3 mb')).toBe(3e6);
    expect(parseSize('1PB')).toBeNull();
  });

  it('formatDuration(us) is compact and readable', () => {
    expect(formatDuration(250)).toBe('250µs');
    expect(formatDuration(12_500)).toBe('12.5ms');
    expect(formatDuration(3_200_000)).toBe('3.2s');
    expect(formatDuration(125_000_000)).toBe('2m05s');
    expect(formatDuration(5_400_000_000)).toBe('1h30m');
  });
});
