/**
 * Where the repository's own files are (admin/dist, workflows/, .env, dist/), the same whether
 * this code runs as TypeScript from src/ (tsx, ts-jest) or compiled from dist/src/ (`npm start`,
 * the image): the nearest directory above this file that holds package.json.
 */
import fs from 'node:fs';
import path from 'node:path';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** True when this process runs the build (dist/, `npm run build`), not the TypeScript sources. */
export const RUNS_COMPILED = path.extname(__filename) === '.js';

/**
 * The workflow bundle `npm run build` writes beside the compiled code (scripts/lib/build.js
 * WORKFLOW_BUNDLE); a compiled worker loads it instead of bundling workflows/ at start.
 */
export const PREBUILT_WORKFLOW_BUNDLE = path.join(PACKAGE_ROOT, 'dist', 'workflow-bundle.js');
