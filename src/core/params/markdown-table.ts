import type { ParamSpec } from './types.ts';

function range(p: ParamSpec): string {
  switch (p.type) {
    case 'float':
    case 'int':
      return `${p.min} … ${p.max}${p.unit ? ` ${p.unit}` : ''}`;
    case 'bool':
      return '0 / 1';
    case 'enum':
      return p.values.join(', ');
    case 'vec':
      return `${p.length} × ${p.min} … ${p.max}`;
  }
}

/** The parameter table of src/core/osc/README.md, made from the catalogue so the documentation cannot drift from the code. */
export function parameterTable(specs: readonly ParamSpec[], prefix = '/sitter'): string {
  const rows = specs.map((p) => {
    const def = Array.isArray(p.default) ? `[${p.default.join(', ')}]` : String(p.default);
    const access = p.access === 'r' ? 'read' : 'read/write';
    return `| \`${prefix}/${p.name}\` | ${p.type} | ${range(p)} | ${def} | ${access} | ${p.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| address | type | range | default | access | meaning |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
