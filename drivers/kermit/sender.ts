// The sending side of a Kermit file transfer (one file), as a state machine without I/O or timers: the
// simulated sonde's binary upload, and the other half of the receiver's tests.
//
// S (its parameters; the ACK carries the receiver's), F (the file name), D packets filled up to the
// receiver's MAXL, Z, B. One packet is outstanding: its ACK (Y with its SEQ) or a NAK of the next SEQ
// (which means the same) moves on; a NAK of it, a corrupt reply or a timeout sends it again, up to
// maxRetries in a row. An E packet from the receiver ends the transfer with its message.

import {
  KermitProtocolError,
  decodeInit,
  encodeData,
  encodeInit,
  negotiateQbin,
  type InitParams,
  type Packet,
} from './packet.js';
import { KermitEndpoint, KermitError } from './endpoint.js';

export interface SenderOptions {
  init?: Partial<InitParams>;
  /** Retransmissions of one packet before giving up. Default 10. */
  maxRetries?: number;
}

export class KermitSender extends KermitEndpoint<'init' | 'file' | 'data' | 'eof' | 'eot'> {
  private offset = 0;
  private current: Buffer;
  private room = 80 - 3;

  constructor(
    private readonly name: string,
    private readonly data: Uint8Array,
    private readonly options: SenderOptions = {},
  ) {
    super(options.init, 'init');
    this.current = this.packet('S', encodeInit(this.mine));
  }

  /** The first packet (Send-Init). */
  start(): Buffer {
    return this.current;
  }

  /** Once done, nothing more to answer. */
  protected override listening(): boolean {
    return this.phase !== 'done' && this.phase !== 'failed';
  }

  protected onPacket(p: Packet): Buffer[] {
    if (p.type === 'E') {
      return this.fail(
        new KermitError('remote_error', `the receiver ended the transfer: ${p.data.toString('latin1')}`),
      );
    }
    const next = (this.seq + 1) & 63;
    if ((p.type === 'Y' && p.seq === this.seq) || (p.type === 'N' && p.seq === next)) {
      try {
        return this.advance(p.type === 'Y' ? p.data : Buffer.alloc(0));
      } catch (err) {
        if (!(err instanceof KermitProtocolError)) throw err;
        return this.fail(new KermitError('protocol', `malformed ACK: ${err.message}`));
      }
    }
    if (p.type === 'N') return this.onSilence();
    return []; // an old ACK: wait for the right one (or the timeout)
  }

  private advance(ackData: Buffer): Buffer[] {
    this.retries = 0;
    this.seq = (this.seq + 1) & 63;
    switch (this.phase) {
      case 'init': {
        const theirs = decodeInit(ackData);
        this.enc = { qctl: this.mine.qctl, qbin: negotiateQbin(this.mine.qbin, theirs.qbin) };
        this.room = theirs.maxl - 3;
        this.eol = theirs.eol;
        this.timeoutS = Math.max(1, theirs.time);
        this.phase = 'file';
        this.current = this.packet('F', encodeData(Buffer.from(this.name, 'latin1'), 0, this.room, this.enc).chars);
        break;
      }
      case 'file':
      case 'data':
        if (this.offset < this.data.length) {
          const { chars, used } = encodeData(this.data, this.offset, this.room, this.enc);
          this.offset += used;
          this.phase = 'data';
          this.current = this.packet('D', chars);
        } else {
          this.phase = 'eof';
          this.current = this.packet('Z', Buffer.alloc(0));
        }
        break;
      case 'eof':
        this.phase = 'eot';
        this.current = this.packet('B', Buffer.alloc(0));
        break;
      case 'eot':
        this.phase = 'done';
        return [];
    }
    return [this.current];
  }

  /** The outstanding packet again (or give up). */
  protected onSilence(): Buffer[] {
    if (++this.retries > (this.options.maxRetries ?? 10))
      return this.fail(
        new KermitError('retries', `packet ${this.seq} not acknowledged after ${this.retries - 1} retries`),
      );
    return [this.current];
  }
}
