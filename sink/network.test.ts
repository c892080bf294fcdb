import { describe, expect, it } from 'vitest';
import { STATUS_RULES, gatewayStatus } from './network.js';

describe('gateway status', () => {
  const now = Date.UTC(2026, 11, 1, 12);

  it('is ok up to 2 upload intervals after the last contact, late up to 5, silent after', () => {
    const minute = 60_000;
    expect(gatewayStatus(now - 2 * minute, minute, now)).toBe('ok');
    expect(gatewayStatus(now - 2 * minute - 1, minute, now)).toBe('late');
    expect(gatewayStatus(now - 5 * minute, minute, now)).toBe('late');
    expect(gatewayStatus(now - 5 * minute - 1, minute, now)).toBe('silent');
  });

  it('is silent without any contact, and judges very short intervals as the minimum', () => {
    expect(gatewayStatus(undefined, 60_000, now)).toBe('silent');
    const min = STATUS_RULES.minimumUploadIntervalMs;
    expect(gatewayStatus(now - 2 * min, 1000, now)).toBe('ok');
    expect(gatewayStatus(now - 2 * min - 1, 1000, now)).toBe('late');
  });
});
