import type { DevServer } from './temporal-server';
export declare const HISTORY_SHARDS: number;
export declare function ensureClusterBinaries(opts?: { log?: (m: string) => void }): Record<string, string>;
export declare function startTemporalCluster(opts: {
  cli?: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  logFile?: string;
  ip?: string;
  configDir?: string;
  databases?: { default: string; visibility: string };
  dropDatabasesOnStop?: boolean;
  retention?: string;
  postgres?: { host: string; port: number; user: string; password?: string };
}): Promise<DevServer>;
