// The receiving side of a Kermit file transfer, as a state machine without I/O or timers: bytes in, the
// packets to send back out. The caller runs the clock (timeout() when no packet came for timeoutS seconds).
//
// Waits for Send-Init (S) and answers with its own parameters; then F (file header), A (attributes,
// acknowledged and ignored), D (data), Z (end of file), and B (end of transmission). Every packet with the
// expected SEQ is ACKed (Y); a repeat of the previous one (its ACK was lost) is ACKed again; a corrupt or
// out-of-sequence packet, or silence, is NAKed (N, with the SEQ expected), up to maxRetries in a row. An E
// packet from the other side, a packet that breaks the protocol, or a file over maxFileBytes ends the
// transfer with a KermitError (and, for the last two, an E packet to the other side).

import {
  KermitProtocolError,
  decodeData,
  decodeInit,
  encodeInit,
  negotiateQbin,
  type InitParams,
  type Packet,
} from './packet.js';
import { KermitEndpoint, KermitError } from './endpoint.js';

export { KermitError, type KermitFailure } from './endpoint.js';

export interface ReceivedFile {
  name: string;
  data: Buffer;
}

export interface ReceiverOptions {
  /** This side's Send-Init answer (defaults: DEFAULT_INIT, 8th-bit prefixing if the sender asks). */
  init?: Partial<InitParams>;
  /** NAKs in a row before giving up. Default 10. */
  maxRetries?: number;
  /** Bytes a file may hold. */
  maxFileBytes: number;
}

export class KermitReceiver extends KermitEndpoint<'init' | 'file' | 'data'> {
  readonly files: ReceivedFile[] = [];
  private lastAck: Buffer | null = null;
  private file: { name: string; chunks: Buffer[]; bytes: number } | null = null;

  constructor(private readonly options: ReceiverOptions) {
    super(options.init, 'init');
  }

  protected onPacket(p: Packet): Buffer[] {
    if (p.type === 'E') {
      this.fail(new KermitError('remote_error', `the sender ended the transfer: ${this.errorText(p.data)}`));
      return [];
    }
    if (this.phase === 'done') return p.seq === this.prev() && this.lastAck ? [this.lastAck] : [];
    if (p.seq !== this.seq) {
      // Our ACK of the previous packet was lost: the sender repeats it.
      if (p.seq === this.prev() && this.lastAck) return [this.lastAck];
      return this.onSilence();
    }
    try {
      return this.accept(p);
    } catch (err) {
      if (!(err instanceof KermitError || err instanceof KermitProtocolError)) throw err;
      const failure =
        err instanceof KermitError ? err : new KermitError('protocol', `malformed packet: ${err.message}`);
      return this.fail(failure);
    }
  }

  private accept(p: Packet): Buffer[] {
    this.retries = 0;
    switch (`${this.phase}:${p.type}`) {
      case 'init:S': {
        const theirs = decodeInit(p.data);
        this.enc = { qctl: theirs.qctl, qbin: negotiateQbin(this.mine.qbin, theirs.qbin) };
        this.timeoutS = Math.max(1, theirs.time);
        this.eol = theirs.eol;
        this.phase = 'file';
        return this.ack(encodeInit(this.mine));
      }
      case 'file:F':
        this.file = { name: decodeData(p.data, this.enc).toString('latin1'), chunks: [], bytes: 0 };
        this.phase = 'data';
        return this.ack();
      case 'file:B':
        this.phase = 'done';
        return this.ack();
      case 'data:A':
        return this.ack();
      case 'data:D': {
        const data = decodeData(p.data, this.enc);
        const file = this.file!;
        file.bytes += data.length;
        if (file.bytes > this.options.maxFileBytes)
          throw new KermitError('too_large', `file ${file.name} is larger than ${this.options.maxFileBytes} bytes`);
        file.chunks.push(data);
        return this.ack();
      }
      case 'data:Z': {
        const file = this.file!;
        // Z with data "D": the sender discards the file.
        if (decodeData(p.data, this.enc).toString('latin1') !== 'D')
          this.files.push({ name: file.name, data: Buffer.concat(file.chunks) });
        this.file = null;
        this.phase = 'file';
        return this.ack();
      }
    }
    throw new KermitError('protocol', `unexpected ${p.type} packet while waiting for ${this.expecting()}`);
  }

  private expecting(): string {
    return { init: 'Send-Init (S)', file: 'a file header (F) or the end (B)', data: 'data (D) or end of file (Z)' }[
      this.phase as 'init' | 'file' | 'data'
    ];
  }

  private ack(data: Buffer = Buffer.alloc(0)): Buffer[] {
    this.lastAck = this.packet('Y', data);
    this.seq = (this.seq + 1) & 63;
    return [this.lastAck];
  }

  /** A NAK of the packet expected (or give up). */
  protected onSilence(): Buffer[] {
    if (++this.retries > (this.options.maxRetries ?? 10))
      return this.fail(new KermitError('retries', `no good packet ${this.seq} after ${this.retries - 1} NAKs`));
    return [this.packet('N', Buffer.alloc(0))];
  }

  private prev(): number {
    return (this.seq + 63) & 63;
  }

  private errorText(data: Buffer): string {
    try {
      return decodeData(data, this.enc).toString('latin1');
    } catch {
      return data.toString('latin1');
    }
  }
}
