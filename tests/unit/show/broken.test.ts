import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/core/show/issues.ts';
import { loadShow } from '../../../src/core/show/load.ts';

const DIR = join(import.meta.dirname, 'broken');

function messages(file: string): string[] {
  const result = loadShow(readFileSync(join(DIR, file), 'utf8'));
  if (result.ok) throw new Error(`${file} validated, but it is in the broken corpus`);
  return result.issues.map(formatIssue);
}

/**
 * Every broken show and EXACTLY the messages it must produce, in order: one run lists every problem, each with
 * its path, what was expected and what was found.
 */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'array.json': [
    '(show): expected an object, got [1, 2]',
  ],
  'cue-fade-words.json': [
    'cues[3].fade: expected a number of seconds ≥ 0, got "fast"',
  ],
  'cues.json': [
    'cues[0].targets["grade/contrsat"]: unknown parameter; did you mean "grade/contrast"?',
    'cues[1].number: expected a cue number not used by cues[0], got 1',
    'cues[1].targets["walk/mode"]: expected one of "tour", "loop", "noise-loop", "random", "hold", "towards", got 3.5',
    'cues[1].targets["paint/amount"].value: missing; expected the value to fade to',
    'cues[1].targets["paint/amount"].fade: expected a number of seconds ≥ 0, got "slow"',
    'cues[1].follow: expected a number of seconds > 0 or null, got 0',
    'cues[2].number: expected a cue number > 0, got -2',
    'cues[2].targets: expected an object of parameter names and values, got []',
    'cues[3]: expected an object, got "Cue four"',
    'startCue: expected the number of a cue (1, 1, 3) or null, got 9',
  ],
  'network.json': [
    'model: expected a folder name under models/ (letters, digits, ".", "_", "-"), got "../etc"',
    'backend[1]: expected one of "webgpu", "webgl", "wasm", "cpu", got "metal"',
    'backend[2]: expected a backend not listed before, got "webgl"',
    'osc.port: expected a port number from 1 to 65535, got 70000',
    'osc.bind[0]: expected an IP address, got "localhost"',
    'osc.allow[0]: expected an IP address or CIDR range, got "10.0.0.0/33"',
    'osc.feedback.host: missing; expected the desk\'s IP address or host name',
    'osc.feedback.rateHz: expected a rate in Hz from 1 to 200, got 0',
    'credits.seconds: expected fewer seconds than the 300 between showings, got 400',
    'kiosk.dailyRestart: expected a local time "HH:MM" (00:00 to 23:59) or null, got "3am"',
    'kiosk.watchdog.minFps: expected a frame rate from 0 (off) to 240, got -1',
    'kiosk.watchdog.maxTensors: expected a whole number ≥ 1, got 10.5',
  ],
  'osc-origins.json': [
    'osc.bind[0]: 0.0.0.0 already covers every IPv4 address; list it alone',
    'osc.bind[2]: 127.0.0.1 is listed twice',
    'osc.allowOrigins[1]: expected a web origin like "http://192.168.1.30:8000" (no path), got "http://192.168.1.30:8000/"',
    'osc.allowOrigins[2]: expected a web origin like "http://192.168.1.30:8000" (no path), got "ftp://desk.example"',
    'osc.allowOrigins[3]: expected a web origin like "http://192.168.1.30:8000" (no path), got "desk.example:8000"',
  ],
  'params.json': [
    'walk.mode: expected one of "tour", "loop", "noise-loop", "random", "hold", "towards" (did you mean "loop"?), got "lop"',
    'walk.sped: unknown parameter; did you mean "speed"?',
    'render["walk/speed"]: "walk/speed" is not a render parameter (layout/…, morph/…, grade/…, grain/…, vignette/…, paint/…, master/…, hud/…, credits/…)',
    'render["grade/contrast"]: expected a number from 0 to 2, got 5',
    'render["layout/fit"]: expected one of "letterbox", "fill", got "stretch"',
    'params["status/fps"]: "status/fps" is a read-only status the app reports; expected a writable parameter',
    'params["grade/contrst"]: unknown parameter; did you mean "grade/contrast"?',
    'params["hud/visible"]: expected true or false (or 1/0), got "yes"',
    'params["walk/seed"]: "walk/seed" is already set in walk; set it in one place only',
  ],
  'pose.json': [
    'pose.privacyNotice.enabled: expected true while privacy.allowFrameCapture is true (visitors must be told frames may be kept), got false',
    'pose.camera.deviceId: expected a device id or null, got ""',
    'pose.camera.width: expected a whole number of pixels from 64 to 4096, got 10',
    'pose.delegate: expected one of "CPU", "GPU" (did you mean "GPU"?), got "gpu"',
    'pose.model: expected one of "lite", "full", "heavy", got "huge"',
    'pose.maxPeople: expected a whole number from 1 to 16, got 0',
    'pose.presence.leaveSeconds: expected a number of seconds ≥ 0, got -1',
    'pose.mappings[0].feature: expected one of "presence", "people", "x", "y", "distance", "lean", "head-tilt", "head-turn", "left-hand-height", "right-hand-height", "arms-open", "motion", "held" (did you mean "head-tilt"?), got "head-tlit"',
    'pose.mappings[1].param: "steer/0" is already driven by pose.mappings[0]; a parameter takes one mapping',
    'pose.mappings[2].outputRange: outputRange applies to float and int parameters; "walk/mode" is an enum (its values are spread evenly over the input range)',
    'pose.mappings[3].outputRange[1]: expected a number from 0 to 4 (×), got 9',
    'pose.mappings[3].curve: expected one of "linear", "smoothstep", "exp", "log", "ease-in", "ease-out", "step", got "cubic"',
    'pose.mappings[3].deadzone: expected a number from 0 to 0.9 (feature units around rest), got 2',
    'pose.mappings[4].param: missing; expected a parameter name',
    'pose.mappings[5].param: "status/fps" is a read-only status the app reports; expected a writable float, int, bool or enum parameter',
    'pose.mappings[6].inputRange: expected two different numbers [from, to], got [1, 1]',
    'pose.mappings[6].smoothing: expected a number of seconds ≥ 0, got "slow"',
    'pose.mappings[6].invert: expected true or false, got "yes"',
  ],
  'typos.json': [
    'cue: unknown key; did you mean "cues"?',
    'pose.delegte: unknown key; did you mean "delegate"?',
    'pose.camera.widht: unknown key; did you mean "width"?',
    'osc.prot: unknown key; did you mean "port"?',
    'privacy.allowCapture: unknown key; expected one of "allowFrameCapture"',
    'privacy.frobnicate: unknown key; expected one of "allowFrameCapture"',
  ],
};

describe('broken shows', () => {
  it('has an expectation for every file in the corpus', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'syntax.json').sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} reports exactly its problems`, () => {
      expect(messages(file)).toEqual(expected);
    });
  }

  it('reports a JSON syntax error with its line and column', () => {
    const [line, ...rest] = messages('syntax.json');
    expect(rest).toEqual([]);
    expect(line).toMatch(/^line 3, column 1: not valid JSON: /);
  });
});
