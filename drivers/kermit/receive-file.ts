// Runs a KermitReceiver on a live line: feeds it the bytes that arrive, writes its replies, and keeps its
// clock (a NAK, or the end, when no packet came for the sender's TIME). Resolves with the one file received.

import { KermitError, KermitReceiver, type ReceivedFile, type ReceiverOptions } from './receiver.js';

export interface FileReception {
  /** Bytes from the line. */
  feed(chunk: Buffer): void;
  /** Ends the reception from outside (the line dropped). */
  abort(reason: string): void;
  /** The file, and the bytes that arrived for it (packets, retransmissions and noise included). */
  readonly result: Promise<{ file: ReceivedFile; lineBytes: number }>;
}

export function receiveFile(
  write: (bytes: Buffer) => void,
  options: ReceiverOptions & { /** Overrides the sender's TIME (tests). */ timeoutMs?: number },
): FileReception {
  const receiver = new KermitReceiver(options);
  let lineBytes = 0;
  let timer: NodeJS.Timeout | null = null;
  let settle: { resolve: (r: { file: ReceivedFile; lineBytes: number }) => void; reject: (e: Error) => void };
  const result = new Promise<{ file: ReceivedFile; lineBytes: number }>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let over = false;

  const finish = (error: Error | null) => {
    if (over) return;
    over = true;
    if (timer) clearTimeout(timer);
    const file = receiver.files[0];
    if (error) settle.reject(error);
    else if (!file) settle.reject(new KermitError('protocol', 'the sender ended the transmission without a file'));
    else settle.resolve({ file, lineBytes });
  };
  const send = (packets: Buffer[]) => {
    for (const p of packets) write(p);
    if (receiver.failed) return finish(receiver.error);
    if (receiver.done) return finish(null);
    arm();
  };
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => send(receiver.timeout()), options.timeoutMs ?? receiver.timeoutS * 1000);
  };
  arm();

  return {
    feed(chunk) {
      if (over) return;
      lineBytes += chunk.length;
      const replies = receiver.receive(chunk);
      if (replies.length > 0 || receiver.failed || receiver.done) send(replies);
    },
    abort(reason) {
      finish(new KermitError('protocol', reason));
    },
    result,
  };
}
