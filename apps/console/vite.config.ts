import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console uses the client SDK's sources (packages/client/src), compiled with the app. Served by the gateway at /
// (npm start); `npm run dev -w apps/console` runs Vite's dev server with /graphql, /exports and /dev proxied to a
// running gateway (GATEWAY_URL, default http://127.0.0.1:4000).
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@integration-graph/client': fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/graphql': gateway, '/exports': gateway, '/dev': gateway } },
});
