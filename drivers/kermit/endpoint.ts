// What both ends of a Kermit transfer share: the packet reader, the negotiated encoding, the sequence number,
// the retry count and the way a transfer fails (an E packet to the other side unless it was the other side's).
// Each end says what a good packet, a corrupt one and silence mean to it.

import {
  CR,
  DEFAULT_INIT,
  PacketReader,
  encodePacket,
  type Encoding,
  type InitParams,
  type Packet,
  type PacketType,
} from './packet.js';

export type KermitFailure = 'remote_error' | 'protocol' | 'retries' | 'too_large';

export class KermitError extends Error {
  constructor(
    readonly reason: KermitFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KermitError';
  }
}

/** An E packet's text: printable and free of prefix characters, so that it needs no encoding. */
export function errorData(message: string): Buffer {
  return Buffer.from(message.slice(0, 80).replace(/[^\w .,:()'/-]/g, '?'), 'latin1');
}

export abstract class KermitEndpoint<Phase extends string> {
  error: KermitError | null = null;
  /** Seconds to wait for the other side's next packet (its Send-Init's TIME once known). */
  timeoutS: number;
  protected readonly reader = new PacketReader();
  protected readonly mine: InitParams;
  protected phase: Phase | 'done' | 'failed';
  protected seq = 0;
  protected retries = 0;
  protected eol = CR;
  protected enc: Encoding;

  constructor(init: Partial<InitParams> | undefined, first: Phase) {
    this.mine = { ...DEFAULT_INIT, ...init };
    this.timeoutS = this.mine.time;
    this.enc = { qctl: this.mine.qctl, qbin: null };
    this.phase = first;
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  get failed(): boolean {
    return this.phase === 'failed';
  }

  /** Bytes from the line; returns what to send. */
  receive(bytes: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    for (const event of this.reader.push(bytes)) {
      if (!this.listening()) break;
      if (event.kind === 'corrupt') out.push(...this.onSilence());
      else out.push(...this.onPacket(event.packet));
    }
    return out;
  }

  /** Nothing came for timeoutS: what this end sends then (or it gives up). */
  timeout(): Buffer[] {
    if (this.phase === 'done' || this.phase === 'failed') return [];
    return this.onSilence();
  }

  /** Whether packets still mean something to this end. */
  protected listening(): boolean {
    return this.phase !== 'failed';
  }

  protected abstract onPacket(p: Packet): Buffer[];
  /** A corrupt packet or silence: a NAK, or the outstanding packet again. */
  protected abstract onSilence(): Buffer[];

  protected fail(error: KermitError): Buffer[] {
    this.error = error;
    this.phase = 'failed';
    if (error.reason === 'remote_error') return [];
    return [this.packet('E', errorData(error.message))];
  }

  protected packet(type: PacketType, data: Buffer, seq = this.seq): Buffer {
    return encodePacket({ type, seq, data }, this.eol);
  }
}
