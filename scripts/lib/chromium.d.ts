export declare const CHROMIUM: string;
export declare function ensureChromium(opts?: { log?: (message: string) => void }): string;
