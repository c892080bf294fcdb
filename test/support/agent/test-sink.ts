// An HTTP server for agent tests that speaks the sink side of the BRIEF contract: bearer token, gzip,
// one container per POST, readings stored once per sequence and other messages once per messageId,
// acknowledgeUntil over sequences stored or reported lost,
// acknowledgedContainer, serverTime, piggybacked commands until the gateway lists them as received.
// Tests script failures (status codes, Retry-After, garbage bodies) and inspect what arrived.

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { COLUMNAR_CONTENT_TYPE, decodeColumnar } from '../../../protocol/columnar/index.js';
import {
  decodeContainer,
  encodeContainer,
  messageSequences,
  readingSequences,
  type DspMessage,
  type MessagesContainer,
  type SondeReading,
} from '../../../protocol/index.js';

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Arrival {
  at: number;
  request: MessagesContainer;
}

export class TestSink {
  /** First copy of every reading, by its sequence (docs/protocol.md §5.1). */
  readonly readings = new Map<number, SondeReading>();
  /** First copy of every message that carries no readings, by messageId. */
  readonly messages = new Map<string, DspMessage>();
  readonly arrivals: Arrival[] = [];
  /** Readings and messages received again (resent after a lost response). */
  duplicates = 0;
  /** A sequence or messageId arriving again with different content: a reused id or sequence. Must stay 0. */
  conflicts = 0;
  /** Called after a container is stored, before the response is written (fault tests kill the agent here). */
  onStored: ((request: MessagesContainer) => Promise<void> | void) | undefined;
  /** Replies used (and removed) before normal handling, one per request. */
  readonly script: ScriptedReply[] = [];
  /** Commands piggybacked on every response until a request lists them in receivedCommands. */
  readonly pendingCommands: DspMessage[] = [];
  /** Refuse (400) any container holding a reading or message with one of these sequences. */
  readonly poison = new Set<number>();
  /** Respond without acknowledgeUntil/acknowledgedContainer (messages are still stored). */
  withholdAcks = false;
  clockSkewMs = 0;
  delayMs = 0;
  /**
   * Take the columnar encoding and say so (Accept-Post), as sinks of this system do. Off: an older sink,
   * which answers 415 to it and says nothing.
   */
  acceptColumnar = false;
  /** The Content-Type of every request, in order. */
  readonly contentTypes: string[] = [];
  /** Called with each decoded request before it is stored: may delay it, or answer with a failure instead. */
  intercept: ((request: MessagesContainer) => Promise<ScriptedReply | undefined>) | undefined;
  /** Requests being handled now, and the most at once (pipelined senders). */
  concurrent = 0;
  maxConcurrent = 0;
  private readonly stored = new Set<number>();
  private watermark = 0;

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly gatewayId: string,
  ) {}

  static async start(token = 'test-token', gatewayId = 'gw-test'): Promise<TestSink> {
    // A request cut midway (fault tests) rejects while reading its body: that connection is simply gone.
    const server = createServer((req, res) => void sink.handle(req, res).catch(() => res.destroy()));
    const sink: TestSink = new TestSink(server, token, gatewayId);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/transportDspMessages`;
  }

  /** Sequences of the stored readings, ascending. */
  readingSequences(): number[] {
    return [...this.readings.keys()].sort((a, b) => a - b);
  }

  /** The sequences of every stored reading and message (the sonde's descriptions too), in order. */
  storedSequences(): number[] {
    return [...this.stored].sort((a, b) => a - b);
  }

  /** A reading or message with this sequence is stored. */
  hasSequence(sequence: number): boolean {
    return this.stored.has(sequence);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.maxConcurrent = Math.max(this.maxConcurrent, ++this.concurrent);
    try {
      await this.handleOne(req, res);
    } finally {
      this.concurrent--;
    }
  }

  private async handleOne(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const scripted = this.script.shift();
    if (scripted) {
      res.writeHead(scripted.status, scripted.headers ?? {}).end(scripted.body ?? '');
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return void res.writeHead(401).end('{"error":"unauthorized"}');
    const contentType = req.headers['content-type'] ?? '';
    this.contentTypes.push(contentType);
    const columnar = contentType === COLUMNAR_CONTENT_TYPE;
    if (columnar && !this.acceptColumnar) return void res.writeHead(415).end('{"error":"unsupported_media_type"}');
    let request: MessagesContainer;
    try {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      request = columnar ? decodeColumnar(body) : decodeContainer(body);
    } catch (err) {
      return void res.writeHead(400).end(`{"error":"bad_request","reason":"${(err as Error).message}"}`);
    }
    if (request.gatewayId !== this.gatewayId) return void res.writeHead(403).end('{"error":"forbidden"}');
    if (request.messages.some((m) => messageSequences(m).some((s) => this.poison.has(s))))
      return void res.writeHead(400).end('{"error":"invalid_value"}');
    const intercepted = await this.intercept?.(request);
    if (intercepted)
      return void res.writeHead(intercepted.status, intercepted.headers ?? {}).end(intercepted.body ?? '');
    this.arrivals.push({ at: Date.now(), request });
    for (const m of request.messages) {
      if (m.body.type === 'SondeDataContainer' && m.sequence !== undefined) {
        this.storeReadings(m.body.readings, readingSequences(m));
        continue;
      }
      const known = this.messages.get(m.messageId);
      if (known) {
        this.duplicates++;
        if (JSON.stringify(known.body) !== JSON.stringify(m.body) || known.sequence !== m.sequence) this.conflicts++;
        continue;
      }
      this.messages.set(m.messageId, m);
      if (m.sequence !== undefined) this.stored.add(m.sequence);
      if (m.body.type === 'GapReport')
        for (let s = m.body.gap.fromSequence; s <= m.body.gap.toSequence && s - m.body.gap.fromSequence < 1e6; s++)
          this.stored.add(s);
    }
    while (this.stored.has(this.watermark + 1)) this.watermark++;
    await this.onStored?.(request);
    const received = new Set(request.receivedCommands ?? []);
    for (let i = this.pendingCommands.length - 1; i >= 0; i--)
      if (received.has(this.pendingCommands[i]!.messageId)) this.pendingCommands.splice(i, 1);
    const response: MessagesContainer = {
      id: `resp-${this.arrivals.length}`,
      creationTime: Date.now(),
      serverTime: Date.now() + this.clockSkewMs,
      ...(this.withholdAcks ? {} : { acknowledgeUntil: this.watermark, acknowledgedContainer: request.id }),
      messages: [...this.pendingCommands],
    };
    const accept = this.acceptColumnar ? { 'accept-post': `application/xml, ${COLUMNAR_CONTENT_TYPE}` } : {};
    res.writeHead(200, { 'content-type': 'application/xml', ...accept }).end(encodeContainer(response));
  }

  private storeReadings(readings: SondeReading[], sequences: number[]): void {
    readings.forEach((reading, i) => {
      const sequence = sequences[i]!;
      const known = this.readings.get(sequence);
      if (known) {
        this.duplicates++;
        if (JSON.stringify(known) !== JSON.stringify(reading)) this.conflicts++;
        return;
      }
      this.readings.set(sequence, reading);
      this.stored.add(sequence);
    });
  }
}
