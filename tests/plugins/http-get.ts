// Test helper: one HTTP request to 127.0.0.1 on a fresh connection, read whole.
import { request } from 'node:http';

/** An HTTP answer: status, headers and the body as text. */
export interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Send `method path` (with `headers`) to 127.0.0.1:`port` and read the whole reply. */
export function httpGet(
  port: number,
  path: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
