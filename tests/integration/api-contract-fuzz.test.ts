/**
 * The contract fuzz test: every operation of our own OpenAPI document gets bad input in
 * every place it takes input (path, query, body), from an anonymous caller, a signed-in
 * wallet and an admin. Whatever arrives, the answer is never a 5xx, an error is always the
 * JSON error shape, and a refused input writes nothing (every table's row count is the same
 * after an operation's probes unless one of them was accepted, which is reported).
 *
 * Inputs: a fixed list of hostile values per field (wrong types, NUL, huge numbers, bad
 * base58, path traversal, huge arrays, deep nesting, extra fields) plus fast-check samples
 * of arbitrary JSON with a fixed seed, so a failure is reproducible.
 */
import fc from 'fast-check';
import request from 'supertest';
import { ownDatabase, startTestSystem, type TestSystem } from '../support/harness';
import { newWallet, signIn } from '../support/wallet';

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[] | null;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}

const deep = (levels: number): unknown => (levels === 0 ? 'x' : { a: deep(levels - 1) });

/** Values no field of ours accepts as-is, whatever its type. */
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  1e308,
  '',
  'abc',
  '\u0000',
  'x'.repeat(20_000),
  '../../../../etc/passwd',
  '0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl',
  '99999999999999999999999999999999',
  Array.from({ length: 5_000 }, () => 'x'),
  deep(40),
  { $gt: '' },
];

/** Path and query values: text only, so the hostile ones are hostile text. */
const HOSTILE_TEXT = [
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(5_000),
  '-1',
  '1e400',
  '%E0%A4%A',
  "'; DROP TABLE users; --",
  '0OIl',
];

function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: op.requestBody ? Object.keys(schema?.properties ?? {}) : null,
      });
    }
  }
  return ops;
}

/** A path with its parameters filled: every parameter a plausible value, or one hostile. */
function fillPath(op: Operation, hostile?: { name: string; value: string }): string {
  return op.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) =>
    hostile?.name === name ? hostile.value : 'does-not-exist',
  );
}

interface Probe {
  description: string;
  url: string;
  body?: unknown;
  rawBody?: string;
}

function probesOf(op: Operation, random: unknown[]): Probe[] {
  const base = fillPath(op);
  const probes: Probe[] = [];
  for (const name of op.pathParams) {
    for (const value of HOSTILE_TEXT)
      probes.push({ description: `path ${name}=${value.slice(0, 20)}`, url: fillPath(op, { name, value }) });
  }
  for (const name of [...op.queryParams, 'unknownParam']) {
    for (const value of HOSTILE_TEXT)
      probes.push({ description: `query ${name}=${value.slice(0, 20)}`, url: `${base}?${name}=${value}` });
    probes.push({ description: `query ${name} twice`, url: `${base}?${name}=a&${name}=b` });
  }
  if (op.bodyFields !== null) {
    for (const body of ['"text"', '[]', 'null', '42', '{"a":', '{"__proto__":{"admin":true}}'])
      probes.push({ description: `raw body ${body}`, url: base, rawBody: body });
    probes.push({ description: 'extra field', url: base, body: { unexpectedField: 1 } });
    for (const field of op.bodyFields) {
      for (const [i, value] of [...HOSTILE_VALUES, ...random].entries())
        probes.push({ description: `body ${field} #${i}`, url: base, body: { [field]: value } });
    }
  }
  return probes;
}

describe('API contract fuzz', () => {
  const admin = newWallet();
  const holder = newWallet();
  let system: TestSystem;
  const callers: Record<string, string | undefined> = { anonymous: undefined };

  let database: Awaited<ReturnType<typeof ownDatabase>>;

  beforeAll(async () => {
    // A database of its own: other suites write to the run's shared one in parallel, and the
    // row counts must see this suite's writes only.
    database = await ownDatabase('fuzz');
    system = await startTestSystem({ ADMIN_WALLETS: admin.address, DATABASE_URL: database.url });
    callers.wallet = await signIn(system.app, holder);
    callers.admin = await signIn(system.app, admin);
  });
  afterAll(async () => {
    await system.close();
    await database.drop();
  });

  const rowCounts = async () => {
    const tables = await system.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'mikro_orm_migrations'`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await system.sql<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}"`);
      counts[table_name] = Number(row?.n);
    }
    return counts;
  };

  it('answers every bad input to every operation with a 4xx in the error shape and writes nothing', async () => {
    const doc = (await request(system.app).get('/openapi.json').expect(200)).body as OpenApiDocument;
    // Logout revokes the caller's token: probed last, or every later probe would be a 401.
    const operations = operationsOf(doc).sort(
      (a, b) => Number(a.path.endsWith('/auth/logout')) - Number(b.path.endsWith('/auth/logout')),
    );
    expect(operations.length).toBeGreaterThan(40);
    const random = fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 6, seed: 20261202 });
    const started = Date.now();
    const failures: string[] = [];
    const accepted: string[] = [];
    let sent = 0;

    for (const op of operations) {
      const before = await rowCounts();
      let acceptedHere = false;
      for (const probe of probesOf(op, random)) {
        for (const [caller, token] of Object.entries(callers)) {
          let req = request(system.app)[op.method](probe.url).timeout(15_000);
          if (token) req = req.set('Authorization', `Bearer ${token}`);
          if (probe.rawBody !== undefined)
            req = req.set('Content-Type', 'application/json').send(probe.rawBody);
          else if (probe.body !== undefined) req = req.send(probe.body as object);
          const res = await req;
          sent++;
          const where = `${op.method.toUpperCase()} ${op.path} (${probe.description}) as ${caller}`;
          if (res.status < 400) {
            acceptedHere = true;
            accepted.push(`${op.method.toUpperCase()} ${op.path}`);
          } else if (res.status >= 500) failures.push(`${where}: ${res.status} ${JSON.stringify(res.body)}`);
          else if (res.status >= 400) {
            const error = (res.body as { error?: { code?: unknown; message?: unknown } }).error;
            if (typeof error?.code !== 'string' || typeof error.message !== 'string')
              failures.push(`${where}: ${res.status} not in the error shape: ${res.text.slice(0, 200)}`);
          }
        }
      }
      const after = await rowCounts();
      if (!acceptedHere && JSON.stringify(after) !== JSON.stringify(before)) {
        failures.push(
          `${op.method.toUpperCase()} ${op.path}: refused input wrote rows: ${JSON.stringify({ before, after })}`,
        );
      }
    }
    console.log(
      `contract fuzz: ${operations.length} operations, ${sent} requests (${Object.keys(callers).length} callers) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${accepted.length} accepted as valid (free-text search, nullable fields, unknown query parameters) by ${[...new Set(accepted)].join(', ')}`,
    );
    expect(failures).toEqual([]);
  }, 240_000);
});
