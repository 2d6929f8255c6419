import { connect, type Socket } from 'node:net';

/** The first answer a connection received: status, problem code and headers. */
export interface RawAnswer {
  status: number;
  code?: string;
  headers: Headers;
}

/**
 * A TCP connection made by hand, from a chosen loopback source address (all of 127/8 is on `lo`
 * on Linux), that writes what it is told and records what it receives, for clients that no HTTP
 * library would be: slow, idle, half-sent.
 */
export class RawConnection {
  private readonly chunks: Buffer[] = [];
  private trickling?: NodeJS.Timeout;
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      clearInterval(this.trickling);
    });
  }

  static open(baseUrl: string, localAddress: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), localAddress }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    if (!this.closed) this.socket.write(text);
  }

  /** Writes `text` one byte now and one more every `everyMs`, until it is written or the connection closes. */
  trickle(text: string, everyMs: number): void {
    let next = 0;
    const writeNext = () => (next < text.length ? this.write(text[next++]!) : clearInterval(this.trickling));
    writeNext();
    this.trickling = setInterval(writeNext, everyMs);
  }

  /** Every complete answer received so far, in order (a keep-alive connection gets more than one). */
  get answers(): RawAnswer[] {
    const text = Buffer.concat(this.chunks).toString('utf8');
    const answers: RawAnswer[] = [];
    for (let at = 0; ;) {
      const end = text.indexOf('\r\n\r\n', at);
      if (end < 0) return answers;
      const [statusLine = '', ...lines] = text.slice(at, end).split('\r\n');
      const headers = new Headers();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      at = end + 4 + Number(headers.get('content-length') ?? 0);
      const code = problemCode(text.slice(end + 4, at));
      answers.push({ status: Number(statusLine.split(' ')[1] ?? 0), ...(code !== undefined && { code }), headers });
    }
  }

  /** The last complete answer received, if any. */
  get answer(): RawAnswer | undefined {
    return this.answers.at(-1);
  }

  destroy(): void {
    clearInterval(this.trickling);
    this.socket.destroy();
  }
}

function problemCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

/**
 * How a group of connections ended, the way rows describe it: "80 answered 408 request-timeout and
 * closed", or each outcome with its count ("60 answered 408 request-timeout and closed, 20 still open").
 */
export function describeEnds(connections: readonly RawConnection[]): string {
  const outcomes = new Map<string, number>();
  for (const connection of connections) {
    const answer = connection.answer;
    const outcome = !connection.closed
      ? 'still open'
      : answer
        ? `answered ${answer.status}${answer.code ? ` ${answer.code}` : ''} and closed`
        : 'closed without an answer';
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return [...outcomes].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
}
