import { describe, expect, it } from 'vitest';
import type { RuleConfig } from '../config/schema.js';
import { Matcher } from './matcher.js';

function rule(partial: Partial<RuleConfig> & { id: string }): RuleConfig {
  return { targetConsumerType: 'KEEP', targetConsumerAddress: 'KEEP', ...partial };
}

// The original gateway's rule file (shared/reference/netbeams/matcher-rules-gateway.xml), in config form.
// Its `gateway` = org.netbeams.dsp.wiretransport.client becomes a destination named "server".
const REFERENCE_RULES: RuleConfig[] = [
  rule({ id: 'LocalRule', producerType: 'ANY', producerAddress: 'ANY', consumerType: 'ANY', consumerAddress: 'LOCAL' }),
  rule({
    id: 'all_messages_no_consumer_sent_to_componentmanager',
    producerType: 'ANY',
    producerAddress: 'LOCAL',
    consumerType: 'NONE',
    consumerAddress: 'NONE',
    targetConsumerType: 'org.netbeams.dsp.management',
    targetConsumerAddress: 'LOCAL',
  }),
  rule({
    id: 'all_messages_with_consumer_sent_to_componentmanager',
    producerType: 'ANY',
    producerAddress: 'ANY',
    consumerType: 'ANY',
    consumerAddress: 'LOCAL',
    targetConsumerType: 'org.netbeams.dsp.management',
    targetConsumerAddress: 'LOCAL',
  }),
  rule({
    id: 'all_messages_no_consumer_sent_to_remote_componentmanager',
    producerType: 'ANY',
    producerAddress: 'ANY',
    consumerType: 'NONE',
    consumerAddress: 'NONE',
    targetConsumerType: 'org.netbeams.dsp.management',
    targetConsumerAddress: '192.168.1.4',
    destination: 'server',
  }),
  rule({
    id: 'all_messages_with_consumer_sent_to_remote_componentmanager',
    producerType: 'ANY',
    producerAddress: 'ANY',
    consumerType: 'ANY',
    consumerAddress: 'REMOTE',
    destination: 'server',
  }),
  rule({
    id: 'all_messages_with_consumer_sent_server_persist',
    producerType: 'ANY',
    producerAddress: 'REMOTE',
    consumerType: 'ANY',
    consumerAddress: 'LOCAL',
    targetConsumerType: 'org.netbeams.dsp.persistence',
    targetConsumerAddress: 'LOCAL',
  }),
];

describe('Matcher with the original gateway rules', () => {
  const m = new Matcher(REFERENCE_RULES, ['bay-01']);
  const sonde = { type: 'org.netbeams.dsp.ysi', address: 'LOCAL' };

  it('sends a local message without consumer both to the local manager and to the server, in rule order', () => {
    const t = m.targets(sonde, undefined);
    expect(t.map((x) => x.ruleId)).toEqual([
      'all_messages_no_consumer_sent_to_componentmanager',
      'all_messages_no_consumer_sent_to_remote_componentmanager',
    ]);
    expect(t[0]).toMatchObject({
      destination: undefined,
      consumer: { type: 'org.netbeams.dsp.management', address: 'LOCAL' },
    });
    expect(t[1]).toMatchObject({
      destination: 'server',
      consumer: { type: 'org.netbeams.dsp.management', address: '192.168.1.4' },
    });
  });

  it('keeps the consumer of a message addressed to a remote component (KEEP) and sends it to the server', () => {
    const t = m.targets(sonde, { type: 'org.netbeams.dsp.persistence', address: '10.1.2.3' });
    expect(t).toEqual([
      {
        ruleId: 'all_messages_with_consumer_sent_to_remote_componentmanager',
        destination: 'server',
        consumer: { type: 'org.netbeams.dsp.persistence', address: '10.1.2.3' },
      },
    ]);
  });

  it('applies every matching local rule once per component: KEEP target, then manager, then persistence for remote producers', () => {
    const t = m.targets(
      { type: 'org.netbeams.dsp.management', address: '192.168.0.197' },
      { type: 'org.netbeams.dsp.ysi', address: 'LOCALHOST' },
    );
    expect(t.map((x) => [x.ruleId, x.consumer.type])).toEqual([
      ['LocalRule', 'org.netbeams.dsp.ysi'],
      ['all_messages_with_consumer_sent_to_componentmanager', 'org.netbeams.dsp.management'],
      ['all_messages_with_consumer_sent_server_persist', 'org.netbeams.dsp.persistence'],
    ]);
  });

  it('treats the gateway id and loopback addresses as LOCAL, anything else as REMOTE', () => {
    expect(m.isLocal('bay-01')).toBe(true);
    expect(m.isLocal('127.0.0.1')).toBe(true);
    expect(m.isLocal('::1')).toBe(true);
    expect(m.isLocal('LOCAL')).toBe(true);
    expect(m.isLocal('192.168.0.198')).toBe(false);
    // REMOTE producer: the persist rule applies; a local producer to a local consumer does not get it.
    const fromLocal = m.targets({ type: 'x', address: '127.0.0.1' }, { type: 'y', address: 'bay-01' });
    expect(fromLocal.map((x) => x.ruleId)).not.toContain('all_messages_with_consumer_sent_server_persist');
  });
});

