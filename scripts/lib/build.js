/**
 * The backend's production build (`npm run build`, and `npm start` when dist/ is missing or
 * older than its sources): tsc -p tsconfig.build.json to dist/ (emit only: the type checks are
 * `npm run typecheck`'s, run by `npm test`), then the workflow bundle dist/workflow-bundle.js,
 * which the compiled worker loads instead of bundling workflows/ at start. Also how each
 * compiled process runs: its node flags and environment for memory (README "Memory"). Plain Node.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { isStale } = require('./newest');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
/** src/package-root.ts PREBUILT_WORKFLOW_BUNDLE names the same file. */
const WORKFLOW_BUNDLE = path.join(DIST, 'workflow-bundle.js');
/** Written last: a build that stopped half-way has none, so the next start builds again. */
const STAMP = path.join(DIST, '.built');
/** What the build reads: the compiled code, its compiler settings and the bundled dependencies. */
const BUILD_INPUTS = [
  'src',
  'workflows',
  'activities',
  'workers',
  'migrations',
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
];

/**
 * Production memory settings (README "Memory"), measured with bench/purchase.ts:
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates its own malloc arena, up to 8 per
 *   core; Node's and the Temporal core's native threads then keep many partly used arenas;
 * - API, an old generation that grows by 30% over what it kept (`--heap-growing-percent=30`):
 *   objects of requests in flight outlive the young generation and die in the old one; V8's own
 *   growing factor (up to 4x under steady load) let that garbage reach 170 MB of heap before a
 *   full collection (API alone under autocannon: 250 MB peak RSS, 127-137 MB with the cap);
 * - API, 4 MB semi-spaces: with the cap, 1 MB semi-spaces promoted so much that the API spent
 *   ~25% more CPU per request; 4 MB keeps CPU per request where it was (bench/purchase: CPU per
 *   purchase);
 * - worker, a 256 MB old generation: V8 sizes its heap limit from the host's memory and lets
 *   garbage pile up toward it; a cap makes it collect sooner;
 * - worker, the same 30% growth cap as the API: with 100 workflow task slots its peak RSS came
 *   to 297-309 MB (purchases, distribution), 283-296 MB with the cap.
 */
const COMPILED_ENV = { MALLOC_ARENA_MAX: '2' };
const NODE_FLAGS = {
  'src/api/main.ts': ['--max-semi-space-size=4', '--heap-growing-percent=30'],
  'workers/main.ts': ['--max-old-space-size=256', '--heap-growing-percent=30'],
};

/** `entry` (a TypeScript path from the root, e.g. `workers/main.ts`) as its compiled file, from the root. */
const compiledPath = (entry) => path.posix.join('dist', entry.replace(/\.ts$/, '.js'));

/** The `node` arguments that run `entry` compiled, with its memory flags, then `args`. */
const compiledArgs = (entry, args = []) => [
  ...(NODE_FLAGS[entry] ?? []),
  path.join(ROOT, compiledPath(entry)),
  ...args,
];

function run(command, args, what) {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error(`${what} failed (${r.error ? r.error.message : `exit code ${r.status}`})`);
}

/** Compiles to a fresh dist/, then bundles the workflows beside it. */
async function build({ log = console.log } = {}) {
  const started = Date.now();
  fs.rmSync(DIST, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--noCheck'], 'tsc');
  // The worker's own bundling (workflows/index.ts, as the tests bundle it), from the build.
  const { bundleWorkflows } = require(path.join(DIST, 'workers', 'create-worker.js'));
  const { code } = await bundleWorkflows();
  fs.writeFileSync(WORKFLOW_BUNDLE, code);
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  log(`Built dist/ and dist/workflow-bundle.js in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds when dist/ is missing or older than a source; true if it built. */
async function ensureBuild({ log = console.log } = {}) {
  if (!isStale(STAMP, BUILD_INPUTS, ROOT)) return false;
  log('Building the backend (npm run build: tsc to dist/, workflow bundle)...');
  await build({ log });
  return true;
}

module.exports = { COMPILED_ENV, NODE_FLAGS, build, compiledArgs, compiledPath, ensureBuild };
