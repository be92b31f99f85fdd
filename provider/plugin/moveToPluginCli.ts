// `pulumi stack export | npx pulumi-panorama-to-plugin | pulumi stack import`: see moveToPlugin.ts.
import { moveToPlugin } from "./moveToPlugin";

export async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  try {
    const { checkpoint, moved } = moveToPlugin(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    process.stdout.write(JSON.stringify(checkpoint, null, 4) + "\n");
    process.stderr.write(
      moved.length
        ? `pulumi-panorama-to-plugin: moved to the provider plugin:\n  ${moved.join("\n  ")}\n`
        : "pulumi-panorama-to-plugin: no dynamic Panorama resource in this stack; unchanged\n",
    );
  } catch (e) {
    process.stderr.write(`pulumi-panorama-to-plugin: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
