// From the parsed TOML document to a complete AgentConfig, or the list of everything wrong with it.
// All the rules are in the one schema (schema.ts); this only runs it and says what it refused.

import * as v from 'valibot';
import { describeIssues, type FieldProblem } from '../../common/schema-issues.js';
import { AgentConfigSchema, type AgentConfig } from './schema.js';

export type ConfigError = FieldProblem;

export type ValidationResult = { ok: true; config: AgentConfig } | { ok: false; errors: ConfigError[] };

export function validateConfig(doc: unknown): ValidationResult {
  const result = v.safeParse(AgentConfigSchema, doc);
  return result.success
    ? { ok: true, config: result.output }
    : { ok: false, errors: describeIssues(result.issues, { schema: AgentConfigSchema, secrets: ['token'] }) };
}
