/** Runs `f` and returns what it printed with console.log (the CLI's progress lines). */
export async function logged<T>(f: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    return { value: await f(), lines };
  } finally {
    console.log = original;
  }
}
