// Types of scripts/start.mjs for the TypeScript tests.
export declare const CONFIG_FILES: string[];
export declare const BUILD_INPUTS: string[];
export declare function detectConfig(cwd?: string, env?: Record<string, string | undefined>): string | undefined;
export declare function newestMtime(path: string): number;
export declare function buildStaleness(root?: string): string | undefined;
export declare const SERVER_HEAP_MIB: number;
export declare function serverNodeOptions(nodeOptions?: string): string;
