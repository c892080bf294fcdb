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

import type { RuleConfig } from '../config/schema.js';

export const RULE_KEYWORDS = {
  criteria: ['ANY', 'NONE', 'LOCAL', 'REMOTE'],
  target: ['KEEP'],
} as const;

export interface Endpoint {
  type?: string;
  address?: string;
}

/** Where a matched message goes, with the consumer it will carry there. */
export interface Target {
  ruleId: string;
  /** A destination (remote, through its queue); undefined: a local component of type consumer.type. */
  destination?: string;
  consumer: Endpoint;
}

/** What a target delivers to: a destination's queue, or a local component type. */
export function targetKey(target: Target): string {
  return target.destination !== undefined ? `remote:${target.destination}` : `local:${target.consumer.type ?? ''}`;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|local)$/i;

export class Matcher {
  private readonly localNames: Set<string>;
  private readonly patterns = new Map<string, RegExp>();

  constructor(
    private readonly rules: readonly RuleConfig[],
    /** This gateway's own names (gateway id, host names): addresses that count as LOCAL. */
    localNames: Iterable<string> = [],
  ) {
    this.localNames = new Set([...localNames].map((n) => n.toLowerCase()));
  }

  isLocal(address: string): boolean {
    return LOOPBACK.test(address) || this.localNames.has(address.toLowerCase());
  }

  /** Every target of every matching rule, in rule order; one target per destination or local component. */
  targets(producer: Endpoint, consumer: Endpoint | undefined): Target[] {
    const out: Target[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      if (!this.matches(rule, producer, consumer ?? {})) continue;
      const target: Target = {
        ruleId: rule.id,
        destination: rule.destination,
        consumer: {
          type: rule.targetConsumerType === 'KEEP' ? consumer?.type : rule.targetConsumerType,
          address: rule.targetConsumerAddress === 'KEEP' ? consumer?.address : rule.targetConsumerAddress,
        },
      };
      // A message reaches each destination (or local component) once, through the first rule that sends it there.
      const key = targetKey(target);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(target);
    }
    return out;
  }

  matches(rule: RuleConfig, producer: Endpoint, consumer: Endpoint): boolean {
    return (
      this.matchType(rule.producerType, producer.type) &&
      this.matchAddress(rule.producerAddress, producer.address) &&
      this.matchType(rule.consumerType, consumer.type) &&
      this.matchAddress(rule.consumerAddress, consumer.address)
    );
  }

  private matchType(criterion: string | undefined, value: string | undefined): boolean {
    if (criterion === undefined) return true;
    if (criterion === 'ANY') return value !== undefined;
    if (criterion === 'NONE') return value === undefined;
    return value !== undefined && this.pattern(criterion).test(value);
  }

  private matchAddress(criterion: string | undefined, value: string | undefined): boolean {
    if (criterion === 'LOCAL') return value !== undefined && this.isLocal(value);
    if (criterion === 'REMOTE') return value !== undefined && !this.isLocal(value);
    return this.matchType(criterion, value);
  }

  private pattern(text: string): RegExp {
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
