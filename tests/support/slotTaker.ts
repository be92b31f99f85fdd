// A provider process in miniature for tests/provider/quotaSlots.test.ts: a request budget of its
// own over the shared slots of one account, asking for `count` requests of `operation` at once at
// `startAt` (the same moment in every process), as a stack's resources do. Prints, as JSON, when
// each request was let go (milliseconds since the epoch).
import { RequestBudget, requestBudgetOptions } from "../../provider/calls/requestBudget";
import { quotaSlotsFor } from "../../provider/calls/quotaSlots";
import { systemWaitClock } from "../../provider/calls/waitClock";

const { account, operation, count, startAt, env } = JSON.parse(process.argv[2]);

async function main(): Promise<void> {
  const slots = quotaSlotsFor(account, env);
  if (!slots) throw new Error("the slot directory cannot be written");
  const budget = new RequestBudget(requestBudgetOptions(env), systemWaitClock, slots);
  await new Promise((r) => setTimeout(r, startAt - Date.now()));
  const times = await Promise.all(
    Array.from({ length: count }, async () => {
      const slot = await budget.acquire(operation);
      const at = Date.now();
      slot?.answered();
      budget.answered(operation, false);
      return at;
    }),
  );
  process.stdout.write(JSON.stringify(times));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
