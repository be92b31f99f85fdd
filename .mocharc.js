// Every test file under tests/, TypeScript through ts-node. Long timeout: end-to-end tests drive
// the real Pulumi engine; individual tests set tighter bounds where they wait on purpose.
// Tests poll a local emulator every 50 ms; the provider's default request budget (4 requests/s,
// 0.97/s per create operation, sized for the real service) would triple their run time. The budget
// stays installed at these rates; its own tests (tests/provider/requestBudget.test.ts) use the defaults.
process.env.PULUMI_PANORAMA_MAX_RPS ??= "50";
process.env.PULUMI_PANORAMA_MAX_CREATE_RPS ??= "20";

// Mocha adds files named on the command line to `spec` instead of replacing it, so
// `npx mocha tests/x.test.ts` would run the whole suite; the default applies only without them.
const namedFiles = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  ...(namedFiles ? {} : { spec: ["tests/**/*.test.ts"] }),
  timeout: 120000,
  slow: 5000,
  // Test files run two at a time, each in its own process: most of an engine test is waiting on
  // the CLI, its plugins and the emulator's clock, so two files share 2 cores well (the suite took
  // 27 minutes one file at a time, 13.5 in two). Every test file starts its own emulator on port 0
  // and its own engine sandbox, so files never share state. PULUMI_PANORAMA_TEST_JOBS=1 runs them
  // one at a time (mocha's default of cores - 1 would be 1 here).
  parallel: !namedFiles,
  jobs: Number(process.env.PULUMI_PANORAMA_TEST_JOBS ?? 2),
  // A committed `.only` or `.skip` (or a test without a body) fails the run instead of hiding tests.
  forbidOnly: true,
  forbidPending: true,
};
