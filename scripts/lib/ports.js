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

/** Resolves true when a server can listen on host:port right now. */
function canListen(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Below Linux's ephemeral range (32768-60999): a port the OS hands out for listen(0) is also
 * one it hands out as the local end of outgoing connections, so a busy process (a Temporal
 * cluster talking to PostgreSQL) can take it between our choice and its use. Each process
 * draws from its own slice of the range (by pid), STRIDE apart, so two processes choosing at
 * once (Jest workers) do not pick the same port, and the few ports after each one handed out
 * stay free for callers that use a block (a worker's metrics pairs, consecutive API ports).
 */
const FIRST = 10_000;
const SLICES = 64;
const SLICE = Math.floor((32_768 - FIRST) / SLICES);
const STRIDE = 4;
const sliceStart = FIRST + (process.pid % SLICES) * SLICE;
let cursor = Math.floor(Math.random() * SLICE);

/** An unused TCP port (free on every interface and on 127.0.0.1), outside the ephemeral range. */
async function freePort() {
  for (let tries = 0; tries < SLICE / STRIDE; tries++) {
    const port = sliceStart + (cursor % SLICE);
    cursor += STRIDE;
    if ((await canListen('::', port)) && (await canListen('127.0.0.1', port))) return port;
  }
  throw new Error(`no free TCP port between ${sliceStart} and ${sliceStart + SLICE - 1}`);
}

module.exports = { isPortOpen, waitForPort, freePort };
