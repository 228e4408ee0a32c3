// The console's build (`npm run build` runs it through tools/build.mjs) and its dev server:
// `npx vite apps/web` serves it with hot reload and proxies the api (API_URL, default :3000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_URL ?? 'http://localhost:3000';
const toApi = { target: api, changeOrigin: true };

export default defineConfig({
  root: here,
  base: '/',
  // Preact's JSX runtime through esbuild: no Babel plugin needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': toApi,
      '/socket.io': { ...toApi, ws: true },
      '/admin': toApi,
      '/docs': toApi,
      '/openapi.json': toApi,
      '/healthz': toApi,
    },
  },
  logLevel: 'warn',
});
