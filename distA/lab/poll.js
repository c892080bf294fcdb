// Waiting for something another process, loop or timer will make true: the one polling helper of the tests,
// the benchmarks and the chaos runner. Wait on the condition itself, never on a fixed sleep.
/**
 * Reads `read()` again and again until `ok(value)` holds and returns that value. A read that throws counts
 * as "not yet" (a process still starting or restarting); on timeout the error shows the last value or error.
 */
export async function pollUntil(read, ok, timeoutMs = 15_000, everyMs = 100) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        let value;
        let failure;
        try {
            value = await read();
            if (ok(value))
                return value;
        }
        catch (err) {
            failure = err;
        }
        if (Date.now() > end) {
            const last = failure !== undefined ? `error: ${failure.message}` : JSON.stringify(value)?.slice(0, 500);
            throw new Error(`not reached within ${timeoutMs} ms; last: ${last}`);
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
}
/** Resolves once `cond()` is true (checked every 10 ms); rejects after `timeoutMs`, naming `what`. */
export async function until(cond, timeoutMs = 10_000, what = 'condition') {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > end)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
    }
}
//# sourceMappingURL=poll.js.map