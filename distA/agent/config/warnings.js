// What `dsp-agent check-config` says about a valid config that may still not work on this machine right
// now: the agent starts anyway (a USB adapter may be plugged in later), so these are warnings, not errors.
import { statSync } from 'node:fs';
export function configWarnings(config, exists = deviceExists) {
    const warnings = [];
    if (!config.sonde.simulate && !exists(config.sonde.port))
        warnings.push(`sonde.port: ${config.sonde.port} does not exist (not plugged in?); the agent will keep trying to open it`);
    return warnings;
}
function deviceExists(file) {
    try {
        statSync(file);
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=warnings.js.map