describe('Matcher criteria', () => {
  it('matches wildcards on types, and nothing outside the pattern', () => {
    const m = new Matcher([rule({ id: 'r', producerType: 'org.netbeams.*', destination: 'sink' })]);
    expect(m.targets({ type: 'org.netbeams.dsp.ysi' }, undefined)).toHaveLength(1);
    expect(m.targets({ type: 'org.netbeams' }, undefined)).toHaveLength(0);
    expect(m.targets({ type: 'org.other.dsp' }, undefined)).toHaveLength(0);
    // A dot in a pattern is a dot, not "any character".
    expect(m.targets({ type: 'orgXnetbeams.dsp' }, undefined)).toHaveLength(0);
  });

  it('distinguishes omitted (anything), ANY (present) and NONE (absent)', () => {
    const m = new Matcher([
      rule({ id: 'omitted', destination: 'a' }),
      rule({ id: 'any', consumerType: 'ANY', destination: 'b' }),
      rule({ id: 'none', consumerType: 'NONE', destination: 'c' }),
    ]);
    expect(m.targets({ type: 't' }, undefined).map((x) => x.ruleId)).toEqual(['omitted', 'none']);
    expect(m.targets({ type: 't' }, { type: 'u' }).map((x) => x.ruleId)).toEqual(['omitted', 'any']);
  });

  it('gives a message to several destinations one target each, and one per destination only', () => {
    const m = new Matcher([
      rule({
        id: 'first',
        producerType: 'org.netbeams.dsp.ysi',
        destination: 'sink',
        targetConsumerType: 'org.netbeams.dsp.management',
      }),
      rule({ id: 'backup', producerType: 'org.netbeams.*', destination: 'backup' }),
      rule({ id: 'again', destination: 'sink', targetConsumerType: 'other' }),
    ]);
    const t = m.targets({ type: 'org.netbeams.dsp.ysi', address: 'LOCAL' }, undefined);
    expect(t.map((x) => [x.ruleId, x.destination, x.consumer.type])).toEqual([
      ['first', 'sink', 'org.netbeams.dsp.management'],
      ['backup', 'backup', undefined],
    ]);
  });

  it('REMOTE and LOCAL never match an absent address', () => {
    const m = new Matcher([
      rule({ id: 'l', producerAddress: 'LOCAL', destination: 'a' }),
      rule({ id: 'r', producerAddress: 'REMOTE', destination: 'b' }),
    ]);
    expect(m.targets({ type: 't' }, undefined)).toEqual([]);
  });
});
