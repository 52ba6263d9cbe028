import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// Where `vite` (dev) and `vite preview` send API calls; QINGLING_API points them at another server.
const target = process.env.QINGLING_API ?? 'http://localhost:8080';
// Keep the browser's Host header: the server refuses writes whose Origin is not its own host.
const api = { target, changeOrigin: false };

/**
 * The single-page app the server serves from packages/web/dist at `/`.
 * `@core/…` points at core's source so the web imports only the browser-safe files it names
 * (core's index may grow node-only exports later).
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: [{ find: /^@core\//, replacement: here('../core/src/') }] },
  server: {
    port: 5173,
    proxy: { '/api': api, '/healthz': api, '/metrics': api },
  },
  preview: {
    port: 4173,
    proxy: { '/api': api, '/healthz': api, '/metrics': api },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Long-lived libraries in their own chunks so an app change does not bust their cache,
        // and no single chunk carries all of antd + echarts + react.
        codeSplitting: {
          groups: [
            // zrender (ECharts' renderer) apart: with the chart types the pages use, one ECharts chunk passes 600 kB.
            { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 35 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
