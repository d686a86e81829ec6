import type { ChildProcess } from 'node:child_process';
export declare const SEARCH_ATTRIBUTES: Record<string, string>;
export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}
export declare function startTemporalDevServer(opts: {
  cli: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  logFile?: string;
  ip?: string;
}): Promise<DevServer>;
