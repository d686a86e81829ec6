/**
 * Writes the admin dashboard's API types, admin/src/api/schema.d.ts, from the OpenAPI
 * document of the route modules (openapi-typescript). `--check` writes nothing and exits 1
 * when the committed file is stale (a test runs it).
 *
 *   npm run admin:api-schema            # regenerate after changing a route
 *   npm run admin:api-schema -- --check
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiDocument } from '../api/openapi-document';
import { PACKAGE_ROOT } from '../package-root';

const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'admin', 'src', 'api', 'schema.d.ts');

const HEADER = `/**
 * Generated from the API's OpenAPI document by \`npm run admin:api-schema\`
 * (src/cli/admin-api-schema.ts). Do not edit: change the route's zod schemas and regenerate.
 */

`;

async function renderSchema(): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const document = JSON.parse(JSON.stringify(apiDocument()));
  const ast = await openapiTS(document, { alphabetize: true, defaultNonNullable: false });
  return HEADER + astToString(ast);
}

async function main() {
  const check = process.argv.includes('--check');
  const fresh = await renderSchema();
  const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (check) {
    if (current === fresh) return console.log(`${path.relative(process.cwd(), SCHEMA_FILE)} is up to date`);
    console.error(
      `${path.relative(process.cwd(), SCHEMA_FILE)} is stale: the API's routes changed. Run npm run admin:api-schema`,
    );
    process.exit(1);
  }
  fs.writeFileSync(SCHEMA_FILE, fresh);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
