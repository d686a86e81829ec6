/**
 * CLI: `npx tsx src/chain/local/main.ts [--port 8899] [--host 127.0.0.1] [--data-dir .data/chain] [--slot-ms 400]`
 * Prints one line with the RPC URL; SIGINT/SIGTERM stop it cleanly and save state.
 */
import { parseArgs } from 'node:util';
import { startLocalChain } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8899' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'slot-ms': { type: 'string', default: '400' },
    },
  });
  const port = Number(values.port);
  const slotMs = Number(values['slot-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65534)
    throw new Error(`--port: invalid port ${values.port}`);
  if (!(slotMs > 0)) throw new Error(`--slot-ms: must be a positive number`);

  const chain = await startLocalChain({ port, host: values.host, dataDir: values['data-dir'], slotMs });
  process.stdout.write(`local chain listening on ${chain.url} (websocket ${chain.wsUrl})\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    chain.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`local chain: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local chain: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
