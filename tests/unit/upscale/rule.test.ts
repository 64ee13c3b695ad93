import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { buildOscQueryTree, findNode } from '../../../src/core/osc/oscquery.ts';
import { applyInitial } from '../../../src/core/show/attract.ts';
import { loadShowOrThrow } from '../../../src/core/show/load.ts';
import { AUTO_MAX_SIDE, upscaleFactor, type UpscaleContext } from '../../../src/generator/upscale/rule.ts';

const ctx = (side: number, over: Partial<UpscaleContext> = {}): UpscaleContext => ({ height: side, width: side, allowed: true, maxSide: 256, ...over });

describe('layout/upscale parameter', () => {
  it('is an off|x2|x4|auto enum, off by default, that refuses other values and appears in OSCQuery', () => {
    const bus = new ParameterBus(PARAMS);
    expect(bus.string('layout/upscale')).toBe('off');
    expect(bus.set('layout/upscale', 'auto', 'desk')).toMatchObject({ ok: true });
    expect(bus.string('layout/upscale')).toBe('auto');
    expect(bus.set('layout/upscale', 'x8', 'desk')).toMatchObject({ ok: false });
    expect(bus.string('layout/upscale')).toBe('auto');
    const node = findNode(buildOscQueryTree(PARAMS, bus.snapshot()), '/sitter/layout/upscale');
    expect(node?.TYPE).toBe('s');
    expect(JSON.stringify(node?.RANGE)).toContain('"auto"');
  });

  it('is set to auto by every shipped show that uses the default model', () => {
    const dir = path.resolve(import.meta.dirname, '../../../show-configs');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const show = loadShowOrThrow(fs.readFileSync(path.join(dir, f), 'utf8'), { name: f });
      if (show.model !== 'default') continue;
      const bus = new ParameterBus(PARAMS);
      applyInitial(show, bus);
      expect(bus.string('layout/upscale'), f).toBe('auto');
    }
  });
});

describe('upscaleFactor', () => {
  it('auto gives ×4 up to 128 px and nothing above', () => {
    expect(upscaleFactor('auto', ctx(32))).toBe(4);
    expect(upscaleFactor('auto', ctx(64))).toBe(4);
    expect(upscaleFactor('auto', ctx(AUTO_MAX_SIDE))).toBe(4);
    expect(upscaleFactor('auto', ctx(AUTO_MAX_SIDE + 1))).toBe(1);
    expect(upscaleFactor('auto', ctx(64, { width: 256 }))).toBe(1);
  });

  it('x2 and x4 are what they say up to the upscaler\'s input limit, off is 1', () => {
    expect(upscaleFactor('x2', ctx(64))).toBe(2);
    expect(upscaleFactor('x4', ctx(200))).toBe(4);
    expect(upscaleFactor('x4', ctx(257))).toBe(1);
    expect(upscaleFactor('off', ctx(32))).toBe(1);
    expect(upscaleFactor('nonsense', ctx(32))).toBe(1);
  });

  it('never upscales a model whose card forbids it, or without a loaded upscaler', () => {
    for (const mode of ['auto', 'x2', 'x4']) {
      expect(upscaleFactor(mode, ctx(32, { allowed: false })), mode).toBe(1);
      expect(upscaleFactor(mode, ctx(32, { maxSide: null })), mode).toBe(1);
    }
  });
});
