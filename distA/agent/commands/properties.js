// The properties remote commands read (Query) and change (Update), as a table of definitions.
// An Update is checked whole before anything is applied: one unknown, read-only or invalid property
// rejects it all. Values travel as text, as in the original's DSProperties.
export class PropertyTable {
    defs = new Map();
    constructor(definitions) {
        for (const d of definitions)
            this.defs.set(d.name, d);
    }
    names() {
        return [...this.defs.keys()];
    }
    /** The current values of the named properties (all when none are named); unknown names are listed apart. */
    query(names) {
        const wanted = names.length > 0 ? names : this.names();
        const unknown = wanted.filter((n) => !this.defs.has(n));
        return { properties: this.current(wanted.filter((n) => this.defs.has(n))), unknown };
    }
    async update(changes) {
        const names = changes.map((c) => c.name);
        const problems = [];
        for (const c of changes) {
            const def = this.defs.get(c.name);
            const value = c.value ?? c.values?.[0];
            if (!def)
                problems.push(`${c.name}: unknown property`);
            else if (!def.apply)
                problems.push(`${c.name}: read-only`);
            else if (value === undefined)
                problems.push(`${c.name}: no value`);
            else {
                const p = def.validate?.(value);
                if (p)
                    problems.push(`${c.name}: ${p}`);
            }
        }
        if (changes.length === 0)
            problems.push('no properties to update');
        if (problems.length > 0)
            return {
                outcome: 'rejected',
                reason: problems.join('; '),
                inForce: this.current(names.filter((n) => this.defs.has(n))),
            };
        for (const c of changes) {
            const refused = await this.defs.get(c.name).apply((c.value ?? c.values[0]));
            if (refused)
                return { outcome: 'rejected', reason: `${c.name}: ${refused}`, inForce: this.current(names) };
        }
        return { outcome: 'applied', inForce: this.current(names) };
    }
    current(names) {
        return names.map((n) => {
            const d = this.defs.get(n);
            return { name: n, value: d.read(), ...(d.unit ? { unit: d.unit } : {}) };
        });
    }
}
/** Validation of a whole number in a range, the common case. */
export function integerIn(min, max) {
    return (value) => {
        const n = Number(value.trim());
        return Number.isInteger(n) && n >= min && n <= max ? undefined : `must be a whole number from ${min} to ${max}`;
    };
}
/** Validation of a number of seconds (fractions allowed) in a range. */
export function secondsIn(min, max) {
    return (value) => {
        const n = Number(value.trim());
        return value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max
            ? undefined
            : `must be a number of seconds from ${min} to ${max}`;
    };
}
//# sourceMappingURL=properties.js.map