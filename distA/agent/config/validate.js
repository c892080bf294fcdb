// From the parsed TOML document to a complete AgentConfig, or the list of everything wrong with it.
// All the rules are in the one schema (schema.ts); this only runs it and says what it refused.
import * as v from 'valibot';
import { describeIssues } from '../../common/schema-issues.js';
import { AgentConfigSchema } from './schema.js';
export function validateConfig(doc) {
    const result = v.safeParse(AgentConfigSchema, doc);
    return result.success
        ? { ok: true, config: result.output }
        : { ok: false, errors: describeIssues(result.issues, { schema: AgentConfigSchema, secrets: ['token'] }) };
}
//# sourceMappingURL=validate.js.map