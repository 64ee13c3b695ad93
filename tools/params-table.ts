/** Prints the README's parameter table from the catalogue: `npx tsx tools/params-table.ts`. */
import { PARAMS } from '../src/core/params/catalogue.ts';
import { parameterTable } from '../src/core/params/markdown-table.ts';

console.log(parameterTable(PARAMS));
