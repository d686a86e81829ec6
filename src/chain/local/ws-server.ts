/**
 * A minimal RFC 6455 WebSocket server (text messages, ping/pong, close; no extensions).
 * web3.js's confirmTransaction waits for its signatureSubscribe to be acknowledged before
 * it ever polls, so the chain needs pub/sub; Node 20 has no built-in WebSocket server and
 * `ws` is not a declared dependency of this project.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface WsConnection {
  send(text: string): void;
  close(): void;
}

export interface WsHandler {
  onMessage(connection: WsConnection, text: string): void;
  onClose(connection: WsConnection): void;
}

class Connection implements WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly handler: WsHandler,
    private readonly onGone: (connection: Connection) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
  }

  send(text: string): void {
    if (!this.closed) this.socket.write(frame(0x1, Buffer.from(text, 'utf8')));
  }

  /** 1000 (normal closure) on shutdown: rpc-websockets, under web3.js, retries forever on any other code. */
  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.socket.end(frame(0x8, payload));
    this.teardown();
  }

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (!this.closed && this.buffer.length >= 2) {
      const b0 = this.buffer[0] as number;
      const b1 = this.buffer[1] as number;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        const big = this.buffer.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.close(1009);
        length = Number(big);
        offset = 10;
      }
      if ((b1 & 0x80) === 0) return this.close(1002); // clients must mask
      if (length > MAX_MESSAGE_BYTES) return this.close(1009);
      if (this.buffer.length < offset + 4 + length) return;
      const mask = this.buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(this.buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i += 1)
        payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
      this.buffer = this.buffer.subarray(offset + 4 + length);
      this.handleFrame((b0 & 0x80) !== 0, b0 & 0x0f, payload);
    }
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
      case 0x1: // text
      case 0x2: {
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (this.fragmentBytes > MAX_MESSAGE_BYTES) return this.close(1009);
        if (!fin) return;
        const message = this.fragments.length === 1 ? payload : Buffer.concat(this.fragments);
        this.fragments = [];
        this.fragmentBytes = 0;
        try {
          this.handler.onMessage(this, message.toString('utf8'));
        } catch {
          // a handler bug must not take the connection (or the process) down
        }
        return;
      }
      case 0x8:
        return this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
      case 0x9:
        if (!this.closed) this.socket.write(frame(0xa, payload));
        return;
      case 0xa:
        return;
      default:
        return this.close(1002);
    }
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler.onClose(this);
    this.onGone(this);
    this.socket.destroy();
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Accepts WebSocket upgrades on `server`; returns a function that closes every connection. */
export function acceptWebSockets(server: Server, handler: WsHandler): () => void {
  const connections = new Set<Connection>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + HANDSHAKE_GUID)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    const connection = new Connection(socket, handler, (gone) => connections.delete(gone));
    connections.add(connection);
    if (head.length > 0) connection.receive(head);
  });
  return () => {
    for (const connection of [...connections]) connection.close();
  };
}
