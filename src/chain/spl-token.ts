/**
 * `@solana/spl-token` for our code: the same exports, loaded after ./bigint-buffer-quiet so a
 * process that uses it does not print bigint-buffer's "Failed to load bindings" warning.
 * Import spl-token from here, not from the package.
 */
import './bigint-buffer-quiet';

export * from '@solana/spl-token';
