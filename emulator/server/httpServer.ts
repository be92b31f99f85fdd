// The HTTP server the pipeline runs in: slow or stalled clients are cut off, it listens on the
// configured interface, names the URL clients use, and stops by closing open connections too.
import * as http from "http";
import { AddressInfo } from "net";

export interface ServerTimeouts {
  /** Time to receive the request headers; then the connection is closed (408). @default 10000 */
  headersMs: number;
  /** Time to receive the whole request; time spent answering (and fault latency) does not count. @default 60000 */
  requestMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 60_000 };

export interface ListeningServer {
  port: number;
  /** The base URL clients use: a wildcard interface is reached through loopback. */
  url: string;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

export async function listen(
  listener: http.RequestListener,
  at: { host: string; port: number; timeouts: ServerTimeouts },
): Promise<ListeningServer> {
  const { headersMs, requestMs } = at.timeouts;
  const server = http.createServer(
    // Node checks these every connectionsCheckingInterval.
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      connectionsCheckingInterval: Math.min(1000, headersMs),
    },
    listener,
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${urlHost(at.host)}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
