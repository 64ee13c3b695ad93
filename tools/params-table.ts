/** Prints the parameter table of src/core/osc/README.md from the catalogue: `npx tsx tools/params-table.ts`. */
import { PARAMS } from '../src/core/params/catalogue.ts';
import { parameterTable } from '../src/core/params/markdown-table.ts';

console.log(parameterTable(PARAMS));
