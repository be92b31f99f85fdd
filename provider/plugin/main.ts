// Entry point of `pulumi-resource-panorama` (bin/pulumi-resource-panorama).
import { startPlugin } from "./server";

export async function main(args: string[]): Promise<void> {
  // An error nothing awaited must not end a deployment's waits silently: say it, keep serving.
  process.on("unhandledRejection", (e) =>
    process.stderr.write(`pulumi-resource-panorama: ${(e as Error)?.stack ?? e}\n`),
  );
  try {
    const plugin = await startPlugin(args);
    // The engine reads the port from the first line of stdout.
    process.stdout.write(`${plugin.port}\n`);
  } catch (e) {
    process.stderr.write(`pulumi-resource-panorama: could not start: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
