import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { PoseInput } from '../../src/input/pose.ts';

/**
 * Records the landmark fixtures the unit tests use (tests/fixtures/pose/astronaut-pan.json) from real detections:
 * the lite landmarker on the fake camera's astronaut video. Runs only when the file is missing, so the fixtures
 * stay fixed; delete the file to record again.
 */
const FIXTURE = 'tests/fixtures/pose/astronaut-pan.json';

async function exists(path: string): Promise<boolean> {
  try {
    await commands.readFile(path);
    return true;
  } catch {
    return false;
  }
}

const round = (v: number | undefined): number => Math.round((v ?? 0) * 1e5) / 1e5;

it('records landmarks of the astronaut video for the unit tests', async (ctx) => {
  if (await exists(FIXTURE)) {
    ctx.skip(`${FIXTURE} is already recorded; delete it to record again`);
    return;
  }
  const pose = await PoseInput.create({ delegate: 'CPU' });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 448, height: 448 } });
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  const frames: { t: number; people: { x: number; y: number; z: number; visibility: number }[][] }[] = [];
  const t0 = performance.now();
  await new Promise<void>((done) => {
    const off = pose.onUpdate((u) => {
      frames.push({
        t: Math.round(performance.now() - t0) / 1000,
        people: u.people.map((p) => p.map((l) => ({ x: round(l.x), y: round(l.y), z: round(l.z), visibility: round(l.visibility) }))),
      });
      if (frames.length >= 24) {
        off();
        done();
      }
    });
    pose.start(video);
  });
  pose.dispose();
  for (const t of stream.getTracks()) t.stop();
  const fixture = {
    source: 'tests/support/fake-camera.ts personVideoPath(): NASA astronaut portrait (public domain), 448×448, panned 2 px/frame, 15 fps',
    model: 'models/pose/pose_landmarker_lite.task (tools/pose-model/assemble.mjs), tasks-vision 1.1.0, VIDEO mode, CPU',
    recorded: new Date().toISOString(),
    note: 't in seconds since the first detection; landmarks in image coordinates (unmirrored), person\'s own left/right',
    frames,
  };
  expect(frames.every((f) => f.people.length === 1)).toBe(true);
  await commands.writeFile(FIXTURE, `${JSON.stringify(fixture)}\n`);
});
