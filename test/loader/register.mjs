// `node --import ./test/loader/register.mjs`: runs TypeScript test files and the code they import
// (package.json "tap" "node-arg"). See ts-hooks.mjs for why not ts-node or tsx.
//
// Where Node has module.registerHooks (and tap's own plugins use it: Node 24.13.1 and later), the hook runs in the
// loading thread. module.register's hooks run in a thread of their own, and from Node 22 on every require() of the
// CommonJS packages (fastify, ajv, ...) goes through that thread too: importing the app took 2.5 s on Node 24
// against 1.1 s on Node 20, and 1.4-2.0 s on Node 24 with the hook in-thread (the rest is Node 24's own module
// resolution: docs/performance.md).
import module from 'node:module';
import process from 'node:process';
import { loadSync } from './ts-hooks.mjs';

const [major = 0, minor = 0, patch = 0] = process.versions.node.split('.').map(Number);
const inThread = typeof module.registerHooks === 'function' && (major > 24 || (major === 24 && (minor > 13 || (minor === 13 && patch >= 1))));

if (inThread) module.registerHooks({ load: loadSync });
else module.register('./ts-hooks.mjs', import.meta.url);
