// `dsp-sink gateway add|list|revoke`: managing gateway credentials directly in the database (file or PostgreSQL).
import { unsupportedLocation, openStore, StoreLocationError } from './store/open.js';
import { generateToken, hashToken } from './tokens.js';
import { ConfigError } from './config.js';
import { isGatewayId } from './field-schemas.js';
/** Returns the process exit code. */
export async function gatewayCommand(action, id, db, create, io, storeOptions = {}, 
/** `add`: station metadata to set with the gateway (--name, --lat, --lon). */
station) {
    // Arguments first: a refused command must not have created a database.
    if (action !== 'add' && action !== 'revoke' && action !== 'list') {
        throw new ConfigError('gateway needs add ID, list or revoke ID');
    }
    const gateway = action === 'list' ? '' : requireId(id);
    const unsupported = unsupportedLocation(db);
    if (unsupported !== undefined)
        throw new StoreLocationError(`--db: expected ${unsupported}`);
    const store = await openStore(db, { ...storeOptions, create });
    try {
        const now = Date.now();
        switch (action) {
            case 'add': {
                const token = generateToken();
                await store.addGateway(gateway, hashToken(token), now);
                if (station !== undefined)
                    await store.updateStation(gateway, station);
                io.out(token); // only the token: scripts capture it with $(dsp-sink gateway add ...)
                return 0;
            }
            case 'revoke': {
                if (!(await store.revokeGateway(gateway, now))) {
                    io.err(`no active gateway ${gateway}`);
                    return 1;
                }
                io.out(`revoked ${gateway}`);
                return 0;
            }
            default: {
                for (const g of await store.listGateways()) {
                    const state = g.revokedAt !== undefined ? 'revoked' : g.hasToken ? 'active' : 'legacy';
                    const contact = g.lastContact === undefined ? '-' : new Date(g.lastContact).toISOString();
                    io.out(`${g.id}\t${state}\tlast_contact=${contact}\treadings=${g.readingsStored}\tack=${g.acknowledgeUntil}`);
                }
                return 0;
            }
        }
    }
    finally {
        await store.close();
    }
}
function requireId(id) {
    if (id === undefined || !isGatewayId(id)) {
        throw new ConfigError('a gateway ID is 1-64 characters of letters, digits, ".", "_" or "-"');
    }
    return id;
}
//# sourceMappingURL=gateway-admin.js.map