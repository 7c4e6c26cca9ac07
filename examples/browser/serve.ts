// npm run demo:browser [-- --port N] — serves the browser demo (examples/browser/index.html) with tsnn's browser
// bundle, the graph viewer and onnxruntime-web's own files from this origin, with the cross-origin isolation headers
// that onnxruntime-web's threads need (COOP/COEP). Also what the browser tests serve their pages with.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle, buildWeb, ROOT } from '../../scripts/build-web.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** onnxruntime-web's dist folder: its ES modules, and the WebAssembly they load from beside themselves. */
export const ORT_DIST = dirname(fileURLToPath(import.meta.resolve('onnxruntime-web')));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json',
  '.wasm': 'application/wasm', '.json': 'application/json', '.webnn': 'text/plain; charset=utf-8', '.png': 'image/png',
};

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Send the COOP/COEP headers (default true): pages are cross-origin isolated, so onnxruntime-web runs threads. */
  isolated?: boolean;
  /** More files: URL path → file on disk. */
  files?: Record<string, string>;
}

export interface DemoServer {
  url: string;
  /** The folder the bundles were built into (removed on close). */
  built: string;
  close(): Promise<void>;
}

/** Builds the bundles (tsnn.js, viewer.js, demo.js) into a temporary folder and serves them with the demo page. */
export async function startServer(options: ServeOptions = {}): Promise<DemoServer> {
  const built = mkdtempSync(join(tmpdir(), 'tsnn-web-'));
  const { tsnn, viewer } = await buildWeb(built);
  const demo = join(built, 'demo.js');
  await bundle(join(HERE, 'demo.ts'), demo, { format: 'esm', importAs: { [join(ROOT, 'src/web.ts')]: 'tsnn/web' } });
  const files = new Map<string, string>([
    ['/', join(HERE, 'index.html')], ['/index.html', join(HERE, 'index.html')],
    ['/tsnn.js', tsnn], ['/tsnn.js.map', `${tsnn}.map`], ['/viewer.js', viewer], ['/viewer.js.map', `${viewer}.map`],
    ['/demo.js', demo], ['/demo.js.map', `${demo}.map`],
    ...Object.entries(options.files ?? {}),
  ]);
  const isolated = options.isolated ?? true;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // onnxruntime-web's files by name only (no path separators: nothing outside its dist folder is reachable).
    const ort = /^\/ort\/([\w.-]+)$/.exec(path);
    const file = ort ? join(ORT_DIST, ort[1]!) : files.get(path);
    let body: Buffer | undefined;
    try {
      if (file && statSync(file).isFile()) body = readFileSync(file);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    if (!body || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(body ? 405 : 404, { ...headers, 'Content-Type': 'text/plain' }).end(body ? 'method not allowed' : 'not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file!)] ?? 'application/octet-stream', 'Content-Length': String(body.byteLength) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    built,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => {
        rmSync(built, { recursive: true, force: true });
        ok();
      });
    }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } } });
  const server = await startServer({ port: Number(values.port), host: values.host });
  console.log(`tsnn browser demo: ${server.url}/  (Ctrl-C to stop)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.close().then(() => process.exit(0)));
}
