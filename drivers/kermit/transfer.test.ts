// A sender and a receiver talking over a line that may lose or damage packets: whatever arrives is the file
// that was sent, or the transfer ends with a clear error. The clock is simulated: a side whose packet got no
// answer times out and the protocol's NAK/retransmission takes over.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockCheck1, encodePacket, SOH } from './packet.js';
import { KermitError, KermitReceiver } from './receiver.js';
import { KermitSender } from './sender.js';

/** What the line does to one packet on its way: deliver, lose, or flip a bit of byte `at`. */
type Fate = { kind: 'ok' } | { kind: 'lose' } | { kind: 'damage'; at: number };

interface Run {
  receiver: KermitReceiver;
  sender: KermitSender;
  /** Packets each way, for the counts the tests check. */
  sent: { toReceiver: number; toSender: number };
}

/** Runs both sides to the end; `fate` decides for each packet (numbered in the order sent). */
function transfer(
  data: Uint8Array,
  fate: (n: number) => Fate = () => ({ kind: 'ok' }),
  options: { senderQbin?: string; receiverQbin?: string; maxFileBytes?: number } = {},
): Run {
  const sender = new KermitSender('NETBEAMS.DAT', data, { init: { qbin: options.senderQbin ?? 'Y' } });
  const receiver = new KermitReceiver({
    maxFileBytes: options.maxFileBytes ?? 1 << 20,
    init: { qbin: options.receiverQbin ?? 'Y' },
  });
  const sent = { toReceiver: 0, toSender: 0 };
  let n = 0;
  const through = (packets: Buffer[]): Buffer[] =>
    packets.flatMap((p) => {
      const f = fate(n++);
      if (f.kind === 'lose') return [];
      if (f.kind === 'ok') return [p];
      const bad = Buffer.from(p);
      // One bit of SEQ, TYPE, DATA or CHECK: the type-1 check catches any such single-bit error. (A damaged
      // LEN moves the check onto another character, which matches by chance 1 time in 64: basic Kermit's limit.)
      const at = 2 + (f.at % (bad.length - 3));
      bad[at] = bad[at]! ^ 0x04;
      return [bad];
    });
  let toReceiver = through([sender.start()]);
  for (let step = 0; step < 100_000; step++) {
    if (receiver.done && sender.done) break;
    if ((receiver.failed || receiver.done) && (sender.failed || sender.done) && toReceiver.length === 0) break;
    sent.toReceiver += toReceiver.length;
    // Nothing arrived: both sides' timers run out (the receiver NAKs, the sender repeats).
    const replies = toReceiver.length > 0 ? toReceiver.flatMap((p) => receiver.receive(p)) : receiver.timeout();
    const fromReceiver = through(replies);
    sent.toSender += fromReceiver.length;
    toReceiver = through(fromReceiver.length > 0 ? fromReceiver.flatMap((p) => sender.receive(p)) : sender.timeout());
  }
  return { receiver, sender, sent };
}

const lossy = fc.array(
  fc.oneof(
    fc.constant<Fate>({ kind: 'ok' }),
    fc.constant<Fate>({ kind: 'lose' }),
    fc.nat().map((at): Fate => ({ kind: 'damage', at })),
  ),
  { maxLength: 40 },
);

