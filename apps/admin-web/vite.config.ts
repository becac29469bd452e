import { defaultClientConditions, defineConfig } from 'vite';

// The admin SPA: web/ → dist/public, served by the Node server in src/ (dist/main.js).
// React's automatic JSX runtime through Vite's own Oxc transform (no plugin needed).
export default defineConfig({
  root: 'web',
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  // shared contracts straight from their TypeScript source (types and constants only)
  resolve: { conditions: ['@loyalty-edge/source', ...defaultClientConditions] },
  build: {
    outDir: '../dist/public',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // no inline <script>/data: modules: the server's Content-Security-Policy forbids them
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: { '/api': process.env.MANAGEMENT_API_URL ?? 'http://127.0.0.1:8081' },
  },
});
