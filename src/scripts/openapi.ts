// npm run openapi: rewrites openapi/openapi.json from the zod schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateOpenApi } from '../openapi.ts';

mkdirSync('openapi', { recursive: true });
writeFileSync('openapi/openapi.json', await generateOpenApi());
process.stdout.write('wrote openapi/openapi.json\n');
