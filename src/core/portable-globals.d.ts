/**
 * The only host globals the pure core may use: those that Node (≥ 18) and every browser provide alike. The core is
 * compiled against ES2022 alone (src/core/tsconfig.json, run by `npm test`), so a DOM, Node or GPU API used here by
 * mistake fails the build instead of failing in one of the two places the core runs.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  readonly fatal: boolean;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
}
