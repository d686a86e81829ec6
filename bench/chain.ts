/**
 * Local chain throughput: SOL transfers executed per second through HTTP sendTransaction,
 * and getTransaction reads per second (concurrent keep-alive HTTP on loopback).
 * Run: npx tsx bench/chain.ts [--payers 50] [--txs 4000] [--concurrency 32] [--read-seconds 5]
 *
 * The chain runs in this process, so client and server share one event loop (and the
 * 2 cores with nothing else): the figures are a floor for a chain in its own process.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { Keypair, LAMPORTS_PER_SOL, type PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { startLocalChain } from '../src/chain/local';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const TIME_LIMIT_MS = 20_000; // per phase; the whole run stays well under a minute

const { values } = parseArgs({
  options: {
    payers: { type: 'string', default: '50' },
    txs: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '32' },
    'read-seconds': { type: 'string', default: '5' },
  },
});
const PAYERS = Number(values.payers);
const TXS = Number(values.txs);
const CONCURRENCY = Number(values.concurrency);
const READ_MS = Number(values['read-seconds']) * 1000;

function post(agent: Agent, port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `task(i)` for i in [0, count) with `concurrency` in flight, stopping at the deadline. */
async function pool(
  count: number,
  concurrency: number,
  deadline: number,
  task: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count && Date.now() < deadline) {
      const i = next;
      next += 1;
      await task(i);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
}

async function main(): Promise<void> {
  const chain = await startLocalChain({ port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const payers = Array.from({ length: PAYERS }, () => Keypair.generate());
    const recipients = Array.from({ length: 16 }, () => Keypair.generate().publicKey);
    for (const payer of payers) chain.airdrop(payer.publicKey.toBase58(), 1000 * LAMPORTS_PER_SOL);
    for (const recipient of recipients) chain.airdrop(recipient.toBase58(), LAMPORTS_PER_SOL);

    const latest = JSON.parse(
      await post(
        agent,
        chain.port,
        '{"jsonrpc":"2.0","id":1,"method":"getLatestBlockhash","params":[{"commitment":"confirmed"}]}',
      ),
    ) as {
      result: { value: { blockhash: string } };
    };
    const blockhash = latest.result.value.blockhash;
    const keys: KeyObject[] = payers.map((p) =>
      createPrivateKey({
        key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(p.secretKey.subarray(0, 32))]),
        format: 'der',
        type: 'pkcs8',
      }),
    );

    // Pre-signed (node's native ed25519) so the measurement is the chain, not client signing.
    const signStart = Date.now();
    const bodies: string[] = [];
    for (let i = 0; i < TXS; i += 1) {
      const payer = payers[i % PAYERS] as Keypair;
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipients[i % recipients.length] as PublicKey,
          lamports: 1000 + i,
        }),
      );
      const message = tx.serializeMessage();
      tx.addSignature(payer.publicKey, sign(null, message, keys[i % PAYERS] as KeyObject));
      const wire = tx.serialize({ verifySignatures: false }).toString('base64');
      bodies.push(
        `{"jsonrpc":"2.0","id":${i},"method":"sendTransaction","params":["${wire}",{"encoding":"base64","preflightCommitment":"confirmed"}]}`,
      );
    }
    console.log(`prepared ${TXS} signed transfers from ${PAYERS} payers in ${Date.now() - signStart} ms`);

    const signatures: string[] = [];
    let failures = 0;
    const sendStart = Date.now();
    const sent = await pool(bodies.length, CONCURRENCY, sendStart + TIME_LIMIT_MS, async (i) => {
      const response = JSON.parse(await post(agent, chain.port, bodies[i] as string)) as { result?: string };
      if (response.result) signatures.push(response.result);
      else failures += 1;
    });
    const sendMs = Date.now() - sendStart;
    console.log(
      `sendTransaction: ${sent} transfers executed in ${sendMs} ms = ${rate(sent, sendMs)} (concurrency ${CONCURRENCY}, ${failures} failed)`,
    );

    const readBody = (signature: string): string =>
      `{"jsonrpc":"2.0","id":1,"method":"getTransaction","params":["${signature}",{"encoding":"json","commitment":"confirmed","maxSupportedTransactionVersion":0}]}`;
    const check = (text: string): void => {
      if (!text.includes('"meta"'))
        throw new Error(`unexpected getTransaction response: ${text.slice(0, 200)}`);
    };

    const coldStart = Date.now();
    const cold = await pool(signatures.length, CONCURRENCY, coldStart + TIME_LIMIT_MS, async (i) => {
      check(await post(agent, chain.port, readBody(signatures[i] as string)));
    });
    const coldMs = Date.now() - coldStart;
    console.log(
      `getTransaction (first read of each, encodes): ${cold} reads in ${coldMs} ms = ${rate(cold, coldMs)}`,
    );

    const warmStart = Date.now();
    const warm = await pool(Number.MAX_SAFE_INTEGER, CONCURRENCY, warmStart + READ_MS, async () => {
      const signature = signatures[Math.floor(Math.random() * signatures.length)] as string;
      check(await post(agent, chain.port, readBody(signature)));
    });
    const warmMs = Date.now() - warmStart;
    console.log(
      `getTransaction (random repeat reads): ${warm} reads in ${warmMs} ms = ${rate(warm, warmMs)}`,
    );

    const statusStart = Date.now();
    const batches = await pool(Number.MAX_SAFE_INTEGER, CONCURRENCY, statusStart + 2000, async () => {
      const sample = Array.from(
        { length: 100 },
        () => signatures[Math.floor(Math.random() * signatures.length)],
      );
      await post(
        agent,
        chain.port,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'getSignatureStatuses',
          params: [sample, { searchTransactionHistory: true }],
        }),
      );
    });
    const statusMs = Date.now() - statusStart;
    console.log(
      `getSignatureStatuses (100 signatures each): ${batches} calls in ${statusMs} ms = ${rate(batches, statusMs)}`,
    );
  } finally {
    agent.destroy();
    await chain.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
