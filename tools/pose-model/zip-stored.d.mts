/** Types for zip-stored.mjs (plain JS so it runs from postinstall without tsx). */
export declare function crc32(bytes: Uint8Array): number;
export declare function zipStored(entries: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array;
