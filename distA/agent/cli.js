#!/usr/bin/env node
// dsp-agent: the gateway agent's command line.
//   dsp-agent --config FILE            run the agent
//   dsp-agent check-config FILE        validate a config file (exit 0, or 2 with the errors)
//   dsp-agent status [--url URL]       print a running agent's status
// Each accepts --help.
import { parseArgs } from 'node:util';
import { print, runCli } from '../common/cli.js';
import { Logger } from '../common/log.js';
import { Agent } from './agent.js';
import { configWarnings } from './config/warnings.js';
import { StoreLockedError } from './queue/store.js';
import { formatConfigErrors, loadConfigFile } from './config/load.js';
import { DEFAULTS } from './config/schema.js';
import { createSondeDriver } from './sources/create-driver.js';
import { SystemdNotifier } from './status/systemd-notify.js';
const HELP = {
    main: `Usage: dsp-agent --config FILE
       dsp-agent check-config FILE
       dsp-agent status [--url http://127.0.0.1:8421]

Runs the netbeams-dsp gateway agent: reads the sonde, queues every reading on disk, and uploads them to
the sink until acknowledged. Logs are JSON lines on stdout.

Options:
  --config FILE   the agent's TOML config (see docs/operations.md)
  --help          this text (each command has its own --help)`,
    check: `Usage: dsp-agent check-config FILE

Validates FILE as it would be at start. Prints "ok" and exits 0, or prints one line per problem
(field: problem: what was expected, what was given) and exits 2. Things that may be fine later, such as a
serial device that is not plugged in yet, are printed as "warning: ..." and do not fail the check.`,
    status: `Usage: dsp-agent status [--url URL]

Prints the status of a running agent: sonde state, queues, last contact with each sink.
  --url URL   the agent's status listener (default http://${DEFAULTS.status.listen})`,
};
/** The config cannot be used: distinct from 1 (a failure at start) so that scripts and units can tell. */
const EXIT_BAD_CONFIG = 2;
/**
 * Another agent holds the data directory's stores (docs/operations.md): this one exits without touching
 * anything. Not 1 (bad start) nor 70 (crash): systemd's unit restarts it after RestartSec, so the service
 * takes over once the other instance is gone.
 */
export const EXIT_ALREADY_RUNNING = 75;
async function main(argv) {
    const [command, ...rest] = argv;
    if (command === 'check-config')
        return checkConfig(rest);
    if (command === 'status')
        return status(rest);
    return run(argv);
}
function checkConfig(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean' } } });
    if (values.help)
        return print(HELP.check, 0);
    if (positionals.length !== 1)
        return print(HELP.check, 1, true);
    const result = loadConfigFile(positionals[0]);
    if (!result.ok)
        return print(formatConfigErrors(result.errors), EXIT_BAD_CONFIG, true);
    for (const warning of configWarnings(result.config))
        print(`warning: ${warning}`, 0, true);
    return print('ok', 0);
}
async function status(args) {
    const { values } = parseArgs({ args, options: { help: { type: 'boolean' }, url: { type: 'string' } } });
    if (values.help)
        return print(HELP.status, 0);
    const url = values.url ?? `http://${DEFAULTS.status.listen}`;
    // Loaded here, not at the top: the running agent never needs the status client (nor its HTTP library).
    const { fetchStatus, formatStatus } = await import('./status/status-command.js');
    try {
        return print(formatStatus(await fetchStatus(url)), 0);
    }
    catch (err) {
        return print(`cannot read the agent's status at ${url}: ${err.message}`, 1, true);
    }
}
async function run(args) {
    const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { help: { type: 'boolean' }, config: { type: 'string' } },
    });
    if (values.help)
        return print(HELP.main, 0);
    if (!values.config || positionals.length > 0)
        return print(HELP.main, 1, true);
    const loaded = loadConfigFile(values.config);
    if (!loaded.ok)
        return print(`${values.config}: invalid configuration\n${formatConfigErrors(loaded.errors)}`, EXIT_BAD_CONFIG, true);
    const logger = new Logger({ service: 'dsp-agent' });
    // A bug must not die silently: log it as a JSON line, exit non-zero, let systemd restart the agent.
    // Everything already taken is on disk; the restart continues from there.
    const fatal = (err) => {
        logger.error('fatal error; exiting', { err });
        process.exit(70);
    };
    process.on('uncaughtException', fatal);
    process.on('unhandledRejection', fatal);
    const notifier = new SystemdNotifier(logger);
    let agent;
    try {
        agent = await Agent.start(loaded.config, { logger, createDriver: createSondeDriver });
    }
    catch (err) {
        if (err instanceof StoreLockedError) {
            logger.error('another agent is already running on this data directory; exiting, nothing touched', {
                dataDir: loaded.config.dataDir,
                exitCode: EXIT_ALREADY_RUNNING,
            });
            return print(`dsp-agent: already running: another agent holds ${loaded.config.dataDir} (${err.dir}). ` +
                'Stop it first (systemctl stop dsp-agent) or give this one another data_dir.', EXIT_ALREADY_RUNNING, true);
        }
        logger.error('agent failed to start', { err });
        return 1;
    }
    notifier.ready(`running; status on ${agent.statusAddress ?? 'no listener'}`);
    await new Promise((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
    });
    notifier.stopping();
    await agent.stop();
    return 0;
}
runCli('dsp-agent', main);
//# sourceMappingURL=cli.js.map