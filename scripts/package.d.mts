export declare function buildKey(): string;
export declare const BUILD_KEY_FILE: string;
export declare function packageExecutables(names?: string[]): Promise<string[]>;
