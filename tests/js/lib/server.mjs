// A tiny static file server for a built site: serves `root` on 127.0.0.1 at a random port, maps
// `/dir/` to `/dir/index.html`, counts the bytes it sends per path (for download measurements),
// and sends the site's strict Content-Security-Policy so a test notices any inline script or style.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

export const CSP = "default-src 'self'";

/** Starts serving `root`; resolves to {url, log, close()}. `log` lists [path, status, bytes]. */
export async function serve(root) {
  const log = [];
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(root))) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await fs.readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': body.length,
        'Content-Security-Policy': CSP,
        'Cache-Control': 'no-cache',
      });
      response.end(body);
      log.push([url.pathname, 200, body.length]);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      log.push([url.pathname, 404, 0]);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
