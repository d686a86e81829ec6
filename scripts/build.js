#!/usr/bin/env node
/** `npm run build`: the backend compiled to dist/ with its workflow bundle (scripts/lib/build.js). */
'use strict';
const { build } = require('./lib/build');

build().catch((err) => {
  console.error(`npm run build: ${err.message}`);
  process.exit(1);
});
