// The upscaler trainer's own Python tests (pixel-shuffle channel order, export layout, augmentation), run where a
// Python with torch exists: $SITTER_PYTHON, or tools/train/torch/.venv (npm run train:venv, the trainer's pinned
// requirements). Elsewhere skipped, saying so: npm test needs no Python.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const candidates = [process.env['SITTER_PYTHON'], path.join(ROOT, 'tools/train/torch/.venv/bin/python')].filter((p): p is string => !!p);
const python = candidates.find((p) => fs.existsSync(p)) ?? null;

describe('tools/upscale Python tests', () => {
  it.skipIf(!python)('pass (python -m unittest discover -s tools/upscale)', () => {
    const r = spawnSync(python as string, ['-m', 'unittest', 'discover', '-s', 'tools/upscale', '-p', 'test_*.py'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/Ran \d+ tests[\s\S]*OK/);
  }, 150_000);
});

if (!python) console.log('tools/upscale: SKIPPED the Python tests: no tools/train/torch/.venv (npm run train:venv) and no SITTER_PYTHON');
