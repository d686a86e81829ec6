'use strict';
const net = require('node:net');

/** Resolves true when something accepts TCP connections on host:port. */
function isPortOpen(host, port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until host:port accepts connections; fails fast if `isDead()` reports the owner exited. */
async function waitForPort(host, port, { timeoutMs = 30_000, isDead = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (await isPortOpen(host, port)) return;
    const dead = isDead();
    if (dead)
      throw new Error(`process for ${host}:${port} exited (${JSON.stringify(dead)}) before listening`);
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** An unused TCP port on 127.0.0.1, chosen by the OS. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { isPortOpen, waitForPort, freePort };
