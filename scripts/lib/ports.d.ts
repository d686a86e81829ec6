export declare function isPortOpen(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export declare function waitForPort(
  host: string,
  port: number,
  opts?: { timeoutMs?: number; isDead?: () => unknown },
): Promise<void>;
export declare function freePort(): Promise<number>;
