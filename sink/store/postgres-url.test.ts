import { describe, expect, it } from 'vitest';
import { redact, redactError, redactUrl } from './postgres-url.js';

describe('connection URL redaction', () => {
  const url = 'postgresql://sink:p%40ss%2Fw0rd@db.example:5432/dsp?sslmode=require';

  it('replaces the password of any postgres URL in a text', () => {
    expect(redactUrl(`cannot reach ${url} now`)).toBe(
      'cannot reach postgresql://sink:***@db.example:5432/dsp?sslmode=require now',
    );
  });

  it('replaces the password as written and decoded, wherever it appears', () => {
    expect(redact('auth p%40ss%2Fw0rd / p@ss/w0rd failed', url)).toBe('auth *** / *** failed');
  });

  it('keeps the code of an error but none of its other fields', () => {
    const original = Object.assign(new TypeError(`Invalid URL`), { code: 'ERR_INVALID_URL', input: url });
    const safe = redactError(original, url, `opening ${url}`);
    expect(safe.message).toBe('opening postgresql://sink:***@db.example:5432/dsp?sslmode=require: Invalid URL');
    expect(JSON.stringify({ ...safe })).toBe('{"code":"ERR_INVALID_URL"}');
  });
});