describe('Kermit file transfer', () => {
  it('delivers arbitrary binary data exactly, with or without 8th-bit prefixing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('Y', '&'), (data, qbin) => {
        const { receiver, sender } = transfer(data, undefined, { senderQbin: qbin });
        expect(sender.done).toBe(true);
        expect(receiver.done).toBe(true);
        expect(receiver.files).toEqual([{ name: 'NETBEAMS.DAT', data: Buffer.from(data) }]);
      }),
      { numRuns: 60 },
    );
  });

  it('delivers the data exactly when packets are lost or damaged (NAK and retransmission)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), lossy, (data, fates) => {
        // The line misbehaves for the first packets, then behaves (so the retries are never exhausted).
        const { receiver, sender } = transfer(data, (n) => fates[n] ?? { kind: 'ok' });
        expect(receiver.error).toBeNull();
        expect(sender.error).toBeNull();
        expect(receiver.files).toEqual([{ name: 'NETBEAMS.DAT', data: Buffer.from(data) }]);
      }),
      { numRuns: 150 },
    );
  });

  it('NAKs a damaged data packet and takes the retransmission, without doubling its data', () => {
    const data = Buffer.alloc(500, 0xa5);
    // Packets: 0 S, 1 Y, 2 F, 3 Y, 4 D (damaged: NAKed), 5 N, 6 D again, 7 its Y (lost: the sender times out).
    const { receiver, sent } = transfer(data, (n) =>
      n === 4 ? { kind: 'damage', at: 3 } : n === 7 ? { kind: 'lose' } : { kind: 'ok' },
    );
    expect(receiver.files[0]?.data).toEqual(data);
    const clean = transfer(data);
    expect(sent.toReceiver).toBe(clean.sent.toReceiver + 2);
  });

  it('ends with a clear error when the sender sends E', () => {
    const receiver = new KermitReceiver({ maxFileBytes: 100 });
    const error = encodePacket({ seq: 0, type: 'E', data: Buffer.from('Memory read failure') });
    expect(receiver.receive(error)).toEqual([]);
    expect(receiver.failed).toBe(true);
    expect(receiver.error).toBeInstanceOf(KermitError);
    expect(receiver.error?.reason).toBe('remote_error');
    expect(receiver.error?.message).toBe('the sender ended the transfer: Memory read failure');
  });

  it('ends with a clear error, and tells the sender, when a whole packet breaks the protocol', () => {
    const sender = new KermitSender('F', Buffer.from('x'));
    const receiver = new KermitReceiver({ maxFileBytes: 100 });
    receiver.receive(sender.start());
    // A file header whose data ends in a lone control prefix: its check is right, its content is not.
    const body = Buffer.from('&!Fab#');
    const bad = Buffer.concat([Buffer.from([SOH]), body, Buffer.from([blockCheck1(body), 13])]);
    const [reply] = receiver.receive(bad);
    expect(receiver.error?.reason).toBe('protocol');
    expect(receiver.error?.message).toBe('malformed packet: data field ends in a control prefix');
    expect(reply?.subarray(3, -2).toString('latin1')).toBe('Emalformed packet: data field ends in a control prefix');
    sender.receive(reply!);
    expect(sender.failed).toBe(true);
    expect(sender.error?.message).toBe(
      'the receiver ended the transfer: malformed packet: data field ends in a control prefix',
    );
  });

  it('refuses a packet out of turn, and a file over the size limit', () => {
    const receiver = new KermitReceiver({ maxFileBytes: 100 });
    receiver.receive(encodePacket({ seq: 0, type: 'D', data: Buffer.from('x') }));
    expect(receiver.error?.message).toBe('unexpected D packet while waiting for Send-Init (S)');
    const { receiver: small } = transfer(Buffer.alloc(300), undefined, { maxFileBytes: 200 });
    expect(small.error?.reason).toBe('too_large');
    expect(small.error?.message).toBe('file NETBEAMS.DAT is larger than 200 bytes');
  });

  it('gives up after ten NAKs in a row of a silent line', () => {
    const receiver = new KermitReceiver({ maxFileBytes: 100 });
    const naks = Array.from({ length: 10 }, () => receiver.timeout());
    expect(naks.every((n) => n.length === 1 && n[0]!.toString('latin1') === '\x01# N3\r')).toBe(true);
    const [last] = receiver.timeout();
    expect(receiver.error?.message).toBe('no good packet 0 after 10 NAKs');
    expect(last?.subarray(3, 4).toString()).toBe('E');
  });

  it('numbers packets modulo 64 over a long file', () => {
    const data = Buffer.alloc(100 * 91, 0x41); // ~100 D packets: SEQ wraps
    const { receiver, sent } = transfer(data);
    expect(receiver.files[0]?.data).toEqual(data);
    expect(sent.toReceiver).toBeGreaterThan(64);
  });
});
