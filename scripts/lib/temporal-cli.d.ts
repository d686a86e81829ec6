export declare const CLI_MODULE: string;
export declare function ensureTemporalCli(opts?: { log?: (message: string) => void }): string;
