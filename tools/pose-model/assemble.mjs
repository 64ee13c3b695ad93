#!/usr/bin/env node
// @ts-check
/**
 * Builds models/pose/pose_landmarker_{lite,full}.task from the files of @mediapipe/pose@0.5.1675469404, so the
 * kiosk never downloads a model. Run at `npm install` (postinstall) or by hand:
 *   node tools/pose-model/assemble.mjs [--force] [--check]
 * --check verifies existing outputs without writing; --force rebuilds even when they are right.
 *
 * Plain Node ESM with JSDoc types, not TypeScript: postinstall runs before anyone can count on tsx, and Node 20
 * cannot run .ts itself. It needs only `flatbuffers` and `@mediapipe/pose` (both devDependencies today).
 *
 * The recipe (worked out from the files @mediapipe/pose ships and the Tasks graphs' lookups):
 * 1. the detector is bytes 0–2,962,288 of pose_solution_packed_assets.data (the whole file, per
 *    pose_solution_packed_assets_loader.js: `pose_detection.tflite`, start 0, end 2962288);
 * 2. each model gets the metadata the Tasks graphs read: input ImageProperties RGB + NormalizationOptions
 *    (detector mean 127.5 / std 127.5 → [−1, 1]; landmark model mean 0 / std 255 → [0, 1], as in MediaPipe's
 *    pose_detection_cpu.pbtxt and pose_landmark_by_roi_cpu.pbtxt tensor ranges);
 * 3. both go, stored, into a zip as pose_detector.tflite + pose_landmarks_detector.tflite (the names
 *    PoseLandmarkerGraph looks up in the bundle).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const OUT_DIR = join(root, 'models/pose');
const POSE_PACKAGE = '@mediapipe/pose';
const POSE_VERSION = '0.5.1675469404';

/** sha256 of the source files in @mediapipe/pose@0.5.1675469404, measured on the npm tarball's files. */
const SOURCES = {
  detectorPack: { file: 'pose_solution_packed_assets.data', sha256: 'a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85', start: 0, end: 2962288 },
  lite: { file: 'pose_landmark_lite.tflite', sha256: 'f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61' },
  full: { file: 'pose_landmark_full.tflite', sha256: 'e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f' },
};

/** sha256 of the outputs this script writes from those sources (the build is byte-reproducible). */
export const OUTPUTS = {
  lite: { file: 'pose_landmarker_lite.task', sha256: '26ecda67321b98aebbebff87f49fbe68669f1cfe213b230d788632384c898e2c' },
  full: { file: 'pose_landmarker_full.task', sha256: '22151c41e41b083e85d10cba8debcb7f4ee8951ddd86fc0cc6dbe0b1b9f1f6a9' },
};

const DETECTOR_NORMALIZATION = { mean: 127.5, std: 127.5 };
const LANDMARK_NORMALIZATION = { mean: 0, std: 255 };
const AUTHOR = 'Google LLC (MediaPipe); metadata added by Sitter tools/pose-model';
const LICENSE = 'Apache License 2.0';

/** @param {Uint8Array} bytes */
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`pose-model: ${message}`);
  process.exit(1);
}

/** Loads a dependency by name, or fails naming the package and how to get it. */
async function need(/** @type {string} */ name) {
  try {
    return await import(name);
  } catch (e) {
    fail(`package "${name}" is missing (${e instanceof Error ? e.message.split('\n')[0] : String(e)}). Install it: npm install (it is a devDependency of Sitter).`);
  }
}

function poseDir() {
  const require = createRequire(import.meta.url);
  let pkgPath;
  try {
    pkgPath = require.resolve(`${POSE_PACKAGE}/package.json`);
  } catch {
    fail(`package "${POSE_PACKAGE}@${POSE_VERSION}" is missing: it holds the pose model weights. Install it: npm install ${POSE_PACKAGE}@${POSE_VERSION} --save-dev`);
  }
  const version = JSON.parse(readFileSync(pkgPath, 'utf8')).version;
  if (version !== POSE_VERSION) fail(`${POSE_PACKAGE} is ${version}, expected ${POSE_VERSION} (the checksums below are for that version)`);
  return dirname(pkgPath);
}

/** @param {string} dir @param {{ file: string, sha256: string }} src */
function readSource(dir, src) {
  const path = join(dir, src.file);
  if (!existsSync(path)) fail(`file ${POSE_PACKAGE}/${src.file} is missing (${path}); reinstall ${POSE_PACKAGE}@${POSE_VERSION}`);
  const bytes = new Uint8Array(readFileSync(path));
  const got = sha256(bytes);
  if (got !== src.sha256) fail(`${POSE_PACKAGE}/${src.file}: sha256 ${got}, expected ${src.sha256} (corrupt or different file)`);
  return bytes;
}

function outputIsRight(/** @type {{ file: string, sha256: string }} */ out) {
  const path = join(OUT_DIR, out.file);
  return existsSync(path) && sha256(readFileSync(path)) === out.sha256;
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const outs = Object.values(OUTPUTS);
  if (args.has('--check')) {
    const bad = outs.filter((o) => !outputIsRight(o)).map((o) => o.file);
    if (bad.length) fail(`missing or wrong: ${bad.join(', ')}; run node tools/pose-model/assemble.mjs`);
    console.log('pose-model: outputs present with the right sha256');
    return;
  }
  if (!args.has('--force') && outs.every(outputIsRight)) {
    console.log('pose-model: models/pose/*.task up to date (sha256 match), nothing to do');
    return;
  }
  await need('flatbuffers');
  const { imageInputMetadata, withMetadata } = await import('./tflite-metadata.mjs');
  const { zipStored } = await import('./zip-stored.mjs');
  const dir = poseDir();

  const pack = readSource(dir, SOURCES.detectorPack);
  const detectorRaw = pack.subarray(SOURCES.detectorPack.start, SOURCES.detectorPack.end);
  const detector = withMetadata(detectorRaw, imageInputMetadata({
    name: 'BlazePose detector',
    description: 'Person detector of MediaPipe BlazePose GHUM 3D (pose_detection.tflite), 224×224 RGB input in [−1, 1].',
    author: AUTHOR,
    license: LICENSE,
    ...DETECTOR_NORMALIZATION,
  }));
  mkdirSync(OUT_DIR, { recursive: true });
  for (const variant of /** @type {const} */ (['lite', 'full'])) {
    const landmarkRaw = readSource(dir, SOURCES[variant]);
    const landmarks = withMetadata(landmarkRaw, imageInputMetadata({
      name: `BlazePose GHUM 3D landmarks (${variant})`,
      description: `Landmark model of MediaPipe BlazePose GHUM 3D, ${variant} variant, 256×256 RGB input in [0, 1].`,
      author: AUTHOR,
      license: LICENSE,
      ...LANDMARK_NORMALIZATION,
    }));
    const task = zipStored([
      { name: 'pose_detector.tflite', data: detector },
      { name: 'pose_landmarks_detector.tflite', data: landmarks },
    ]);
    const out = OUTPUTS[variant];
    const got = sha256(task);
    if (got !== out.sha256) {
      fail(`built ${out.file} has sha256 ${got}, expected ${out.sha256}: the build changed (another flatbuffers version?); check it with the pose browser tests, then update OUTPUTS`);
    }
    // Write then rename, so an interrupted install never leaves a truncated model that looks present.
    const path = join(OUT_DIR, out.file);
    writeFileSync(`${path}.partial`, task);
    renameSync(`${path}.partial`, path);
    console.log(`pose-model: wrote models/pose/${out.file} (${task.length} bytes, sha256 ${got})`);
  }
}

await main();
