/**
 * Serves the admin dashboard (admin/, a Vite build with base `/admin/`) at /admin: hashed
 * assets cached for a year, every other GET under /admin answered with index.html so deep
 * links reach the single-page app's router, and a 503 page saying how to build it when
 * admin/dist is missing (a fresh clone before `npm start` has built it).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { PACKAGE_ROOT } from '../package-root';

export const ADMIN_DIST_DIR = path.join(PACKAGE_ROOT, 'admin', 'dist');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Admin dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The admin dashboard is not built yet</h1>
<p>The API serves the dashboard from <code>admin/dist</code>, which does not exist on this machine.</p>
<p><code>npm start</code> builds it before starting the API. To build it by hand:</p>
<pre>npm --prefix admin ci
npm --prefix admin run build</pre>
<p>Then reload this page. The API itself is up: see <a href="/docs">/docs</a>.</p>
</body></html>
`;

/** A path under /admin that names a file (has an extension) rather than an app route. */
const looksLikeFile = (p: string) => path.posix.extname(p) !== '';

export function adminDashboard(distDir: string = ADMIN_DIST_DIR): Router {
  const router = Router();
  const indexFile = path.join(distDir, 'index.html');

  // Vite puts a content hash in every asset name: a changed file gets a new name.
  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));

  router.use((req: Request, res: Response, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (looksLikeFile(req.path)) return next(); // a missing asset is a 404, not the app
    if (!fs.existsSync(indexFile)) {
      res.status(503).type('html').setHeader('Cache-Control', 'no-store').send(NOT_BUILT_PAGE);
      return;
    }
    // `/admin` → `/admin/`, so relative URLs and the router's basename agree.
    if (req.originalUrl === '/admin' || req.originalUrl.startsWith('/admin?')) {
      res.redirect(301, `/admin/${req.originalUrl.slice('/admin'.length)}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}
