import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API at /admin (src/api/admin-dashboard.ts). `npm run dev` proxies the API.
export default defineConfig({
  base: '/admin/',
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    // The shared domain modules (../src/domain) import @noble/hashes: take this package's copy.
    dedupe: ['@noble/hashes'],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': 'http://localhost:3000', '/readyz': 'http://localhost:3000' },
  },
});
