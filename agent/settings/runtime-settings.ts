// The values the agent runs with: the config file, overlaid with what remote commands changed.
// Remote changes are kept in <data_dir>/settings.json (written atomically) so that they survive restarts;
// the config file is never rewritten behind the operator's back. `dsp-agent status` shows the overrides.
//
// A new sink URL or token is provisional: it is used at once, but if no exchange with the sink succeeds
// with it before its deadline, the agent goes back to the previous (last working) endpoint.

import type { LogLevel } from '../../common/log.js';
import type { AgentConfig } from '../config/schema.js';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { readCheckedJsonFile } from '../../common/checked-json-file.js';
import {
  MAX_SETTINGS_BYTES,
  OverridesSchema,
  type Endpoint,
  type Overrides,
  type ProvisionalEndpoint,
} from './settings-schema.js';

export type { Endpoint, Overrides, ProvisionalEndpoint } from './settings-schema.js';

export class RuntimeSettings {
  private constructor(
    private readonly config: AgentConfig,
    private readonly file: string,
    private overrides: Overrides,
  ) {}

  /**
   * Reads the overrides. A missing file means none; a file of the wrong shape (torn, hand-edited, another
   * version) is moved aside and reported in `problem`: the config file rules and the agent starts anyway.
   */
  static async load(
    config: AgentConfig,
    file: string,
  ): Promise<{ settings: RuntimeSettings; problem?: string; movedTo?: string | null }> {
    const read = await readCheckedJsonFile(file, OverridesSchema, { maxBytes: MAX_SETTINGS_BYTES });
    if (read.kind === 'ok') return { settings: new RuntimeSettings(config, file, read.value) };
    const settings = new RuntimeSettings(config, file, {});
    return read.kind === 'missing' ? { settings } : { settings, problem: read.problem, movedTo: read.movedTo };
  }

  get samplingIntervalS(): number {
    return this.overrides.samplingIntervalS ?? this.config.sonde.intervalS;
  }
  /** Set by the data plan near its budget (agent/transport/data-plan.ts): the interval is multiplied by it. */
  uploadIntervalFactor = 1;

  get uploadIntervalS(): number {
    return (this.overrides.uploadIntervalS ?? this.config.upload.intervalS) * this.uploadIntervalFactor;
  }
  get batchMaxMessages(): number {
    return this.overrides.batchMaxMessages ?? this.config.upload.maxMessages;
  }
  get batchMaxBytes(): number {
    return this.overrides.batchMaxBytes ?? this.config.upload.maxBytes;
  }
  get logLevel(): LogLevel {
    return this.overrides.logLevel ?? this.config.logLevel;
  }

  /** The endpoint in use for a destination: provisional if one is being tried. */
  endpoint(destination: string): Endpoint {
    const p = this.overrides.provisional?.[destination];
    if (p) return { url: p.url, token: p.token };
    const confirmed = this.overrides.endpoints?.[destination];
    if (confirmed) return confirmed;
    const d = this.config.destinations.find((x) => x.name === destination);
    if (!d) throw new Error(`unknown destination ${destination}`);
    return { url: d.url, token: d.token };
  }

  provisional(destination: string): ProvisionalEndpoint | undefined {
    return this.overrides.provisional?.[destination];
  }

  /** What remote commands changed, for status output: tokens are shown as "(set)", never in clear. */
  snapshot(): Overrides {
    const copy = structuredClone(this.overrides);
    for (const e of [...Object.values(copy.endpoints ?? {}), ...Object.values(copy.provisional ?? {})]) {
      e.token = '(set)';
      if ('previous' in e) (e as ProvisionalEndpoint).previous.token = '(set)';
    }
    return copy;
  }

  async set(
    patch: Pick<Overrides, 'samplingIntervalS' | 'uploadIntervalS' | 'batchMaxMessages' | 'batchMaxBytes' | 'logLevel'>,
  ): Promise<void> {
    await this.save({ ...this.overrides, ...patch });
  }

  async tryEndpoint(destination: string, next: Endpoint, deadline: number, commandId: string): Promise<void> {
    const previous = this.endpoint(destination);
    const provisional = { ...this.overrides.provisional, [destination]: { ...next, previous, deadline, commandId } };
    await this.save({ ...this.overrides, provisional });
  }

  /** The provisional endpoint worked: it becomes the confirmed one. */
  async confirmEndpoint(destination: string): Promise<void> {
    const p = this.overrides.provisional?.[destination];
    if (!p) return;
    const { [destination]: _, ...rest } = this.overrides.provisional ?? {};
    const endpoints = { ...this.overrides.endpoints, [destination]: { url: p.url, token: p.token } };
    await this.save({ ...this.overrides, endpoints, provisional: rest });
  }

  /** The provisional endpoint never worked: back to the previous one. */
  async rollbackEndpoint(destination: string): Promise<void> {
    const { [destination]: _, ...rest } = this.overrides.provisional ?? {};
    await this.save({ ...this.overrides, provisional: rest });
  }

  private async save(next: Overrides): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    this.overrides = next;
  }
}
