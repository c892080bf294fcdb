// Gateways for a fleet run: registered straight into the sink's database (SQLite file or postgres:// URL)
// through the sink's own store
// (what `dsp-sink gateway add` does, a thousand times without a thousand processes), or read from a file
// of `ID TOKEN` lines for a sink whose database is elsewhere.
import { readFileSync } from 'node:fs';
import { openStore } from '../../sink/store/open.js';
import { generateToken, hashToken } from '../../sink/tokens.js';
/**
 * Registers `count` new gateways named `<prefix>-<run>-<n>`. The run tag keeps ids fresh: a gateway id the
 * sink already holds readings for would have its new sequences taken for duplicates.
 */
export async function registerGateways(db, count, prefix = 'fleet') {
    const run = Date.now().toString(36);
    const width = String(Math.max(count - 1, 0)).length;
    const gateways = Array.from({ length: count }, (_, i) => ({
        id: `${prefix}-${run}-${String(i).padStart(width, '0')}`,
        token: generateToken(),
    }));
    const store = await openStore(db);
    try {
        const now = Date.now();
        for (const g of gateways)
            await store.addGateway(g.id, hashToken(g.token), now);
    }
    finally {
        await store.close();
    }
    return gateways;
}
/** `ID TOKEN` per line (blank lines and # comments skipped). */
export function readGatewaysFile(file) {
    return readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line, i) => {
        const [id, token, ...rest] = line.split(/\s+/);
        if (!id || !token || rest.length > 0)
            throw new Error(`${file}:${i + 1}: expected "ID TOKEN"`);
        return { id, token };
    });
}
//# sourceMappingURL=register.js.map