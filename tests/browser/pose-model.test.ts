import { PoseLandmarker } from '@mediapipe/tasks-vision';
import wasmLoaderPath from '@mediapipe/tasks-vision/vision_wasm_internal.js?url';
import wasmBinaryPath from '@mediapipe/tasks-vision/vision_wasm_internal.wasm?url';
import { expect, it } from 'vitest';
import { zipStored } from '../../tools/pose-model/zip-stored.mjs';

/**
 * Control for the assembly: the same weights zipped without the metadata tools/pose-model adds are refused by the
 * Tasks API, with the error FIELD-NOTES recorded. So the metadata, not luck, is what makes pose.test.ts pass.
 */
it('the npm weights zipped raw (no metadata) are refused for lack of NormalizationOptions', async () => {
  const get = async (path: string): Promise<Uint8Array> => {
    const r = await fetch(path);
    expect(r.ok, path).toBe(true);
    return new Uint8Array(await r.arrayBuffer());
  };
  const detector = (await get('/node_modules/@mediapipe/pose/pose_solution_packed_assets.data')).subarray(0, 2962288);
  const landmarks = await get('/node_modules/@mediapipe/pose/pose_landmark_lite.tflite');
  const raw = zipStored([
    { name: 'pose_detector.tflite', data: detector },
    { name: 'pose_landmarks_detector.tflite', data: landmarks },
  ]);
  let error = '';
  try {
    const lm = await PoseLandmarker.createFromOptions(
      { wasmLoaderPath, wasmBinaryPath },
      { baseOptions: { modelAssetBuffer: raw, delegate: 'CPU' }, runningMode: 'VIDEO' },
    );
    lm.close();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  expect(error).toMatch(/NormalizationOptions/);
});

it('a missing model fails with a message naming the file and how to build it', async () => {
  const { PoseInput } = await import('../../src/input/pose.ts');
  await expect(PoseInput.create({ modelPath: '/models/pose/not-built.task' })).rejects.toThrow(
    /\/models\/pose\/not-built\.task.*tools\/pose-model\/assemble\.mjs/,
  );
});
