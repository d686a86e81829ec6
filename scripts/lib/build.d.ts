export declare const COMPILED_ENV: Record<string, string>;
export declare const NODE_FLAGS: Record<string, string[]>;
export declare function compiledPath(entry: string): string;
export declare function compiledArgs(entry: string, args?: string[]): string[];
export declare function build(opts?: { log?: (message: string) => void }): Promise<void>;
export declare function ensureBuild(opts?: { log?: (message: string) => void }): Promise<boolean>;
