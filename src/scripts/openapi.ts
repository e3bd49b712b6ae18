// npm run openapi: rewrites openapi/openapi.json from the zod schemas, and the TypeScript client's types from it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CLIENT_TYPES_FILE, generateClientTypes } from '../client-types.ts';
import { generateOpenApi } from '../openapi.ts';

const document = await generateOpenApi();
mkdirSync('openapi', { recursive: true });
writeFileSync('openapi/openapi.json', document);
mkdirSync(dirname(CLIENT_TYPES_FILE), { recursive: true });
writeFileSync(CLIENT_TYPES_FILE, await generateClientTypes(document));
process.stdout.write(`wrote openapi/openapi.json and ${CLIENT_TYPES_FILE}\n`);
