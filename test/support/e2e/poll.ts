// Waiting for another process to make something true: read it again and again until it satisfies `ok`.

export async function pollUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await read();
      if (ok(value)) return value;
    } catch (err) {
      failure = err; // a process still starting or restarting: try again
    }
    if (Date.now() > end) {
      const last =
        failure !== undefined ? `error: ${(failure as Error).message}` : JSON.stringify(value)?.slice(0, 500);
      throw new Error(`not reached within ${timeoutMs} ms; last: ${last}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
