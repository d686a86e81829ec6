/**
 * Loads `bigint-buffer` without its one start-up warning (./spl-token imports this first).
 * spl-token reaches `bigint-buffer` through `@solana/buffer-layout-utils`; bigint-buffer tries an optional native
 * binding that is never built here (its install script needs node-gyp and Node's headers, i.e.
 * the internet) and prints "bigint: Failed to load bindings, pure JS will be used" on every
 * process start. The pure-JS fallback is what we want, so exactly that line is dropped, once,
 * while bigint-buffer (the copy spl-token resolves) loads; every other warning passes.
 */
import { createRequire } from 'node:module';

const BINDINGS_WARNING = 'bigint: Failed to load bindings, pure JS will be used (try npm run rebuild?)';

function loadBigintBufferQuietly(): void {
  const fromSplToken = createRequire(require.resolve('@solana/spl-token'));
  const fromLayoutUtils = createRequire(fromSplToken.resolve('@solana/buffer-layout-utils'));
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (args.length !== 1 || args[0] !== BINDINGS_WARNING) warn(...args);
  };
  try {
    fromLayoutUtils('bigint-buffer');
  } finally {
    console.warn = warn;
  }
}

loadBigintBufferQuietly();
