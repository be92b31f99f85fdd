// Every test file under tests/, TypeScript through ts-node. Long timeout: end-to-end tests drive
// the real Pulumi engine; individual tests set tighter bounds where they wait on purpose.
// Tests poll a local emulator every 50 ms; the provider's default request budget (4 requests/s,
// 0.97/s per create operation, sized for the real service) would triple their run time. The budget
// stays installed at these rates; its own tests (tests/provider/requestBudget.test.ts) use the defaults.
process.env.PULUMI_PANORAMA_MAX_RPS ??= "50";
process.env.PULUMI_PANORAMA_MAX_CREATE_RPS ??= "20";

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: ["tests/**/*.test.ts"],
  timeout: 120000,
  slow: 5000,
};
