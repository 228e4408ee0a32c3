// One set of esbuild options for every Node entry point we bundle (apps, bench, scripts).
export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // node_modules stay external: native addons, puppeteer and MikroORM load their own files.
  packages: 'external',
  tsconfig: 'tsconfig.base.json',
  logLevel: 'warning',
};
