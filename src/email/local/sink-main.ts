/**
 * The local mail sink for demos: `node --import tsx src/email/local/sink-main.ts [--port 3025] [--host 127.0.0.1]`.
 * Prints its URL and the settings that point the API and worker at it.
 */
import { startMailSink } from './sink';

function argument(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

async function main() {
  const portArg = argument('port') ?? '3025';
  const port = Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${portArg} is not a port`);
  const sink = await startMailSink({ port, host: argument('host') ?? '127.0.0.1' });
  console.log(`mail sink listening at ${sink.url}`);
  console.log(`  messages:  curl ${sink.url}/sink/messages`);
  console.log(
    `  fail next: curl -XPOST ${sink.url}/sink/fail-next -H 'content-type: application/json' -d '{"count":1,"status":429,"retryAfter":5}'`,
  );
  console.log('  point the API and worker at it with:');
  console.log(
    `    EMAIL_TRANSPORT=sendgrid SENDGRID_API_URL=${sink.url} SENDGRID_API_KEY=SG.local-sink EMAIL_PROVIDER_DEDUPES=true`,
  );
  const stop = () => {
    void sink.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('mail sink failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
