export declare function ensureAdminDependencies(opts?: { log?: (message: string) => void }): boolean;
export declare function ensureAdminBuild(opts?: { log?: (message: string) => void }): boolean;
