import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { parameterTable } from '../../../src/core/params/markdown-table.ts';

describe('OSC reference parameter table', () => {
  it('is exactly the table derived from the catalogue (regenerate: npx tsx tools/params-table.ts)', () => {
    const readme = readFileSync('src/core/osc/README.md', 'utf8');
    expect(readme).toContain(parameterTable(PARAMS));
  });
});
