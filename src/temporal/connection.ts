import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalSettings = Config['temporal'];

function tlsOptions(t: TemporalSettings) {
  if (!t.tls) return undefined;
  if (t.tlsCertPath && t.tlsKeyPath) {
    return { clientCertPair: { crt: fs.readFileSync(t.tlsCertPath), key: fs.readFileSync(t.tlsKeyPath) } };
  }
  return true;
}

export function connectionOptions(t: TemporalSettings): ConnectionOptions & NativeConnectionOptions {
  return {
    address: t.address,
    tls: tlsOptions(t),
    apiKey: t.apiKey,
    metadata: t.apiKey ? { 'temporal-namespace': t.namespace } : undefined,
  };
}

/** A client for the API and CLIs. */
export async function connectClient(t: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(t));
  return new Client({ connection, namespace: t.namespace });
}

/**
 * The native connection a worker polls through. @temporalio/worker (the native bridge, the
 * workflow bundler) is loaded here, not at the top: the API imports this module and never
 * needs it (about 20 MB of its RSS).
 */
export async function connectWorker(t: TemporalSettings): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect(connectionOptions(t));
}
