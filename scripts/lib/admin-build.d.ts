export declare function ensureAdminBuild(opts?: { log?: (message: string) => void }): boolean;
