// `node --import ./test/loader/register.mjs`: runs TypeScript test files and the code they import
// (package.json "tap" "node-arg"). See ts-hooks.mjs for why not ts-node or tsx.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
