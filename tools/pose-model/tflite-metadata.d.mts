/** Types for tflite-metadata.mjs (plain JS so it runs from postinstall without tsx). */
export interface ImageInputMetadata {
  name: string;
  description: string;
  author: string;
  license: string;
  mean: number;
  std: number;
}
export declare function imageInputMetadata(m: ImageInputMetadata): Uint8Array;
export declare function withMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array;
export declare function readImageNormalization(model: Uint8Array): { mean: number; std: number; colorSpace: number } | undefined;
