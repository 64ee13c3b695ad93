import type { OscQueryNode } from '../../../src/core/osc/oscquery.ts';

/** Structural rules of the OSCQuery proposal every node must follow. */
export function checkNode(node: OscQueryNode, path: string, problems: string[]): void {
  if (node.FULL_PATH !== path) problems.push(`${path}: FULL_PATH ${node.FULL_PATH}`);
  if (node.CONTENTS) {
    for (const [name, child] of Object.entries(node.CONTENTS)) checkNode(child, path === '/' ? `/${name}` : `${path}/${name}`, problems);
  }
  if (node.TYPE === undefined) {
    if (!node.CONTENTS) problems.push(`${path}: a method without TYPE`);
    return;
  }
  if (![1, 2, 3].includes(node.ACCESS ?? -1)) problems.push(`${path}: ACCESS ${node.ACCESS}`);
  const n = node.TYPE === 'N' ? 0 : node.TYPE.length;
  if (node.ACCESS !== 2 && node.VALUE?.length !== n) problems.push(`${path}: VALUE length ${node.VALUE?.length} for TYPE ${node.TYPE}`);
  if (node.RANGE && node.RANGE.length !== n) problems.push(`${path}: RANGE length ${node.RANGE.length} for TYPE ${node.TYPE}`);
  if (node.CLIPMODE && node.CLIPMODE.length !== n) problems.push(`${path}: CLIPMODE length`);
  if (node.UNIT && node.UNIT.length !== n) problems.push(`${path}: UNIT length`);
  for (const r of node.RANGE ?? []) {
    if (r.VALS === undefined && (typeof r.MIN !== 'number' || typeof r.MAX !== 'number' || r.MIN > r.MAX)) problems.push(`${path}: RANGE ${JSON.stringify(r)}`);
  }
}
