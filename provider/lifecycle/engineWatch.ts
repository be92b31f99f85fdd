// No orphans: the engine starts the dynamic-provider plugin in a process group of its own, through
// a shell shim, so when `pulumi up` is SIGKILLed (a CI timeout does exactly this) nothing stops the
// plugin: its parent (the shim) lives on, and it would go on waiting and polling for as long as its
// waits allow. The plugin is handed the engine's gRPC address as its first argument; while the
// engine lives, something listens there. When connections to it are refused, the engine is gone
// and the plugin exits, ending every wait with it.
import * as net from "net";

/** How often the engine's address is tried. */
export const ENGINE_CHECK_INTERVAL_MS = 1000;

/** Refusals in a row before the engine counts as gone (one refusal is already conclusive on loopback; two rule out a race at start). */
export const ENGINE_GONE_AFTER = 2;

/** The entry point the engine runs for dynamic providers (@pulumi/pulumi/cmd/dynamic-provider). */
const DYNAMIC_PROVIDER_MAIN = /[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/;

let watching = false;

/** True inside the engine's dynamic-provider plugin (not in a program or a test). */
export function isDynamicProviderHost(mainFile = require.main?.filename ?? ""): boolean {
  return DYNAMIC_PROVIDER_MAIN.test(mainFile);
}

/**
 * Starts watching the engine, once per process, and only in the dynamic-provider plugin (the same
 * code also runs inside programs and tests, where there is no engine address to watch).
 */
export function watchEngine(
  argv: string[] = process.argv,
  mainFile = require.main?.filename ?? "",
): void {
  if (!isDynamicProviderHost(mainFile)) return;
  watchEngineAt(argv[2]);
}

/**
 * Exits the process once the engine at `engineAddress` (as the engine passes it) refuses
 * connections; once per process. Used by every plugin this package runs in.
 */
export function watchEngineAt(engineAddress: string | undefined): void {
  const address = parseAddress(engineAddress);
  if (watching || !address) return;
  watching = true;
  let refusals = 0;
  const timer = setInterval(() => {
    const probe = net.connect(address.port, address.host);
    probe.unref();
    probe.setTimeout(ENGINE_CHECK_INTERVAL_MS, () => probe.destroy());
    probe.once("connect", () => {
      refusals = 0;
      probe.destroy();
    });
    probe.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "ECONNREFUSED" || ++refusals < ENGINE_GONE_AFTER) return;
      process.stderr.write(
        `pulumi-panorama: the Pulumi engine at ${engineAddress} is gone; this provider process stops its waits and exits.\n`,
      );
      process.exit(1);
    });
  }, ENGINE_CHECK_INTERVAL_MS);
  timer.unref();
}

/** `host:port` (or `[v6]:port`) as the engine passes it; anything else is not an engine address. */
export function parseAddress(text: string | undefined): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text ?? "");
  if (!match) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1] || "127.0.0.1", port } : undefined;
}
