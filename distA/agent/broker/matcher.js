// The DSP matcher: which targets a message goes to, decided by rules on its producer and consumer.
//
// Criteria (producer_type, producer_address, consumer_type, consumer_address), each one of:
//   omitted   no constraint: matches any value, present or absent
//   ANY       the field is present (any value): the original's "existing information"
//   NONE      the field is absent: the original's "no information should exist"
//   LOCAL     (addresses) LOCAL, LOCALHOST, a loopback address, or one of this gateway's own names
//   REMOTE    (addresses) present and not LOCAL
//   a pattern an exact string, or with `*` wildcards: `org.netbeams.*` matches every type under org.netbeams
// Targets: target_consumer_type / target_consumer_address are KEEP (leave the message's value) or a value
// written into the message's consumer; `destination` sends the message to that destination's queue (the
// original's `gateway` = the wire transport client), otherwise it is delivered to a local component.
//
// Every rule that matches applies, in the order of the config file (the original stopped at one rule and
// its order was that of a hash map); see docs/agent.md for the defects fixed.
export const RULE_KEYWORDS = {
    criteria: ['ANY', 'NONE', 'LOCAL', 'REMOTE'],
    target: ['KEEP'],
};
/** What a target delivers to: a destination's queue, or a local component type. */
export function targetKey(target) {
    return target.destination !== undefined ? `remote:${target.destination}` : `local:${target.consumer.type ?? ''}`;
}
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|local)$/i;
export class Matcher {
    rules;
    localNames;
    patterns = new Map();
    constructor(rules, 
    /** This gateway's own names (gateway id, host names): addresses that count as LOCAL. */
    localNames = []) {
        this.rules = rules;
        this.localNames = new Set([...localNames].map((n) => n.toLowerCase()));
    }
    isLocal(address) {
        return LOOPBACK.test(address) || this.localNames.has(address.toLowerCase());
    }
    /** Every target of every matching rule, in rule order; one target per destination or local component. */
    targets(producer, consumer) {
        const out = [];
        const seen = new Set();
        for (const rule of this.rules) {
            if (!this.matches(rule, producer, consumer ?? {}))
                continue;
            const target = {
                ruleId: rule.id,
                destination: rule.destination,
                consumer: {
                    type: rule.targetConsumerType === 'KEEP' ? consumer?.type : rule.targetConsumerType,
                    address: rule.targetConsumerAddress === 'KEEP' ? consumer?.address : rule.targetConsumerAddress,
                },
            };
            // A message reaches each destination (or local component) once, through the first rule that sends it there.
            const key = targetKey(target);
            if (seen.has(key))
                continue;
            seen.add(key);
            out.push(target);
        }
        return out;
    }
    matches(rule, producer, consumer) {
        return (this.matchType(rule.producerType, producer.type) &&
            this.matchAddress(rule.producerAddress, producer.address) &&
            this.matchType(rule.consumerType, consumer.type) &&
            this.matchAddress(rule.consumerAddress, consumer.address));
    }
    matchType(criterion, value) {
        if (criterion === undefined)
            return true;
        if (criterion === 'ANY')
            return value !== undefined;
        if (criterion === 'NONE')
            return value === undefined;
        return value !== undefined && this.pattern(criterion).test(value);
    }
    matchAddress(criterion, value) {
        if (criterion === 'LOCAL')
            return value !== undefined && this.isLocal(value);
        if (criterion === 'REMOTE')
            return value !== undefined && !this.isLocal(value);
        return this.matchType(criterion, value);
    }
    pattern(text) {
        let re = this.patterns.get(text);
        if (!re) {
            const body = text
                .split('*')
                .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
                .join('.*');
            re = new RegExp(`^${body}$`);
            this.patterns.set(text, re);
        }
        return re;
    }
}
//# sourceMappingURL=matcher.js.map