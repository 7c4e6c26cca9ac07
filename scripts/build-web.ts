// npm run build:web — the browser bundles, built with esbuild into dist/web/:
//   tsnn.js    the `tsnn/web` entry (src/web.ts), an ES module; onnxruntime-web stays an import that the page's import
//              map or the application's bundler resolves (its workers load its own module: see docs/browser.md)
//   viewer.js  the graph viewer's page code with dagre (src/viewer/page.ts), a script defining `TsnnViewer`;
//              `tsnn view` inlines it into the HTML it writes
// Node-only modules that the browser code reaches are swapped for their browser counterparts (BROWSER_SWAPS).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Node-only module → the module the browser bundles use in its place (same exports). */
export const BROWSER_SWAPS: Readonly<Record<string, string>> = {
  'src/format/external.ts': 'src/format/external-web.ts',
};

/**
 * Resolves relative imports of swapped modules (and of `aliases`, absolute .ts paths) to their replacements, and
 * those of `externals` (absolute .ts path → module specifier) to that specifier, left to the page.
 */
function swaps(aliases: Record<string, string>, externals: Record<string, string>): Plugin {
  const map = new Map<string, string>();
  for (const [from, to] of Object.entries(BROWSER_SWAPS)) map.set(join(ROOT, from), join(ROOT, to));
  for (const [from, to] of Object.entries(aliases)) map.set(resolve(from), resolve(to));
  const outside = new Map(Object.entries(externals).map(([from, spec]) => [resolve(from), spec]));
  return {
    name: 'tsnn-browser-swaps',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        const spec = outside.get(target);
        if (spec) return { path: spec, external: true };
        const swapped = map.get(target);
        return swapped ? { path: swapped } : undefined;
      });
    },
  };
}

/** Node built-ins as CommonJS stubs: any named import resolves (to a function that throws). */
const stubNodeBuiltins: Plugin = {
  name: 'tsnn-node-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get: (_, name) => () => { throw new Error(${JSON.stringify(args.path)} + '.' + String(name) + ' is not available in the browser'); } });`,
    }));
  },
};

export interface BundleOptions {
  format: 'esm' | 'iife';
  /** The global an IIFE bundle defines. */
  globalName?: string;
  /** Module path → replacement path, on top of BROWSER_SWAPS. */
  aliases?: Record<string, string>;
  /** Imports left to the page (import map) or the application's bundler. */
  external?: string[];
  /** Source module (absolute .ts path) → the specifier the bundle imports it by instead (e.g. src/web.ts → tsnn/web). */
  importAs?: Record<string, string>;
  /**
   * Replace Node's built-in modules by stubs whose functions throw when called (test pages reuse Node-side helpers
   * that import fs for functions the page never calls); without it a built-in module is a build error.
   */
  nodeStubs?: boolean;
  minify?: boolean;
}

/** Bundles `entry` for browsers into `outfile`; returns the bundled input files (relative to the repository). */
export async function bundle(entry: string, outfile: string, options: BundleOptions): Promise<string[]> {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'browser',
    format: options.format,
    globalName: options.globalName,
    target: 'es2022',
    minify: options.minify ?? true,
    keepNames: true, // the WebIDL binding and error messages use the classes' names
    sourcemap: 'linked',
    external: options.external ?? [],
    plugins: [swaps(options.aliases ?? {}, options.importAs ?? {}), ...(options.nodeStubs ? [stubNodeBuiltins] : [])],
    metafile: true,
    logLevel: 'error',
    legalComments: 'eof',
  });
  return Object.keys(result.metafile.inputs);
}

export interface WebBuild { tsnn: string; viewer: string }

export async function buildWeb(outDir = join(ROOT, 'dist/web')): Promise<WebBuild> {
  const out = { tsnn: join(outDir, 'tsnn.js'), viewer: join(outDir, 'viewer.js') };
  await Promise.all([
    bundle(join(ROOT, 'src/web.ts'), out.tsnn, { format: 'esm', external: ['onnxruntime-web'] }),
    bundle(join(ROOT, 'src/viewer/page.ts'), out.viewer, { format: 'iife', globalName: 'TsnnViewer' }),
  ]);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`wrote ${out.tsnn} and ${out.viewer}`);
}
