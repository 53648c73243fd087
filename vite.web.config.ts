import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

/** The renderer build shared by Electron (electron.vite.config.ts) and the loopback web host. */
export const rendererConfig: UserConfig = {
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  // Test hooks are compiled in only when the e2e suite or a bench builds (see src/renderer/main.tsx).
  define: { 'import.meta.env.PANELDECK_TEST_HOOKS': JSON.stringify(process.env.PANELDECK_TEST_HOOKS === '1') },
  build: { sourcemap: true, emptyOutDir: true, chunkSizeWarningLimit: 2048 },
};

/** PANELDECK_WEB_OUT lets parallel work trees or sessions build into a folder of their own (default out/web). */
export default defineConfig({
  ...rendererConfig,
  build: { ...rendererConfig.build, outDir: process.env.PANELDECK_WEB_OUT ?? '../../out/web' },
});
